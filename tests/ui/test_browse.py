"""Reading the inventory in the browser: lists, search, the object page, keyboard, no JavaScript."""
import json
from urllib.parse import quote

from playwright.sync_api import expect

from tests.support.world import DEPLOYMENT, NET, PART, SERVICE, STACK_B, TARGET
from tests.ui.conftest import WAIT_MS, shot


def test_home_counts_every_resource_and_says_it_is_open(page, open_server):
    page.goto(f"{open_server.url}/admin/")
    expect(page.locator(".qairon-open")).to_contain_text("authentication is off")
    expect(page.locator("td[data-resource=service]")).to_have_text("3")
    expect(page.locator("td[data-resource=deployment]")).to_have_text("1")
    expect(page.get_by_text("Recent changes")).to_be_visible()
    shot(page, "home")


def test_services_list_filter_and_search(page, open_server):
    page.goto(f"{open_server.url}/admin/services/")
    rows = page.locator("table.model-list tbody tr")
    expect(rows).to_have_count(3)
    page.fill("input[name=search]", "ecommerce:payments")
    page.press("input[name=search]", "Enter")
    expect(rows).to_have_count(2)
    expect(page.locator("table.model-list")).not_to_contain_text("order-processor")
    page.goto(f"{open_server.url}/admin/services/")
    page.fill("#api-filter", json.dumps([{"name": "stack.application_id", "op": "eq",
                                          "val": "ecommerce"}, {"name": "name", "op": "like",
                                                                "val": "order%"}]))
    page.click(".qairon-filter button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(SERVICE)
    page.fill("#api-filter", '[{"name": "nope", "op": "eq", "val": 1}]')
    page.click(".qairon-filter button[type=submit]")
    expect(page.locator(".qairon-refusal")).to_contain_text("nope")
    page.goto(f"{open_server.url}/admin/services/?sort=1&desc=1")
    expect(rows.first).to_contain_text(STACK_B)
    shot(page, "services")


def test_deployment_breadcrumb_and_provenance_graph(page, open_server):
    page.goto(f"{open_server.url}/admin/deployments/details/?id={quote(DEPLOYMENT)}")
    crumbs = page.locator(".qairon-crumbs li")
    expect(crumbs).to_have_text(["prod", "aws:123456789012", "us-east-1", "us-east-1a",
                                 "eks:main-cluster", "ecommerce:checkout:order-processor:default"])
    page.get_by_role("link", name="provenance").click()
    graph = page.locator("svg[data-walk=provenance]")
    expect(graph.locator("a[data-id='ecommerce:checkout:order-processor:42']")).to_have_count(1)
    expect(page.locator("#graph")).to_contain_text("9f2c1e7")
    shot(page, "deployment")
    graph.locator("a[data-id='git:ecommerce']").click()
    expect(page.locator(".qairon-crumbs")).to_contain_text("ecommerce")
    expect(page).to_have_title("repo git:ecommerce - Qairon")
    page.go_back()
    page.locator(".qairon-crumbs a", has_text="us-east-1a").click()
    expect(page).to_have_title(f"partition {PART} - Qairon")
    page.locator(".nav-tabs a", has_text="deployment_targets").click()
    page.locator("#relations table a", has_text=TARGET).click()
    expect(page).to_have_title(f"deployment_target {TARGET} - Qairon")


def test_network_map_and_search_jumps(page, open_server):
    page.goto(f"{open_server.url}/admin/networks/details/?id={quote(NET)}")
    expect(page.locator(".qairon-map rect.used")).to_have_count(1)
    expect(page.locator(".qairon-blocks")).to_contain_text("10.0.128.0/17")
    shot(page, "network")
    page.fill("#global-search", NET + ":eks0")
    page.press("#global-search", "Enter")
    expect(page).to_have_title(f"subnet {NET}:eks0 - Qairon")
    page.fill("#global-search", "prod:aws:123456789012:us-east-1:us-east-1a:n")
    page.press("#global-search", "Enter")
    expect(page.locator(".qairon-results tr")).to_have_count(3)  # a header, the fleet, its cpu
    expect(page.locator(".qairon-results")).to_contain_text(PART + ":nodegroup:workers:cpu")


def test_keyboard_reaches_search_edit_and_links(page, open_server):
    page.goto(f"{open_server.url}/admin/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "global-search":
            break
    assert page.evaluate("document.activeElement.id") == "global-search"
    page.keyboard.type("order-processor:default")
    page.keyboard.press("Enter")
    expect(page.locator(".qairon-results")).to_contain_text(DEPLOYMENT)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == DEPLOYMENT:
            break
    page.keyboard.press("Enter")
    expect(page).to_have_title(f"deployment {DEPLOYMENT} - Qairon")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Edit":
            break
    page.keyboard.press("Enter")
    expect(page.locator("form input[type=submit]").first).to_be_visible()


def test_reading_and_plain_crud_work_without_javascript(browser, open_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto(f"{open_server.url}/admin/applications/")
        page.get_by_role("link", name="Create").first.click()
        page.fill("#name", "nojs-app")
        page.click("input[type=submit][value=Save]")
        expect(page.locator("table.model-list")).to_contain_text("nojs-app")
        page.goto(f"{open_server.url}/admin/applications/details/?id=nojs-app")
        page.get_by_role("link", name="Delete…").click()
        page.get_by_role("button", name="Delete nojs-app").click()
        expect(page.locator("table.model-list")).not_to_contain_text("nojs-app")
    finally:
        context.close()
