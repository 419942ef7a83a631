"""API tokens: the commands, the admin API, whoami, schemes, expiry, revocation, secrecy."""
import logging
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from qairon.extensions import db
from qairon.identity import tokens
from qairon.identity.models import ApiToken
from qairon.models.base import utcnow
from tests.server.helpers import counts

from .conftest import bearer, issue, send


def test_token_commands_print_the_secret_once_and_never_list_it(runner, app):
    created = runner.invoke(args=["token", "create", "--name", "ci-dev", "--role", "writer",
                                  "--env", "dev", "--expires", "90d"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith("qrn_") and len(secret) > 40 and "\n" not in secret
    assert "shown this once" in created.stderr and secret not in created.stderr
    listed = runner.invoke(args=["token", "list"])
    assert listed.exit_code == 0 and secret not in listed.output
    name, role, envs, state, expires, used = listed.stdout.strip().split("\t")
    assert (name, role, envs, state, used) == ("ci-dev", "writer", "dev", "active", "never used")
    assert expires.startswith(str((utcnow() + timedelta(days=90)).date()))
    again = runner.invoke(args=["token", "create", "--name", "ci-dev", "--role", "reader"])
    assert again.exit_code == 1 and "exists already" in again.output
    revoked = runner.invoke(args=["token", "revoke", "ci-dev"])
    assert revoked.exit_code == 0
    assert "\trevoked\t" in runner.invoke(args=["token", "list"]).stdout
    assert runner.invoke(args=["token", "revoke", "nope"]).exit_code == 1
    bad = runner.invoke(args=["token", "create", "--name", "x", "--role", "writer",
                              "--expires", "soon"])
    assert bad.exit_code == 1 and "90d" in bad.output


def test_bearer_and_token_schemes_and_whoami(client, secured):
    _, secret = issue("writer", ("dev", "staging"), name="ci")
    for scheme in ("Bearer", "Token", "bearer"):
        response = client.get("/api/whoami", headers={"Authorization": f"{scheme} {secret}"})
        assert response.status_code == 200
        assert response.get_json() == {"name": "ci", "kind": "token", "role": "writer",
                                       "environments": ["dev", "staging"], "auth": "writes"}
        assert response.headers["Cache-Control"] == "no-store"
    anonymous = client.get("/api/whoami").get_json()
    assert (anonymous["name"], anonymous["kind"], anonymous["role"]) == ("anonymous",
                                                                        "anonymous", None)


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer qrn_nope",
                                    "Bearer qrn_half secondhalf"])
