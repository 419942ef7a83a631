"""The benchmark's table on stdout and its JSON under ``bench/results/``."""
import json
import os
import platform
import subprocess
import time

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")

#: operation -> [(figure, comparison, bound, unit)] the issue sets.
TARGETS = {
    "GET service by ID, plain": [("single.p50_ms", "<=", 1.0, "ms"),
                                 ("concurrent.rps", ">=", 2500, "req/s")],
    "first page of 100 services": [("single.p50_ms", "<=", 5.0, "ms")],
    "qcli service list (10,000)": [("single.p50_ms", "<=", 500, "ms")],
    "POST create build": [("concurrent.rps", ">=", 1000, "req/s")],
    "CI flow, 5 writes": [("single.p50_ms", "<=", 10.0, "ms")],
    "qcli --help": [("single.p50_ms", "<=", 100, "ms")],
    "qcli service get": [("single.p50_ms", "<=", 150, "ms")],
    "admin UI: list of 100 services": [("single.p50_ms", "<=", 50, "ms")],
    "admin UI: deployment object page": [("single.p50_ms", "<=", 50, "ms")],
}


#: GET by ID with a token may be at most this much slower (p50) than without.
TOKEN_OVERHEAD = 0.10


def token_overhead(rows):
    """The sentence comparing GET by ID with a token to without (p50), or None."""
    by_name = {row["operation"]: row for row in rows}
    plain, token = by_name.get("GET service by ID, plain"), by_name.get(
        "GET service by ID, plain, with a token")
    if not plain or not token:
        return None
    without, with_token = plain["single"]["p50_ms"], token["single"]["p50_ms"]
    extra = with_token / without - 1
    verdict = "met" if extra <= TOKEN_OVERHEAD else "MISSED"
    return (f"GET by ID with a token: p50 {with_token:.3f} ms against {without:.3f} ms without "
            f"({extra:+.1%}; target <= +{TOKEN_OVERHEAD:.0%}: {verdict})")


def machine():
    """A one-line description of the machine the run happened on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        pg = subprocess.run(["psql", "--version"], capture_output=True, text=True,
                            check=False).stdout.strip()
    except OSError:
        pg = "PostgreSQL"
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"{pg or 'PostgreSQL'}, {platform.system()} {platform.release()}")


def _get(row, dotted):
    value = row
    for part in dotted.split("."):
        value = (value or {}).get(part)
    return value


def verdicts(row):
    """[(text, ok)] of the row's targets."""
    out = []
    for figure, comparison, bound, unit in TARGETS.get(row["operation"], []):
        value = _get(row, figure)
        if value is None:
            continue
        ok = value <= bound if comparison == "<=" else value >= bound
        who = "1 client" if figure.startswith("single") else "16 conns"
        sign = "≤" if comparison == "<=" else "≥"
        out.append((f"{who} {sign} {bound:,g} {unit}: {'met' if ok else 'MISSED'}", ok))
    return out


def _fmt(value, digits=2):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def table(rows):
    """The result table as text (markdown, so README can carry it as is)."""
    head = ("| operation | SQL/req | 1 client p50 ms | p95 ms | req/s | 16 conns p50 ms | p95 ms "
            "| req/s | floor p50 ms | x floor | target |")
    lines = [head, "|" + "---|" * 11]
    for row in rows:
        single, conc = row.get("single") or {}, row.get("concurrent") or {}
        floor = row.get("floor") or {}
        ratio = (single.get("p50_ms") / floor["p50_ms"]
                 if floor.get("p50_ms") and single.get("p50_ms") else None)
        target = "; ".join([text for text, _ok in verdicts(row)]
                           + ([row["note"]] if row.get("note") else []))
        lines.append("| " + " | ".join([
            row["operation"], _fmt(row.get("sql")), _fmt(single.get("p50_ms")),
            _fmt(single.get("p95_ms")), _fmt(single.get("rps")), _fmt(conc.get("p50_ms")),
            _fmt(conc.get("p95_ms")), _fmt(conc.get("rps")), _fmt(floor.get("p50_ms"), 3),
            _fmt(ratio, 1), target]) + " |")
    return "\n".join(lines)


def save(document):
    """Write the run to ``bench/results/<stamp>.json`` and ``latest.json``; return the path."""
    os.makedirs(RESULTS, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = os.path.join(RESULTS, f"run-{stamp}.json")
    text = json.dumps(document, indent=2)
    for target in (path, os.path.join(RESULTS, "latest.json")):
        with open(target, "w") as handle:
            handle.write(text + "\n")
    return path
