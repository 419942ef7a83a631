"""Users of the admin UI: the command, login and logout, cookies, CSRF, failed-login limits,
the secret key file, and the headers every response carries."""
import os
import stat
import subprocess

from sqlalchemy import select

from qairon.extensions import db
from qairon.identity.models import User
from qairon.identity.sessions import read_or_create_secret
from tests.server.helpers import counts

from .conftest import send

PASSWORD = "correct horse battery"


def make_user(runner, name="alice", role="admin", *environments):
    args = ["user", "create", name, "--role", role]
    for environment in environments:
        args += ["--env", environment]
    return runner.invoke(args=args, input=PASSWORD + "\n")


def login(client, name="alice", password=PASSWORD, **kw):
    return send(client, "POST", "/api/session", {"name": name, "password": password}, **kw)


def test_user_commands_store_a_scrypt_hash(runner, app):
    made = make_user(runner, "alice", "writer", "dev")
    assert made.exit_code == 0, made.output
    user = db.session.execute(select(User)).scalar()
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
    assert (user.role, user.environments) == ("writer", ["dev"])
    assert make_user(runner, "alice").exit_code == 1
    short = runner.invoke(args=["user", "create", "bob", "--role", "reader"], input="short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    assert runner.invoke(args=["user", "list"]).stdout == "alice\twriter\tdev\n"
    assert runner.invoke(args=["user", "delete", "alice"]).exit_code == 0
    assert runner.invoke(args=["user", "list"]).stdout == ""


def test_login_sets_a_safe_cookie_and_writes_need_the_csrf_token(runner, client, secured):
    make_user(runner, "alice", "writer", "dev")
    assert login(client, password="wrong password!").status_code == 401
    signed_in = login(client)
    assert signed_in.status_code == 200
    body = signed_in.get_json()
    assert (body["name"], body["kind"], body["environments"]) == ("alice", "user", ["dev"])
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert client.get("/api/whoami").get_json()["name"] == "alice"
    before = counts()
    refused = send(client, "POST", "/api/environments", {"name": "dev"})
    assert refused.status_code == 403 and "CSRF" in refused.get_json()["detail"]
    assert counts() == before
    csrf = {"X-CSRF-Token": body["csrf_token"]}
    assert send(client, "POST", "/api/environments", {"name": "dev"}, csrf).status_code == 201
    prod = send(client, "POST", "/api/environments", {"name": "prod"}, csrf)
    assert prod.status_code == 403 and "this user (alice) is scoped to dev" in \
        prod.get_json()["detail"]
    assert client.get("/api/session").get_json()["csrf_token"] == body["csrf_token"]
    assert client.delete("/api/session").status_code == 204
    assert client.get("/api/whoami").get_json()["kind"] == "anonymous"
    assert send(client, "POST", "/api/environments", {"name": "qa"}, csrf).status_code == 401


def test_the_cookie_is_secure_over_https(runner, client, secured):
    make_user(runner)
    response = send(client, "POST", "https://localhost/api/session",
                    {"name": "alice", "password": PASSWORD})
    assert response.status_code == 200 and "Secure" in response.headers["Set-Cookie"]


def test_a_new_password_ends_old_sessions(runner, client, secured):
    make_user(runner)
    login(client)
    user = db.session.execute(select(User)).scalar()
    user.password_hash = "scrypt:changed"
    db.session.commit()
    assert client.get("/api/whoami").get_json()["kind"] == "anonymous"


def test_failed_logins_are_limited_per_account_and_per_address(runner, client, secured, app):
    make_user(runner)
    make_user(runner, "bob")
    for _ in range(app.config["LOGIN_FAILURES_PER_ACCOUNT"]):
        assert login(client, password="not the password").status_code == 401
    blocked = login(client)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "try again in" in blocked.get_json()["detail"]
    assert login(client, "bob").status_code == 200
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = 8
    try:
        for index in range(3):
            assert login(client, f"nobody{index}", "whatever it is").status_code == 401
        assert login(client, "bob").status_code == 429
        assert login(client, "bob", environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code == 200
    finally:
        app.config["LOGIN_FAILURES_PER_ADDRESS"] = 20


def test_the_secret_key_file_is_created_once_and_private(tmp_path):
    path = str(tmp_path / "secret_key")
    first = read_or_create_secret(path)
    assert len(first) == 64 and read_or_create_secret(path) == first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(tmp_path) == ["secret_key"]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ignored = subprocess.run(["git", "check-ignore", "-q", "instance/secret_key"], cwd=root)
    assert ignored.returncode == 0, "instance/ must stay out of git"


def test_security_headers_and_no_cors_by_default(client, app):
    response = client.get("/api/services", headers={"Origin": "https://evil.example"})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Access-Control-Allow-Origin" not in response.headers
    assert client.get("/nowhere").headers["X-Content-Type-Options"] == "nosniff"


def test_cors_only_for_configured_origins(tmp_path):
    from qairon import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "c.db"),
                      "TESTING": True, "AUTH": "off", "CORS_ORIGINS": "https://ui.example"})
    client = app.test_client()
    allowed = client.options("/api/services", headers={
        "Origin": "https://ui.example", "Access-Control-Request-Method": "POST"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://ui.example"
    assert "Authorization" in allowed.headers["Access-Control-Allow-Headers"]
    other = client.options("/api/services", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_static_files_never_set_the_session_cookie(runner, client, secured):
    """A stylesheet answered after a sign-out must not bring the old session back."""
    make_user(runner, "alice", "writer")
    assert login(client).status_code == 200
    assert "Set-Cookie" in client.get("/api/whoami").headers  # a permanent session is renewed
    for path in ("/static/qairon.css", "/admin/static/admin/js/helpers.js"):
        answer = client.get(path)
        assert answer.status_code == 200 and "Set-Cookie" not in answer.headers, path
