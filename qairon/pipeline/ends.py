"""Keeping objects that other rows name by ID alone (no foreign key to hold them).

A plugin whose rows name any object by ID (a dependency's ends) registers a
``derive`` hook that asks :func:`gone` what a write deletes or renames away, looks
for its rows that still name those objects, and refuses with :func:`refuse_named`,
so nothing is left pointing at an object that no longer exists.
"""
from qairon.core.chunks import chunked
from qairon.core.errors import Conflict

#: How many of the rows naming an object a refusal lists.
NAMED = 3
#: How many IDs one lookup names (a cascade may remove many objects at once).
CHUNK = 5000


def gone(changes):
    """``(resource, IDs)`` of the objects ``changes`` delete or give another ID, at most
    :data:`CHUNK` IDs at a time."""
    out = {}
    for change in changes:
        renamed = (change.operation == "update" and change.before
                   and change.before.get("id") != change.id)
        if change.operation == "delete" or renamed:
            out.setdefault(change.resource, set()).add((change.before or {}).get("id",
                                                                                 change.id))
    for resource, ids in sorted(out.items()):
        for chunk in chunked(sorted(ids), CHUNK):
            yield resource, chunk


def deleted(changes, resource):
    """IDs of the ``resource`` objects ``changes`` delete (rows that stop naming anything)."""
    return {c.id for c in changes if c.operation == "delete" and c.resource == resource}


def refuse_named(resource, holders, what):
    """Refuse (409) when ``holders``, the IDs of ``what`` rows naming a ``resource`` that
    goes, are not all gone too."""
    holders = sorted(holders)
    if holders:
        more = f" and {len(holders) - NAMED} more" if len(holders) > NAMED else ""
        raise Conflict(f"the {resource} is named by the {what} "
                       f"{', '.join(repr(h) for h in holders[:NAMED])}{more}; delete them "
                       f"first", field="id")
