"""Answers the fuzz (``tests/fuzz``) once found broken, kept as plain regressions."""
import json

import pytest

FIELD_FILTER = [{"name": "last_updated_at", "op": "eq", "field": "name"}]


@pytest.mark.parametrize(("path", "parameter"), [("/api/services", "filter"),
                                                 ("/api/rest/v1/service", "filter[objects]")])
def test_comparing_fields_of_different_kinds_is_a_400(client, path, parameter):
    """A time compared with a text field: PostgreSQL has no such operator (it was a 500)."""
    response = client.get(path, query_string={parameter: json.dumps(FIELD_FILTER)})
    body = response.get_json()
    error = body["errors"][0] if "errors" in body else body
    assert response.status_code == 400, body
    assert "last_updated_at and name" in error["detail"], body


def test_comparing_fields_of_one_kind_still_works(client):
    same = [{"name": "created_at", "op": "le", "field": "last_updated_at"}]
    response = client.get("/api/services", query_string={"filter": json.dumps(same)})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("path", ["/api/allocations", "/api/rest/v1/allocation",
                                  "/api/services/no:such"])
def test_a_superscript_digit_as_a_moment_is_a_400(client, path):
    """``as_of=¹``: ``str.isdigit`` says yes, ``int`` says no (it was a 500; schemathesis)."""
    response = client.get(path, query_string={"as_of": "¹"})
    body = response.get_json()
    error = body["errors"][0] if "errors" in body else body
    assert response.status_code == 400, body
    assert error["source"] == {"field": "as_of"}


@pytest.mark.parametrize("parameter", ["limit", "since"])
def test_a_superscript_digit_as_a_number_of_the_history_is_a_400(client, parameter):
    response = client.get("/api/changes", query_string={parameter: "¹"})
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["source"] == {"field": parameter}


@pytest.mark.parametrize("bits", ["+-8", "¹", "٣"])
def test_allocation_bits_that_are_not_a_whole_number_are_a_400(client, bits):
    """``"+-8"`` passed a sign-stripping check, then ``int`` refused it (a 500)."""
    from tests.server.helpers import build_world
    from tests.support.world import first_of
    build_world(client)
    network = first_of("network").id
    response = client.post(f"/api/networks/{network}/allocate_subnet",
                           json={"additional_mask_bits": bits, "name": "fuzzed"})
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["source"] == {"field": "additional_mask_bits"}


@pytest.mark.parametrize("query", ["filter[single]=\x01\U0004f443w", "x=é", "y=a\x7fb"])
def test_header_values_stay_printable_ascii_whatever_the_query(client, query):
    """The JSON:API ``Link`` header repeated the decoded query: a live server failed to
    write it and dropped the connection (found by schemathesis)."""
    response = client.get("/api/rest/v1/environment?" + query)
    assert response.status_code == 200
    for name, value in response.headers.items():
        assert value.isascii() and value.isprintable(), (name, value)
    assert "x=%C3%A9" in response.headers["Link"] or "é" not in query
