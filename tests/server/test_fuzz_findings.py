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
