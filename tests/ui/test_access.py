"""Signing in, CSRF and roles in the browser, against a server with ``QAIRON_AUTH=writes``."""
from urllib.parse import quote

import requests
from playwright.sync_api import expect

from tests.support.world import APP, STACK_B
from tests.ui.conftest import PASSWORD, shot, sign_in


def exists(server, plural, object_id):
    return requests.get(f"{server.url}/api/{plural}/{object_id}").status_code == 200


def test_login_is_required_and_a_wrong_password_is_refused(page, secured_server):
    page.goto(f"{secured_server.url}/admin/services/")
    expect(page).to_have_title("Sign in - Qairon")
    shot(page, "login")
    page.fill("#name", "ada")
    page.fill("#password", "not-the-password")
    page.click("button:has-text('Sign in')")
    expect(page.locator("#login-error")).to_have_text("wrong name or password")
    page.fill("#name", "ada")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    expect(page.locator(".qairon-user")).to_have_text("ada (admin)")
    expect(page.locator("table.model-list tbody tr")).to_have_count(3)  # back where it was going
    page.click("button:has-text('Sign out')")
    expect(page.locator(".alert")).to_contain_text("Signed out.")
    page.goto(f"{secured_server.url}/admin/")
    expect(page).to_have_title("Sign in - Qairon")


def test_a_forged_form_without_the_csrf_token_is_refused(page, secured_server):
    sign_in(page, secured_server, "ada")
    forged = page.request.post(f"{secured_server.url}/admin/applications/new/",
                               form={"name": "forged", "defaults": "{}"})
    assert forged.status == 403
    assert "CSRF token" in forged.text()
    assert not exists(secured_server, "applications", "forged")
    page.goto(f"{secured_server.url}/admin/applications/new/")
    page.fill("#name", "signed")
    page.click("input[type=submit][value=Save]")
    expect(page.locator("table.model-list")).to_contain_text("signed")
    assert exists(secured_server, "applications", "signed")


def test_a_reader_sees_no_write_and_cannot_write(page, secured_server):
    sign_in(page, secured_server, "rita")
    page.goto(f"{secured_server.url}/admin/stacks/details/?id={quote(STACK_B)}")
    expect(page.locator(".qairon-actions")).not_to_contain_text("Edit")
    page.goto(f"{secured_server.url}/admin/stacks/edit/?id={quote(STACK_B)}")
    expect(page).not_to_have_url(f"{secured_server.url}/admin/stacks/edit/?id={quote(STACK_B)}")


def test_a_writer_cannot_cascade_delete_an_admin_can(page, secured_server):
    sign_in(page, secured_server, "wes")
    page.goto(f"{secured_server.url}/admin/stacks/details/?id={quote(STACK_B)}")
    page.get_by_role("link", name="Delete…").click()
    expect(page.locator("#cascade-summary")).to_contain_text("2 services")
    expect(page.locator(".qairon-plan")).to_contain_text(STACK_B + ":refunds")
    page.check("#confirm")
    page.click("button:has-text('Delete with cascade')")
    expect(page.locator(".alert-danger")).to_contain_text(
        f"deleting stack '{STACK_B}' with cascade needs an admin token; this user (wes) is "
        "a writer")
    shot(page, "delete_refused")
    assert exists(secured_server, "stacks", STACK_B)
    page.click("button:has-text('Sign out')")
    expect(page.locator(".alert")).to_contain_text("Signed out.")
    sign_in(page, secured_server, "ada")
    page.goto(f"{secured_server.url}/admin/stacks/delete/?id={quote(STACK_B)}")
    page.check("#confirm")
    page.click("button:has-text('Delete with cascade')")
    expect(page.locator(".alert-success")).to_contain_text(STACK_B)
    assert not exists(secured_server, "stacks", STACK_B)
    assert exists(secured_server, "applications", APP)


def test_failed_logins_are_limited(page, secured_server):
    page.goto(f"{secured_server.url}/admin/session/login")
    for _ in range(5):
        page.fill("#name", "mallory")
        page.fill("#password", "guessing-again")
        page.click("button:has-text('Sign in')")
        expect(page.locator("#login-error")).to_have_text("wrong name or password")
    page.fill("#name", "mallory")
    page.fill("#password", "guessing-again")
    page.click("button:has-text('Sign in')")
    expect(page.locator("#login-error")).to_contain_text("too many failed logins")
