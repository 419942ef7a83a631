"""A client generated from ``/api/openapi.json`` by a standard generator works.

openapi-python-client writes a Python package from the document of a live
server; the test imports it and, through its generated functions and models
only, creates an application, a stack and a service, then reads the service
back — including a refusal, which comes back as the generated ``Error`` model.
"""
import importlib
import json
import os
import subprocess
import sys
import urllib.request

import pytest

from tests.support.live_server import LiveServer

PACKAGE = "qairon_generated_client"


@pytest.fixture(scope="module")
def server():
    with LiveServer("sqlite") as live:
        yield live


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    with urllib.request.urlopen(server.url + "/api/openapi.json") as response:
        document = json.load(response)
    path = folder / "openapi.json"
    path.write_text(json.dumps(document))
    generator = os.path.join(os.path.dirname(sys.executable), "openapi-python-client")
    done = subprocess.run([generator, "generate", "--path", str(path), "--meta", "none",
                           "--output-path", str(folder / PACKAGE)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))


def endpoint(tag, operation_id):
    """The generated module of one operation (``api/<tag>/<operation id>.py``)."""
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation_id}")


def test_a_generated_client_creates_and_reads_a_service(server, generated):
    models = importlib.import_module(f"{PACKAGE}.models")
    client = generated.Client(base_url=server.url, raise_on_unexpected_status=True)

    created = endpoint("application", "create_application").sync(
        client=client, body=models.ApplicationCreate(name="ecommerce"))
    assert isinstance(created, models.Application) and created.id == "ecommerce"
    endpoint("stack", "create_stack").sync(client=client, body=models.StackCreate(
        application_id="ecommerce", name="checkout"))
    service = endpoint("service", "create_service").sync(client=client, body=models.ServiceCreate(
        stack_id="ecommerce:checkout", name="order-processor"))
    assert service.id == "ecommerce:checkout:order-processor"

    read = endpoint("service", "get_service").sync(client=client, id=service.id)
    assert isinstance(read, models.Service)
    assert (read.id, read.stack_id, read.name) == (service.id, "ecommerce:checkout",
                                                   "order-processor")
    listed = endpoint("service", "list_service").sync(client=client, stack_id="ecommerce:checkout")
    assert listed.count == 1 and listed.results[0].id == service.id

    refused = endpoint("service", "get_service").sync_detailed(client=client, id="ecommerce:nope:x")
    assert refused.status_code == 404
    assert isinstance(refused.parsed, models.Error) and refused.parsed.source.field == "id"
