"""Splitting long lists into bounded pieces (``IN`` lists, insert batches)."""


def chunked(items, size):
    """Consecutive slices of ``items`` (a sequence), each at most ``size`` long."""
    items = items if isinstance(items, (list, tuple)) else list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]
