"""qcli over the history, against a live server: who changed what, the past, undo, rename.

Each operator question of issue 12 is one command here.
"""
import json
import threading
from datetime import datetime, timezone

import pytest

from qairon_qcli.history import moment
from tests.qcli.conftest import run_qcli, serving


@pytest.fixture(scope="module")
def live_server():
    """A server of this module's own: its history starts empty."""
    yield from serving()


@pytest.fixture(scope="module")
def world(live_server):
    def ok(*argv):
        result = run_qcli(list(argv), endpoint=live_server.url)
        assert result.status == 0, result.stderr
        return result.stdout.strip()
    ok("environment", "create", "prod")
    ok("application", "create", "shop")
    ok("stack", "create", "shop", "web")
    ok("service", "create", "shop:web", "api")
    ok("proc", "create", "shop:web:api", "http")
    return live_server


@pytest.fixture
def q(world):
    def run(*argv, **kw):
        return run_qcli(list(argv), endpoint=world.url, **kw)
    return run


def newest(q):
    result = q("changes", "--limit", "1", "-o", "json")
    return json.loads(result.stdout)[-1]["changeset"]


def test_moments_and_durations():
    now = datetime(2026, 11, 20, 14, 0, tzinfo=timezone.utc)
    assert moment("1h", now) == "2026-11-20T13:00:00Z"
    assert moment("2d", now) == "2026-11-18T14:00:00Z"
    assert moment("42") == "42" and moment("2026-11-20") == "2026-11-20"


def test_who_changed_it_and_what_it_was(q):
    assert q("service", "set_field", "shop:web:api", "defaults", '{"port": 80}').status == 0
    before = newest(q) - 1
    assert q("service", "set_field", "shop:web:api", "defaults", '{"port": 81}').status == 0
    history = q("service", "history", "shop:web:api").stdout.splitlines()
    assert [line.split("\t")[3] for line in history] == ["create", "update", "update"]
    assert all(line.split("\t")[2] == "anonymous" for line in history)
    assert history[-1].split("\t")[-1] == "defaults"
    past = q("--as-of", str(before + 1), "service", "get_field", "shop:web:api", "defaults")
    assert past.status == 0 and json.loads(past.stdout) == {"port": 80}
    assert json.loads(q("service", "get", "shop:web:api", "--as-of", str(before),
                        "-o", "json").stdout)["defaults"] == {}
    listed = q("--as-of", "1", "service", "list")
    assert listed.status == 0 and listed.stdout == ""
    too_early = q("--as-of", "2001-01-01", "service", "list")
    assert too_early.status == 2 and "before the start of the history" in too_early.stderr


def test_changes_in_the_last_hour_and_a_diff(q):
    first = newest(q)
    assert q("application", "create", "blog").status == 0
    assert q("application", "set_field", "shop", "defaults", '{"team": "s"}').status == 0
    recent = q("changes", "--since", "1h", "--resource", "application").stdout.splitlines()
    assert [line.split("\t")[5] for line in recent][-2:] == ["blog", "shop"]
    assert q("changes", "--actor", "nobody").stdout == ""
    diff = json.loads(q("diff", "--since", str(first + 1), "-o", "json").stdout)
    assert diff["resources"] == {"application": {"created": 1, "updated": 1, "deleted": 0}}
    assert {o["id"]: list(o["fields"]) for o in diff["objects"]} == {"blog": [],
                                                                      "shop": ["defaults"]}
    table = q("diff", "--since", str(first + 1), tty=True).stdout
    assert "application: 1 created, 1 updated" in table and "CHANGE" in table
    assert q("diff").status == 2


def test_revert_a_changeset_and_its_refusal(q):
    assert q("application", "set_field", "blog", "defaults", '{"v": 1}').status == 0
    changeset = newest(q)
    reverted = q("changeset", "revert", str(changeset))
    assert reverted.status == 0 and int(reverted.stdout) == changeset + 1
    assert q("application", "get_field", "blog", "defaults").stdout.strip() == "{}"
    refused = q("changeset", "revert", str(changeset))
    assert refused.status == 4 and "changed since" in refused.stderr
    shown = json.loads(q("changeset", "get", str(changeset + 1), "-o", "json").stdout)
    assert shown["note"] == {"reverts": changeset}


def test_restore_a_deleted_stack_and_rename_a_service(q):
    assert q("stack", "delete", "shop:web", "--cascade").status == 0
    assert q("service", "get", "shop:web:api").status == 3
    restored = q("stack", "restore", "shop:web", "--subtree")
    assert restored.status == 0 and restored.stdout.strip() == "shop:web"
    assert q("proc", "get", "shop:web:api:http").status == 0
    renamed = q("service", "rename", "shop:web:api", "backend")
    assert renamed.status == 0 and renamed.stdout.strip() == "shop:web:backend"
    assert q("proc", "list").stdout.split() == ["shop:web:backend:http"]
    gone = q("service", "get", "shop:web:api")
    assert gone.status == 3 and "renamed to 'shop:web:backend'" in gone.stderr
    assert q("service", "rename", "shop:web:backend", "backend").status == 2
    assert q("proc", "delete", "shop:web:backend:http").status == 0
    moment = newest(q) - 1
    back = q("proc", "restore", "shop:web:backend:http", "--as-of", str(moment))
    assert back.status == 0 and back.stdout.strip() == "shop:web:backend:http", back.stderr
    assert q("proc", "restore", "shop:web:backend:http").status == 4


def test_follow_prints_the_next_change(q):
    out = {}

    def follow():
        out["result"] = q("changes", "--follow", "--count", "1", "--interval", "0.2",
                          "--resource", "environment", "-o", "json")
    thread = threading.Thread(target=follow)
    thread.start()
    import time
    time.sleep(1.5)
    assert q("application", "create", "ignored").status == 0
    assert q("environment", "create", "staging").status == 0
    thread.join(30)
    assert not thread.is_alive()
    change = json.loads(out["result"].stdout)
    assert (change["operation"], change["object_id"]) == ("create", "staging")
