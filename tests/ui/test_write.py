"""Writing through the UI: every write is the pipeline's, its refusals shown next to the field."""
from urllib.parse import quote

import requests
from playwright.sync_api import expect

from tests.support.world import DEPLOYMENT, FLEET, NET, SERVICE, SUBNET, TARGET
from tests.ui.conftest import shot


def count(server, plural):
    return requests.get(f"{server.url}/api/{plural}?limit=1").json()["count"]


def test_an_overlapping_subnet_is_refused_next_to_its_cidr(page, open_server):
    before = count(open_server, "subnets")
    page.goto(f"{open_server.url}/admin/subnets/new/")
    page.fill("#network_id", NET)
    page.fill("#name", "clash")
    page.fill("#cidr", "10.0.1.0/24")
    page.click("input[type=submit][value=Save]")
    feedback = page.locator("#cidr ~ .invalid-feedback")
    expect(feedback).to_contain_text(f"cidr '10.0.1.0/24' overlaps subnet '{SUBNET}'")
    shot(page, "subnet_overlap")
    assert count(open_server, "subnets") == before
    page.fill("#cidr", "10.0.200.0/24")
    page.click("input[type=submit][value=Save]")
    expect(page.locator("table.model-list")).to_contain_text(NET + ":clash")
    assert count(open_server, "subnets") == before + 1


def test_defaults_are_json_checked_and_change_the_effective_defaults(page, open_server):
    page.goto(f"{open_server.url}/admin/services/edit/?id={quote(SERVICE)}")
    page.fill("#defaults", "{not json")
    page.click("input[type=submit][value=Save]")
    expect(page.locator("#defaults ~ .invalid-feedback")).to_be_visible()
    page.fill("#defaults", '["a list"]')
    page.click("input[type=submit][value=Save]")
    expect(page.locator("#defaults ~ .invalid-feedback")).to_contain_text("defaults")
    page.fill("#defaults", '{"replicas": 3, "image": {"pull": "always"}}')
    page.click("input[type=submit][value=Save]")
    expect(page.locator("table.model-list")).to_be_visible()  # saved: back to the list
    page.goto(f"{open_server.url}/admin/deployments/details/?id={quote(DEPLOYMENT)}")
    expect(page.locator("#effective-defaults")).to_contain_text('"replicas": 3')
    row = page.locator(".qairon-explain tr", has_text="image.pull")
    expect(row).to_contain_text(SERVICE)


def test_links_are_added_and_removed_through_the_pipeline(page, open_server):
    page.goto(f"{open_server.url}/admin/deployment_targets/details/?id={quote(TARGET)}"
              "&tab=fleets")
    page.fill("#link-other", "no-such-fleet")
    page.click("button:has-text('Link')")
    expect(page.locator(".alert")).to_contain_text("'no-such-fleet' does not exist")
    page.fill("#link-other", FLEET)
    page.click("button:has-text('Link')")
    expect(page.locator("#relations table")).to_contain_text(FLEET)
    page.locator("#relations table button", has_text="Unlink").click()
    expect(page.locator("#relations")).to_contain_text("None.")
    history = page.locator(".qairon-timeline")
    expect(history).to_contain_text("unlink")
    expect(history).to_contain_text("link")


def test_newcomer_finds_the_deployment_fixes_native_id_and_sees_history(page, open_server):
    """The issue's "done means": find it by part of its ID, see where it runs, what it runs
    and where that came from, fix its native_id, see the change in its history."""
    page.goto(f"{open_server.url}/admin")
    page.fill("#global-search", "order-processor")
    page.press("#global-search", "Enter")
    page.locator(".qairon-results").get_by_role("link", name=DEPLOYMENT, exact=True).click()
    fields = page.locator(".qairon-fields")
    expect(fields.locator("[data-field=deployment_target_id] a")).to_have_text(TARGET)
    expect(fields.locator("[data-field=service_id] a")).to_have_text(SERVICE)
    page.get_by_role("link", name="provenance").click()
    expect(page.locator("svg[data-walk=provenance] a[data-id='git:ecommerce']")).to_have_count(1)
    page.get_by_role("link", name="Edit").first.click()
    page.fill("#native_id", "arn:aws:eks:us-east-1:123456789012:deployment/order-processor")
    page.click("input[type=submit][value=Save]")  # saved: back to the object page
    expect(fields.locator("[data-field=native_id]")).to_have_text(
        "arn:aws:eks:us-east-1:123456789012:deployment/order-processor")
    latest = page.locator(".qairon-timeline li").first
    expect(latest).to_contain_text("native_id")
    expect(latest.locator("del")).to_have_text("null")
    expect(latest.locator("ins")).to_contain_text("deployment/order-processor")
    shot(page, "history")
    latest.get_by_role("link", name="changeset").click()
    expect(page.locator(".qairon-as-of")).to_contain_text("As it was at changeset")
    previous = page.locator(".qairon-timeline li").nth(1).get_by_role("link", name="changeset")
    previous.click()
    expect(fields.locator("[data-field=native_id]")).to_have_text("—")
