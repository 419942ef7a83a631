"""Browser tests of the admin UI: Debian's Chromium driven by Playwright against live servers.

Two servers for the whole session, each a real ``flask run`` with its own
database (:class:`~tests.support.live_server.LiveServer`, PostgreSQL when
``QAIRON_TEST_DATABASE_URL`` is set) holding the seed world: one with
authentication off (as ``make run``), one with ``QAIRON_AUTH=writes`` and a
reader, a writer and an admin user. Playwright's own browser download is not
used: the tests drive the Chromium found on the machine (``QAIRON_CHROMIUM``,
else ``chromium`` on PATH) and are skipped, saying so, only when there is none.
Screenshots go to ``test-output/screenshots/`` (not committed).
"""
import os
import shutil

import pytest
import requests
from playwright.sync_api import expect

from qairon.models import REGISTRY
from tests.support.live_server import REPO_ROOT, LiveServer
from tests.support.world import DEPLOYMENT, NEIGHBOURS, RELEASE, WORLD

SCREENSHOTS = os.path.join(REPO_ROOT, "test-output", "screenshots")
PASSWORD = "correct-horse-battery"
USERS = {"ada": "admin", "wes": "writer", "rita": "reader"}
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
#: How long an action or an expectation waits: generous, the CI machines are shared.
WAIT_MS = 15_000
expect.set_options(timeout=WAIT_MS)


def chromium():
    """The path of a Chromium to drive, or None."""
    configured = os.environ.get("QAIRON_CHROMIUM")
    if configured:
        return configured if os.path.exists(configured) else None
    return next((shutil.which(name) for name in CANDIDATES if shutil.which(name)), None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, with the machine's Chromium."""
    path = chromium()
    if path is None:
        pytest.skip("no Chromium found (install Debian's 'chromium' or set QAIRON_CHROMIUM): "
                    "the admin UI browser tests need one")
    return {**browser_type_launch_args, "executable_path": path}


@pytest.fixture
def page(page):
    """A page whose actions and navigations give up after :data:`WAIT_MS` rather than 30 s."""
    page.set_default_timeout(WAIT_MS)
    page.set_default_navigation_timeout(2 * WAIT_MS)
    return page


def load_world(url, headers=None):
    """Create the seed world (and its neighbours) through the plain face; the deployment
    runs its release so that its provenance has a build and a commit."""
    with requests.Session() as http:
        http.headers.update(headers or {})
        for resource, fields, expected in WORLD + NEIGHBOURS:
            response = http.post(f"{url}/api/{REGISTRY[resource].plural}", json=fields)
            assert response.status_code == 201, (resource, response.text)
            assert response.json()["id"] == expected
        response = http.patch(f"{url}/api/deployments/{DEPLOYMENT}",
                              json={"current_release_id": RELEASE})
        assert response.status_code == 200, response.text


@pytest.fixture(scope="session")
def open_server():
    """A server as ``make run`` serves it (authentication off), holding the seed world."""
    with LiveServer() as server:
        load_world(server.url)
        yield server


@pytest.fixture(scope="session")
def secured_server():
    """A server with ``QAIRON_AUTH=writes``, the seed world, and one user of each role."""
    with LiveServer(extra_env={"QAIRON_AUTH": "writes"}) as server:
        for name, role in USERS.items():
            done = server.flask("user", "create", name, "--role", role, stdin=PASSWORD + "\n")
            assert done.returncode == 0, done.stderr
        made = server.flask("token", "create", "--name", "loader", "--role", "admin")
        assert made.returncode == 0, made.stderr
        secret = made.stdout.strip()
        load_world(server.url, {"Authorization": f"Bearer {secret}"})
        server.token = secret
        yield server


def sign_in(page, server, name):
    """Sign ``name`` in through the login form."""
    page.goto(f"{server.url}/admin/session/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_selector(".qairon-user")


def shot(page, name):
    """Save a screenshot of the whole page under ``test-output/screenshots/``."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)
