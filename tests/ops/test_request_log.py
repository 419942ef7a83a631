"""One log line per request, with its ID, route template, actor and changeset; no secrets."""
import json

import pytest

from qairon.extensions import db
from qairon.identity import tokens
from qairon.ops.logs import FIELDS, formatter_for


def lines(captured):
    """The JSON request lines written to standard error."""
    return [json.loads(line) for line in captured.err.splitlines()
            if line.startswith("{") and '"event":"request"' in line]


def call(client, method, url, **kw):
    """One request, its body read and the answer closed (as a WSGI server does)."""
    response = client.open(url, method=method, **kw)
    response.get_data()
    response.close()
    return response


def test_one_json_line_per_request_with_its_id_route_actor_and_changeset(app, capsys):
    client = app.test_client()
    capsys.readouterr()
    created = call(client, "POST", "/api/environments", json={"name": "prod"},
                   headers={"X-Request-ID": "ci-job-42.step_3"})
    read = call(client, "GET", "/api/environments/prod")
    missing = call(client, "GET", "/nowhere")
    (first, second, third) = lines(capsys.readouterr())
    assert created.headers["X-Request-ID"] == "ci-job-42.step_3"
    assert first["request_id"] == "ci-job-42.step_3"
    assert set(FIELDS) <= set(first)
    assert (first["method"], first["route"], first["status"]) == ("POST", "/api/<plural>", 201)
    assert first["changeset"] == created.headers["Qairon-Changeset"] and first["actor"]
    assert first["sql"] >= 2 and first["duration_ms"] > 0
    assert second["route"] == "/api/<plural>/<path:rest>" and second["changeset"] is None
    assert second["request_id"] == read.headers["X-Request-ID"] and len(second["request_id"]) == 32
    assert (third["route"], third["status"]) == ("<unmatched>", 404)
    assert missing.headers["X-Request-ID"] == third["request_id"]


@pytest.mark.parametrize("given", ["", "x" * 129, "two words", "semi;colon", "é"])
def test_an_unusable_request_id_is_replaced(app, given, capsys):
    response = call(app.test_client(), "GET", "/up", headers={"X-Request-ID": given})
    assert response.headers["X-Request-ID"] != given
    assert len(response.headers["X-Request-ID"]) == 32
    assert lines(capsys.readouterr())[-1]["request_id"] == response.headers["X-Request-ID"]


def test_no_token_password_or_body_reaches_the_log(app, capsys):
    app.config["AUTH"] = "writes"
    try:
        _token, secret = tokens.create_token(db.session, "ci", "writer", ())
        db.session.commit()
        client = app.test_client()
        capsys.readouterr()
        auth = {"Authorization": f"Bearer {secret}"}
        call(client, "POST", "/api/environments", headers=auth,
             json={"name": "prod", "defaults": {"db_password": "hunter2-very-secret"}})
        call(client, "GET", "/api/environments?filter=hunter2-in-a-query", headers=auth)
        call(client, "POST", "/api/session", json={"username": "ops",
                                                   "password": "another-secret-pw"})
        call(client, "GET", "/api/whoami", headers={"Authorization": "Bearer qrn_not_a_real"})
        err = capsys.readouterr().err
    finally:
        app.config["AUTH"] = "off"
    assert len(lines(type("C", (), {"err": err}))) == 4
    for text in (secret, secret[4:], "hunter2", "another-secret-pw", "qrn_not_a_real", "Bearer"):
        assert text not in err
    assert '"actor":"ci"' in err


def test_plain_text_in_a_terminal_json_elsewhere():
    class Terminal:
        def isatty(self):
            return True

    assert type(formatter_for("auto", Terminal())).__name__ == "PlainText"
    assert type(formatter_for("auto", object())).__name__ == "JsonLines"
    assert type(formatter_for("json", Terminal())).__name__ == "JsonLines"
    with pytest.raises(ValueError, match="QAIRON_LOG_FORMAT"):
        formatter_for("xml", object())
