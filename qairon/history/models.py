"""The change record: one ``changeset`` per committed write, one ``change`` per row it wrote.

A changeset is what one request (or one maintenance command) committed: when,
who, from which request, and a count of its changes per resource and operation.
A change is one row written: the resource and the object's ID, the operation,
and the row's column values before and after; ``superseded_by`` is the ID of
the change that next changed the same row or link (None while it is the
latest), so a version is valid from its ID up to that one. A link change (a row of a
many-to-many table) names the link table in ``link`` and the right-hand ID in
``other_id``; ``object_id`` is then the left-hand ID.

Change IDs grow in commit order (they are assigned at commit, one writer at a
time), so "the database as it stood after change N" is every version valid
at N (``id <= N < superseded_by``) that is not a delete; :mod:`qairon.history.as_of`
answers reads that way. On PostgreSQL a GiST index over ``(resource,
int8range(id, superseded_by))`` (created by the migration) finds them directly; it and
``ix_change_object`` carry the validity columns, so a count or an ordered page of the
versions valid at a moment reads the index alone and fetches only the rows it returns.
"""
from sqlalchemy import BigInteger, Identity

from qairon.extensions import db
from qairon.models.base import JSONType

#: What made a changeset: a write, or the record of the rows that predate the history.
KINDS = ("write", "baseline")

changeset = db.Table(
    "changeset",
    db.Column("id", db.Integer, Identity(), primary_key=True),
    db.Column("at", db.DateTime(timezone=True), nullable=False, index=True),
    db.Column("actor", db.String, nullable=False),
    db.Column("kind", db.String, nullable=False, default="write"),
    db.Column("method", db.String, nullable=True),
    db.Column("path", db.String, nullable=True),
    db.Column("request_id", db.String, nullable=True),
    db.Column("summary", JSONType, nullable=True),
    db.Column("note", JSONType, nullable=True),
    db.Index("ix_changeset_actor_id", "actor", "id"),
    info={"log": True},
)

change = db.Table(
    "change",
    db.Column("id", BigInteger().with_variant(db.Integer, "sqlite"), Identity(),
              primary_key=True),
    db.Column("changeset_id", db.Integer,
              db.ForeignKey("changeset.id", ondelete="CASCADE"), nullable=False),
    db.Column("resource", db.String, nullable=False),
    db.Column("object_id", db.String, nullable=False),
    db.Column("operation", db.String, nullable=False),
    db.Column("link", db.String, nullable=True),
    db.Column("other_id", db.String, nullable=True),
    db.Column("before", JSONType, nullable=True),
    db.Column("after", JSONType, nullable=True),
    db.Column("note", JSONType, nullable=True),
    db.Column("superseded_by", BigInteger().with_variant(db.Integer, "sqlite"), nullable=True),
    db.Index("ix_change_object", "resource", "object_id", "id",
             postgresql_include=["superseded_by", "operation", "link"]),
    db.Index("ix_change_changeset", "changeset_id", "id"),
    db.Index("ix_change_recent", "resource", "link", "id"),
    db.Index("ix_change_other", "other_id", "id",
             postgresql_where=db.text("other_id IS NOT NULL"),
             sqlite_where=db.text("other_id IS NOT NULL")),
    db.Index("ix_change_valid", "resource", db.text("int8range(id, superseded_by)"),
             postgresql_using="gist",
             postgresql_include=["object_id", "id", "superseded_by"],
             postgresql_where=db.text("link IS NULL AND operation <> 'delete'"))
    .ddl_if(dialect="postgresql"),
    info={"log": True},
)
