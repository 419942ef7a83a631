"""What the database holds, summed up: per table, its row count and a checksum of its rows.

A refused request (4xx) must leave every table as it was; the fuzz compares
the summary after each answer with the one before it.
"""
import hashlib

from sqlalchemy import select


def summary(engine, metadata):
    """``{table: (rows, sha256 of the sorted rows)}`` for every table of ``metadata``."""
    out = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            out[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode(
                "utf-8", "surrogatepass")).hexdigest())
    return out


def changed(before, after):
    """The tables whose count or checksum differ, sorted."""
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
