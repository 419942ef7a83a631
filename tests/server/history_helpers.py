"""Helpers of the history suites: the changeset a response names, its changes, as_of reads."""
import json

from qairon.extensions import db
from qairon.history.models import changeset


def changeset_of(response):
    """The changeset a write response names in its header (asserted present)."""
    value = response.headers.get("Qairon-Changeset")
    assert value, (response.status_code, response.get_json())
    return int(value)


def changes_in(client, changeset_id):
    """Every change of a changeset, oldest first."""
    body = client.get(f"/api/changes?changeset={changeset_id}&limit=1000").get_json()
    return list(reversed(body["results"]))


def changeset_count():
    """Changesets recorded so far (read outside any request)."""
    db.session.remove()
    return db.session.query(changeset).count()


def post_json(client, url, body=None):
    return client.post(url, data=json.dumps(body if body is not None else {}),
                       headers={"Content-Type": "application/json"})


def snapshot(client, urls):
    """The JSON answers of ``urls`` now, to compare with ``as_of`` reads later."""
    return {url: client.get(url).get_json() for url in urls}


def as_of(url, moment):
    """``url`` with ``as_of=moment`` added."""
    return url + ("&" if "?" in url else "?") + f"as_of={moment}"


def without_times(value):
    """``value`` with ``last_updated_at`` left out everywhere (a restore rewrites it)."""
    if isinstance(value, dict):
        return {k: without_times(v) for k, v in value.items() if k != "last_updated_at"}
    if isinstance(value, list):
        return [without_times(v) for v in value]
    return value
