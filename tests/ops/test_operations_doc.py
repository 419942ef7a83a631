"""docs/OPERATIONS.md, its alerts and its dashboard name only metrics that /metrics serves."""
import json
import os
import re

from qairon.ops.metrics import NAMES
from tests.support.live_server import REPO_ROOT

DOCS = os.path.join(REPO_ROOT, "docs")
SUFFIXES = ("_bucket", "_count", "_sum", "_created")


def named(text):
    """The metric names a text uses (histogram and counter series folded to their metric)."""
    out = set()
    for name in re.findall(r"\bqairon_[a-z_]+", text):
        for suffix in SUFFIXES:
            if name.endswith(suffix) and name[: -len(suffix)] in NAMES:
                name = name[: -len(suffix)]
        out.add(name)
    return out


def read(*parts):
    with open(os.path.join(DOCS, *parts), encoding="utf-8") as handle:
        return handle.read()


def test_the_dashboard_and_alerts_use_only_served_metrics():
    dashboard = json.loads(read("monitoring", "qairon-dashboard.json"))
    expressions = " ".join(t["expr"] for p in dashboard["panels"] for t in p["targets"])
    alerts = read("monitoring", "qairon-alerts.yml")
    used = named(expressions) | named(alerts)
    assert used - set(NAMES) == set()
    assert len(used) >= 10


def test_every_metric_is_documented():
    assert set(NAMES) <= named(read("OPERATIONS.md"))
    assert named(read("OPERATIONS.md")) - set(NAMES) == set()