def test_bad_credentials_are_401_even_on_reads(client, secured, header):
    response = client.get("/api/services", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.get_json()
    assert body["source"] == {"field": "Authorization"} and body["detail"]
    for word in header.split(" ")[1:]:
        assert word not in body["detail"]


def test_an_expired_token_is_refused(client, secured):
    _, secret = issue("writer", name="old", expires_at=utcnow() - timedelta(seconds=1))
    response = client.get("/api/whoami", headers=bearer(secret))
    assert response.status_code == 401 and "token 'old' expired on" in response.get_json()["detail"]
    _, fresh = issue("writer", name="fresh", expires_at=utcnow() + timedelta(hours=1))
    assert client.get("/api/whoami", headers=bearer(fresh)).status_code == 200


def test_revocation_through_the_api_is_immediate_here(client, secured):
    _, admin = issue("admin")
    _, secret = issue("writer", name="victim")
    assert client.get("/api/whoami", headers=bearer(secret)).status_code == 200
    revoked = client.delete("/api/tokens/victim", headers=bearer(admin))
    assert revoked.status_code == 200 and revoked.get_json()["state"] == "revoked"
    response = client.get("/api/whoami", headers=bearer(secret))
    assert response.status_code == 401 and "was revoked" in response.get_json()["detail"]


def test_a_revocation_by_another_worker_reaches_this_one_within_a_second(client, secured):
    _, secret = issue("writer", name="elsewhere")
    assert client.get("/api/whoami", headers=bearer(secret)).status_code == 200
    db.session.execute(text("UPDATE api_token SET revoked_at = created_at "
                            "WHERE name = 'elsewhere'"))
    db.session.commit()
    started = time.monotonic()
    while client.get("/api/whoami", headers=bearer(secret)).status_code == 200:
        assert time.monotonic() - started < 1.2
        time.sleep(0.05)


def test_last_used_is_written_at_most_once_a_minute(client, secured):
    _, secret = issue("reader", name="r")

    def last_used():
        db.session.remove()
        return db.session.execute(select(ApiToken.last_used_at)).scalar()

    assert last_used() is None
    client.get("/api/whoami", headers=bearer(secret))
    first = last_used()
    assert first is not None
    tokens.CACHE.entries.clear()
    client.get("/api/whoami", headers=bearer(secret))
    assert last_used() == first


def test_the_tokens_api_is_for_unscoped_admins(client, secured):
    _, admin = issue("admin")
    created = send(client, "POST", "/api/tokens", {"name": "ci-prod", "role": "writer",
                                                   "environments": ["prod"], "expires": "30d"},
                   bearer(admin))
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    body = created.get_json()
    assert body["secret"].startswith("qrn_") and body["environments"] == ["prod"]
    assert body["created_by"] == "admin-all"
    listed = client.get("/api/tokens", headers=bearer(admin)).get_json()["results"]
    assert {t["name"] for t in listed} == {"admin-all", "ci-prod"}
    assert body["secret"] not in str(listed)
    assert client.get("/api/whoami", headers=bearer(body["secret"])).get_json()["name"] == \
        "ci-prod"
    _, writer = issue("writer")
    _, scoped_admin = issue("admin", ("dev",))
    for headers, status in (({}, 401), (bearer(writer), 403), (bearer(scoped_admin), 403),
                            (bearer(body["secret"]), 403)):
        assert client.get("/api/tokens", headers=headers).status_code == status
        assert send(client, "POST", "/api/tokens", {"name": "x", "role": "admin"},
                    headers).status_code == status
    for bad, field in (({"name": "y", "role": "root"}, "role"),
                       ({"name": "y", "role": "reader", "colour": 1}, "colour"),
                       ({"name": "y", "role": "reader", "environments": "dev"}, "environments"),
                       ({"name": "ci-prod", "role": "reader"}, "name"),
                       ({"name": "y", "role": "reader", "expires": "2001-01-01"}, "expires")):
        response = send(client, "POST", "/api/tokens", bad, bearer(admin))
        assert response.status_code in (400, 409) and \
            response.get_json()["source"]["field"] == field, response.get_json()


def test_modes(client, secured, app):
    _, reader = issue("reader")
    assert client.get("/api/services").status_code == 200
    app.config["AUTH"] = "all"
    for path in ("/api/services", "/api/schema", "/api/whoami", "/api/rest/v1/service"):
        response = client.get(path)
        assert response.status_code == 401 and "reading needs a token" in (
            response.get_json().get("detail") or response.get_json()["errors"][0]["detail"])
        assert client.get(path, headers=bearer(reader)).status_code == 200
    for path in ("/up", "/ready"):
        assert client.get(path).status_code == 200
    assert client.get("/nothing-here").status_code == 404
    app.config["AUTH"] = "off"
    before = counts()
    assert send(client, "POST", "/api/environments", {"name": "dev"}).status_code == 201
    assert counts() != before


def test_no_secret_in_the_database_nor_in_the_logs(runner, client, secured, caplog):
    caplog.set_level(logging.DEBUG)
    created = runner.invoke(args=["token", "create", "--name", "admin", "--role", "admin"])
    secret = created.stdout.strip()
    made = send(client, "POST", "/api/tokens", {"name": "ci", "role": "writer"}, bearer(secret))
    other = made.get_json()["secret"]
    client.get("/api/whoami", headers=bearer(other))
    client.get("/api/whoami", headers=bearer(other + "x"))
    send(client, "POST", "/api/environments", {"name": "dev"}, bearer(other))
    client.delete("/api/tokens/ci", headers=bearer(secret))
    client.get("/api/whoami", headers=bearer(other))
    dump = []
    for table in db.metadata.sorted_tables:
        dump.extend(str(row) for row in db.session.execute(select(table)))
    text_of_db = "\n".join(dump)
    assert "ci" in text_of_db and tokens.hash_secret(secret) in text_of_db
    for value in (secret, other, secret[4:], other[4:]):
        assert value not in text_of_db
        assert value not in caplog.text


def test_an_unknown_mode_is_refused_at_start():
    from qairon import create_app
    with pytest.raises(ValueError, match="must be one of off, writes, all"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "AUTH": "sometimes"})
