"""The SQL of the past: a view with a table's name and columns, as it stood at a cut.

Two shapes answer the same rows; the cheaper one is chosen per table and cut
by how many changes of the table came after the cut (one probe of the
``(resource, link, id)`` index):

* none came after: the table itself is the past, no view is needed;
* a few (up to :data:`REWIND_LIMIT`): **rewind** — the table's rows that did not
  change since, plus, for those that did, their latest change up to the cut
  (one backward index probe each); every index of the table still serves the
  reads (a recent moment, the usual case);
* many: **versions** — every version valid at the cut, straight from the change
  record (``id <= cut < superseded_by``; on PostgreSQL the indexes of the
  migration find them without reading a row, and a page reads only its rows).
"""
from sqlalchemy import DateTime
from sqlalchemy.dialects import postgresql

#: Changes after the cut up to which a table is rewound rather than rebuilt.
REWIND_LIMIT = 2000


def _pg_column(column):
    if column.key == "id":
        return "c.object_id"
    kind = column.type.compile(dialect=postgresql.dialect())
    if kind in ("JSON", "JSONB"):
        return f"c.after -> '{column.key}'"
    return f"CAST(c.after ->> '{column.key}' AS {kind})"


def _sqlite_column(column):
    """A column from the JSON of a change, as SQLite stores it (timestamps as naive UTC text)."""
    if column.key == "id":
        return "c.object_id"
    value = f"json_extract(c.after, '$.{column.key}')"
    if isinstance(column.type, DateTime):
        return f"replace(substr({value}, 1, 26), 'T', ' ')"
    return value


def valid_at(dialect, cut):
    """SQL: the version in ``change c`` is the one valid at change ``cut``."""
    if dialect == "postgresql":  # the form the GiST index serves
        return f"int8range(c.id, c.superseded_by) @> CAST({int(cut)} AS bigint)"
    return f"c.id <= {int(cut)} AND (c.superseded_by IS NULL OR c.superseded_by > {int(cut)})"


def _base(dialect, table):
    """The real table, whatever a temporary object of the same name hides."""
    return f'main."{table}"' if dialect == "sqlite" else f'"{table}"'


def _keys(kind, target):
    """``(where of its changes, [(column, change column)] of its key)`` for a table."""
    if kind == "resource":
        return (f"resource = '{target.resource}' AND {{a}}.link IS NULL",
                [("id", "object_id")])
    return (f"resource = '{target.left}' AND {{a}}.link = '{target.table.name}'",
            [(target.left_column.key, "object_id"), (target.right_column.key, "other_id")])


def changed_after(kind, target, cut, limit):
    """SQL counting (up to ``limit`` + 1) the changes of a table after change ``cut``."""
    where = _keys(kind, target)[0].format(a="l")
    return (f"SELECT count(*) FROM (SELECT 1 FROM change l WHERE l.{where} AND l.id > {int(cut)} "
            f"LIMIT {int(limit) + 1}) s")


def _columns(dialect, kind, target):
    if kind == "link":
        return [(target.left_column.key, "c.object_id"), (target.right_column.key, "c.other_id")]
    column = _pg_column if dialect == "postgresql" else _sqlite_column
    return [(c.key, column(c)) for c in target.__table__.columns]


def _latest(dialect, where, keys, cut, computed):
    """The version valid at ``cut`` of each row or link changed since (its latest change up
    to ``cut``, one backward index probe each on PostgreSQL)."""
    key_columns = ", ".join(f"l.{change}" for _key, change in keys)
    changed = (f"SELECT DISTINCT {key_columns} FROM change l WHERE l.{where.format(a='l')} "
               f"AND l.id > {int(cut)}")
    if dialect == "postgresql":
        same = " AND ".join(f"c.{change} = m.{change}" for _key, change in keys)
        return (f"SELECT {computed} FROM ({changed}) m CROSS JOIN LATERAL (SELECT c.* FROM "
                f"change c WHERE c.{where.format(a='c')} AND {same} AND c.id <= {int(cut)} "
                f"ORDER BY c.id DESC LIMIT 1) c")
    same = " AND ".join(f"p.{change} = c.{change}" for _key, change in keys)
    moved = " AND ".join(f"m.{change} = c.{change}" for _key, change in keys)
    return (f"SELECT {computed} FROM change c WHERE c.{where.format(a='c')} AND c.id = "
            f"(SELECT max(p.id) FROM change p WHERE p.{where.format(a='p')} AND {same} "
            f"AND p.id <= {int(cut)}) AND EXISTS (SELECT 1 FROM ({changed}) m WHERE {moved})")


def _versions(dialect, name, kind, where, alive, computed, cut):
    """The view of every version valid at ``cut``.

    On PostgreSQL the versions are picked in ``v`` from the indexes alone (they
    carry the validity columns) and their values read from ``c``, joined by the
    primary key: a count needs no row (the join, unused, is dropped), a page in
    ID order fetches only its own rows.
    """
    if dialect != "postgresql":
        return (f'CREATE TEMPORARY VIEW "{name}" AS SELECT {computed} FROM change c '
                f"WHERE c.{where.format(a='c')} AND {alive} AND {valid_at(dialect, cut)}")
    # a link's columns are keys of the change itself; a row's ID too, its values are in c
    picked = (computed.replace("c.", "v.") if kind == "link"
              else computed.replace("c.object_id", "v.object_id"))
    return (f'CREATE TEMPORARY VIEW "{name}" AS SELECT {picked} FROM change v '
            f"LEFT JOIN change c ON c.id = v.id WHERE v.{where.format(a='v')} AND "
            f"{alive.replace('c.', 'v.')} AND {valid_at(dialect, cut).replace('c.', 'v.')}")


def view_sql(dialect, name, kind, target, cut, rewind):
    """``CREATE TEMPORARY VIEW`` of table ``name`` at change ``cut`` (rewound or rebuilt)."""
    where, keys = _keys(kind, target)
    alive = "c.operation = 'link'" if kind == "link" else "c.operation <> 'delete'"
    columns = _columns(dialect, kind, target)
    computed = ", ".join(f'{sql} AS "{key}"' for key, sql in columns)
    if not rewind:
        return _versions(dialect, name, kind, where, alive, computed, cut)
    same = " AND ".join(f'l.{change} = t."{key}"' for key, change in keys)
    plain = ", ".join(f't."{key}"' for key, _sql in columns)
    kept = (f"SELECT {plain} FROM {_base(dialect, name)} t WHERE NOT EXISTS (SELECT 1 "
            f"FROM change l WHERE l.{where.format(a='l')} AND {same} AND l.id > {int(cut)})")
    latest = _latest(dialect, where, keys, cut, computed + ", c.operation AS qairon_operation")
    picked = ", ".join(f'v."{key}"' for key, _sql in columns)
    return (f'CREATE TEMPORARY VIEW "{name}" AS {kept} UNION ALL SELECT {picked} FROM '
            f"({latest}) v WHERE {alive.replace('c.operation', 'v.qairon_operation')}")
