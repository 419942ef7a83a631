"""Upstream rows into our fields: references through the IDs mapped so far, values
converted, ``defaults`` parsed, and the columns we have no place for carried.

IDs are never split: each row's ID is rebuilt by our recipe from its mapped
fields (:func:`qairon.bulk.importer.identity_of`), and every upstream ID is
remembered with the ID it became, so that a child names its parent by the
upstream ID it stored, stale or not.

A row's timestamps go beside its fields (:func:`stamps_of`): the object keeps
the time it was made and last changed in the older Qairon.
"""
import json
import re
from datetime import date, datetime, timezone

from qairon.bulk.importer import identity_of
from qairon.core.errors import BadRequest, Conflict, NotFound, QaironError
from qairon.models import REGISTRY
from qairon.upstream.tables import CARRY_KEY, COMMON, LINKS


def defaults_of(text):
    """Our ``defaults`` object from an upstream text column, and what to carry if it is
    not a JSON object (None when nothing is)."""
    if text is None or not str(text).strip():
        return {}, None
    try:
        value = json.loads(text)
    except ValueError:
        return {}, text
    return (value, None) if isinstance(value, dict) else ({}, text)


def table_of_class(class_name):
    """The upstream table of a model class name (``DeploymentTarget`` -> ``deployment_target``)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", str(class_name)).lower()


def plain(value):
    """A column value as JSON can hold it."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def utc(column, value):
    """An upstream timestamp as an aware UTC datetime (a naive one is UTC), or None."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise BadRequest(f"{column} must be a timestamp, not {type(value).__name__}",
                         field=column)
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def stamps_of(row):
    """The timestamps an upstream row gives its object: ``created_at``, and
    ``last_updated_at`` (upstream sets it on update only: null means never updated,
    so its ``created_at``). A row without ``created_at`` gives none: the import's
    time applies to both (a last update before the creation would make no sense)."""
    created = utc("created_at", row.get("created_at"))
    if created is None:
        return {}
    updated = utc("last_updated_at", row.get("last_updated_at"))
    return {"created_at": created, "last_updated_at": updated or created}


def merge_stamps(kept, other):
    """Fold a merged row's timestamps into the object's: the earliest creation, the
    latest update."""
    if not other:
        return
    if not kept:
        kept.update(other)
        return
    kept["created_at"] = min(kept["created_at"], other["created_at"])
    kept["last_updated_at"] = max(kept["last_updated_at"], other["last_updated_at"])


class Mapper:
    """Maps rows table by table, remembering each upstream ID's new ID."""

    def __init__(self):
        self.ids = {}             # upstream table -> {upstream ID: our ID}
        self.sources = {}         # upstream table -> {upstream ID: our fields}, for moved fields
        self.implied_links = []   # (link table, owner's upstream ID, other's upstream ID)
        self.merged = {}          # upstream table -> rows merged into an object already mapped
        self.first = {}           # upstream table -> {our ID: the upstream ID that made it}
        self.stamps = {}          # merging table -> {our ID: its timestamps, merged ones folded}
        self.moved_from = {moved.field.removesuffix("_id"): moved.use
                           for cls in REGISTRY.values() for moved in cls.upstream.moved
                           if moved.use}

    def our_id(self, table, upstream_id):
        """The ID an upstream object became, or None."""
        return self.ids.get(table, {}).get(upstream_id)

    def _reference(self, cls, field, column, table, value):
        if value is None:
            return None
        mapped = self.our_id(table, value)
        if mapped is None:
            raise NotFound(f"{column} {value!r} names a {table} that was not imported",
                           field=column)
        use = self.moved_from.get(table)
        if use == field:  # our model takes the referenced object's field instead
            return self.sources[table][value][field]
        return mapped

    def _object(self, class_name, column, value):
        """Our ID of the object an upstream row names by class name and upstream ID."""
        mapped = self.our_id(table_of_class(class_name), value) if value is not None else None
        if mapped is None:
            raise NotFound(f"{column} {value!r} names a {class_name} that was not imported",
                           field=column)
        return mapped

    def fields(self, spec, row):
        """Our fields for ``row`` of ``spec``'s table; raises a QaironError naming the column."""
        cls = REGISTRY[spec.resource]
        fields, used = {}, set(COMMON)
        for field, (column, table) in spec.refs:
            fields[field] = self._reference(cls, field, column, table, row.get(column))
            used.add(column)
            if self.moved_from.get(table) == field:  # still linked to what it stood under
                self.implied_links.extend((link.name, row.get(column), row["id"]) for link in LINKS
                                          if link.owner == table and link.other == spec.name)
        for field, (type_column, column) in spec.objects:
            fields[field] = self._object(row.get(type_column), column, row.get(column))
            used.add(column)
        for field, column in spec.columns:
            value = row.get(column)
            fields[field] = str(value) if isinstance(value, int) and field.endswith("_num") \
                else plain(value)
            used.add(column)
        document = row.get("defaults")
        for theirs, ours in cls.upstream.fields:
            if ours == "defaults" and theirs in row:
                document = row[theirs]
                used.add(theirs)
        defaults, unreadable = defaults_of(document)
        carried = {c: plain(v) for c, v in row.items() if c not in used and v is not None}
        if unreadable is not None:
            carried["defaults"] = unreadable
        if carried:
            defaults = {**defaults, CARRY_KEY: {**defaults.get(CARRY_KEY, {}), **carried}}
        fields["defaults"] = defaults
        for field, value in cls.upstream.fill:
            if fields.get(field) is None and field in fields:
                fields[field] = value
        return {k: v for k, v in fields.items() if v is not None}

    def map_row(self, spec, row):
        """``(our ID, fields, timestamps)`` for a row, or ``(our ID, None, None)`` when it
        merges into one mapped already (whose timestamps, the very dictionary returned for
        it, then take the merged row's: write a merging table once all of it is mapped);
        remembers the ID. Raises a QaironError for a row that cannot be mapped."""
        fields = self.fields(spec, row)
        stamps = stamps_of(row)
        cls = REGISTRY[spec.resource]
        object_id = identity_of(cls, fields)
        self.ids.setdefault(spec.name, {})[row["id"]] = object_id
        first = self.first.setdefault(spec.name, {}).setdefault(object_id, row["id"])
        first = None if first == row["id"] else first
        if spec.name in self.moved_from:
            self.sources.setdefault(spec.name, {})[row["id"]] = fields
        if first is not None:
            if spec.merge:
                self.merged[spec.name] = self.merged.get(spec.name, 0) + 1
                merge_stamps(self.stamps[spec.name][object_id], stamps)
                return object_id, None, None
            raise Conflict(f"{spec.name} {row['id']!r} and {first!r} both become {object_id!r} "
                           f"here; rename one of them before importing", field="id")
        if spec.merge:
            self.stamps.setdefault(spec.name, {})[object_id] = stamps
        return object_id, fields, stamps


def failure(exc):
    """A mapping failure as a QaironError (already one, or in our words)."""
    if isinstance(exc, QaironError):
        return exc
    return BadRequest(f"the row cannot be mapped: {type(exc).__name__}")
