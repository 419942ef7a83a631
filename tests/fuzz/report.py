"""The summary of fuzz runs: one table row per (backend, face), then one example
of every distinct problem (the request and the answer)."""

COLUMNS = ("backend", "face", "requests", "2xx", "3xx", "4xx", "5xx", "leaks", "shape")


def rows(backend, tally):
    """Table rows of one run."""
    out = []
    for face in sorted(tally.requests):
        statuses = tally.statuses[face]
        by_class = {k: sum(n for s, n in statuses.items() if s // 100 == k) for k in (2, 3, 4, 5)}
        leaks = sum(n for (f, p), n in tally.problems.items() if f == face and p.startswith("leak"))
        shape = sum(n for (f, p), n in tally.problems.items()
                    if f == face and p != "5xx" and not p.startswith("leak"))
        out.append((backend, face, tally.requests[face], by_class[2], by_class[3], by_class[4],
                    by_class[5], leaks, shape))
    return out


def table(results):
    """The summary table of ``[(backend, tally)]`` as text."""
    lines = [row for backend, tally in results for row in rows(backend, tally)]
    widths = [max(len(str(x)) for x in column) for column in zip(COLUMNS, *lines, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" if i < 2 else f"{{:>{w}}}" for i, w in enumerate(widths))
    out = [fmt.format(*COLUMNS), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*row) for row in lines]
    return "\n".join(out)


def statuses(results):
    """Status counts per backend and face, one line each."""
    out = []
    for backend, tally in results:
        for face, counter in sorted(tally.statuses.items()):
            shown = ", ".join(f"{status}: {n}" for status, n in sorted(counter.items()))
            out.append(f"{backend} {face}: {shown}")
    return "\n".join(out)


def examples(results, limit=None):
    """One paragraph per distinct problem: the kind of request, the request, the answer."""
    out = []
    for backend, tally in results:
        for (kind, problem, status, cause), kept in sorted(tally.examples.items(), key=str):
            request, _status, body = kept[0]
            because = f"\n  cause: {cause}" if cause else ""
            out.append(f"[{backend}] {kind}: {problem} (HTTP {status})\n  -> {request}\n"
                       f"  <- {body}{because}")
    return "\n".join(out[:limit])
