"""The HTTP client against a fake session: pagination and typed errors."""
import json

import pytest

from qairon_qcli import client as qclient
from qairon_qcli.controllers import QCLIController, ReturningOutputController


class FakeResponse:
    def __init__(self, status, body=None, text=None):
        self.status_code = status
        self.ok = status < 400
        self.reason = "Reason"
        self.content = (text if text is not None else json.dumps(body)).encode()

    def json(self):
        return json.loads(self.content)


class FakeSession:
    """Answers from a list of responses and records the requests."""

    def __init__(self, *responses):
        self.responses = list(responses)
        self.calls = []

    def request(self, method, url, params=None, json=None, timeout=None, **_streamed):
        self.calls.append((method, url, params, json))
        return self.responses.pop(0)


def page(ids, next_url=None):
    return FakeResponse(200, {"count": 5, "next": next_url, "previous": None,
                              "results": [{"id": i} for i in ids]})


def test_pages_are_fetched_lazily_following_next():
    session = FakeSession(page(["a", "b"], "http://h/api/services?limit=2&offset=2"),
                          page(["c", "d"], "/api/services?limit=2&offset=4"), page(["e"]))
    api = qclient.Client("http://h", session=session)
    items = api.list("services")
    assert next(items)["id"] == "a" and len(session.calls) == 1
    assert [obj["id"] for obj in items] == ["b", "c", "d", "e"]
    assert session.calls[1][1] == "http://h/api/services?limit=2&offset=2"
    assert session.calls[2][1] == "http://h/api/services?limit=2&offset=4"
    assert session.calls[1][2] is None


@pytest.mark.parametrize("status, body, cls", [
    (400, {"status": 400, "detail": "bad cidr"}, qclient.BadRequest),
    (404, {"status": 404, "detail": "service 'x' does not exist"}, qclient.NotFound),
    (409, {"status": 409, "detail": "exists"}, qclient.Conflict),
    (422, {"errors": [{"status": 422, "detail": "unknown stack"}]}, qclient.RuleError),
    (403, {"detail": "no"}, qclient.Unauthorized),
    (503, {"detail": "down"}, qclient.ServerError),
])
def test_errors_are_typed_and_carry_the_detail(status, body, cls):
    api = qclient.Client("http://h", session=FakeSession(FakeResponse(status, body)))
    with pytest.raises(cls) as info:
        api.get("services", "x")
    assert str(info.value) in json.dumps(body)
    assert info.value.status == status


def test_a_reply_that_is_not_json_is_a_server_error():
    api = qclient.Client("http://h", session=FakeSession(FakeResponse(200, text="<html>")))
    with pytest.raises(qclient.ServerError):
        api.get("services", "x")
    api = qclient.Client("http://h", session=FakeSession(FakeResponse(502, text="<html>")))
    with pytest.raises(qclient.ServerError, match="HTTP 502"):
        api.get("services", "x")


def test_allocation_conflict_is_an_allocation_error():
    qcli, session = controller(FakeResponse(409, {"detail": "full"}))
    with pytest.raises(qclient.AllocationError, match="full"):
        qcli.allocate_subnet("n", 6, "eks0")
    assert session.calls == [("POST", "http://h/api/networks/n/allocate_subnet", None,
                              {"additional_mask_bits": 6, "name": "eks0"})]


def test_a_conflict_of_another_action_is_a_plain_conflict():
    qcli, _session = controller(FakeResponse(409, {"detail": "taken"}))
    with pytest.raises(qclient.Conflict) as info:
        qcli.free(network_id="n")
    assert type(info.value) is qclient.Conflict


def test_ids_keep_colons_and_slashes_in_urls():
    session = FakeSession(FakeResponse(200, {"id": "a"}))
    qclient.Client("http://h/", session=session).get("repos", "s3:bucket/path x")
    assert session.calls[0][1] == "http://h/api/repos/s3:bucket/path%20x"


def controller(*responses):
    session = FakeSession(*responses)
    api = qclient.Client("http://h", session=session)
    return QCLIController(ReturningOutputController(), client=api), session


def test_set_field_of_a_relation_writes_its_column():
    qcli, session = controller(FakeResponse(200, {"id": "d"}))
    qcli.set_field(resource="deployment", resource_id="d", field="current_release", value="d:7")
    assert session.calls[0][3] == {"current_release_id": "d:7"}


def test_set_field_parses_json_fields():
    qcli, session = controller(FakeResponse(200, {"id": "s"}))
    qcli.set_field(resource="service", resource_id="s", field="defaults", value='{"a": [1]}')
    assert session.calls[0][3] == {"defaults": {"a": [1]}}


def test_create_sends_positionals_and_options_only_when_given():
    qcli, session = controller(FakeResponse(201, {"id": "t:s:default"}))
    result = qcli.create(resource="deployment", deployment_target_id="t", service_id="s",
                         tag=None, defaults='{"x": 1}')
    assert result == {"id": "t:s:default"}
    assert session.calls[0][3] == {"deployment_target_id": "t", "service_id": "s",
                                   "defaults": {"x": 1}}


def test_create_without_a_positional_is_refused_locally():
    qcli, session = controller()
    with pytest.raises(qclient.InvalidInput, match="name"):
        qcli.create(resource="service", stack_id="a:b")
    assert session.calls == []


def test_link_commands_accept_the_relation_or_its_singular():
    qcli, session = controller(FakeResponse(200, {"id": "d"}), FakeResponse(200, {"id": "d"}))
    qcli.assign(resource="deployment", resource_id="d", relation="zone", other_id="z")
    qcli.unassign(resource="deployment", resource_id="d", relation="zones", other_id="z")
    assert session.calls[0][:2] == ("POST", "http://h/api/deployments/d/zones")
    assert session.calls[0][3] == {"id": "z"}
    assert session.calls[1][:3] == ("DELETE", "http://h/api/deployments/d/zones", {"id": "z"})


def test_link_methods_named_as_the_commands():
    qcli, session = controller(FakeResponse(200, {"id": "s"}))
    qcli.assign_repo(resource="service", resource_id="s", other_id="git:r")
    assert session.calls[0][:2] == ("POST", "http://h/api/services/s/repos")
    assert not hasattr(qcli, "nonsense") and not hasattr(qcli, "assign_")


def test_get_field_of_a_to_many_relation_streams_every_page():
    qcli, session = controller(page(["a"], "/api/stacks/s/services?offset=1"), page(["b"]))
    assert [o["id"] for o in qcli.get_field(resource="stack", resource_id="s",
                                             field="services")] == ["a", "b"]
