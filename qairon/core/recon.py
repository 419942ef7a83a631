"""Reconciliation's comparison: intended entries (Qairon) against actual ones.

Both sides arrive as what their jq patterns produced: a list of entries, one
entry, or a stream of outputs. :func:`entries` makes a list of it;
:func:`compare` matches entries by the ``match`` fields (the whole entry when
none are declared) and reports those missing from the actual state, those
unexpected in it and those whose fields differ. Everything is normalised —
key order never matters, and the lists come out sorted — so the same inputs
always give the same report.
"""
import json

IN_SYNC, DRIFT = "in_sync", "drift"


def canonical(value):
    """Compact JSON text of ``value`` with sorted keys: the identity of an entry."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entries(outputs):
    """The entries of jq ``outputs``: a single list output is the list itself."""
    if len(outputs) == 1 and isinstance(outputs[0], list):
        return outputs[0]
    return list(outputs)


def match_fields(value):
    """The match fields from ``"a,b"`` or ``["a", "b"]`` (empty: whole entries)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(f, str) and f.strip() for f in value):
        raise ValueError("match must name entry fields: \"service\" or [\"service\", "
                         "\"namespace\"]")
    return tuple(f.strip() for f in value)


def _key(entry, match):
    if not match or not isinstance(entry, dict):
        return canonical(entry)
    return canonical({f: entry.get(f) for f in match})


def _index(items, match, side, duplicates):
    out = {}
    for entry in items:
        key = _key(entry, match)
        if key in out and match:
            duplicates.append({"side": side, "key": json.loads(key)})
        out[key] = entry
    return out


def _differences(intended, actual):
    if not isinstance(intended, dict) or not isinstance(actual, dict):
        return {"": {"qairon": intended, "actual": actual}}
    return {name: {"qairon": intended.get(name), "actual": actual.get(name)}
            for name in sorted(set(intended) | set(actual))
            if canonical(intended.get(name)) != canonical(actual.get(name))}


def compare(intended, actual, match=()):
    """The report of ``intended`` (Qairon's entries) against ``actual``, matched by ``match``."""
    duplicates = []
    want = _index(intended, match, "qairon", duplicates)
    have = _index(actual, match, "actual", duplicates)
    missing = [want[k] for k in sorted(set(want) - set(have))]
    unexpected = [have[k] for k in sorted(set(have) - set(want))]
    changed = []
    for key in sorted(set(want) & set(have)):
        fields = _differences(want[key], have[key])
        if fields:
            changed.append({"key": json.loads(key), "fields": fields})
    counts = {"qairon": len(want), "actual": len(have), "missing": len(missing),
              "unexpected": len(unexpected), "changed": len(changed)}
    status = DRIFT if missing or unexpected or changed else IN_SYNC
    report = {"status": status, "match": list(match), "counts": counts, "missing": missing,
              "unexpected": unexpected, "changed": changed}
    if duplicates:
        report["duplicates"] = duplicates
    return report
