"""One upstream import: every table mapped and written through the bulk pipeline, then the
links and the current releases through the session, all in one transaction.

Rows go to :class:`qairon.bulk.importer.BulkImport` (chunks through
``pipeline.insert_new``, a bad row found and reported, the rest kept visible
to the rows after them); links and current releases are ORM writes, so the
pipeline's ``before_flush`` judges them as it judges any link. Nothing is
committed unless every row was mapped and written (and it is no dry run).
Every reported row names its upstream table and ID.
"""
from flask import current_app
from sqlalchemy.exc import DBAPIError, StatementError

from qairon.bulk.importer import BulkImport
from qairon.bulk.report import database_error
from qairon.core.chunks import chunked
from qairon.core.errors import BadRequest, NotFound, QaironError
from qairon.models import REGISTRY
from qairon.pipeline.actor import Actor, set_actor
from qairon.plugins import EXTENSION as PLUGINS
from qairon.upstream.mapping import Mapper, failure, plain
from qairon.upstream.tables import CURRENT_RELEASE, LINKS, TABLES

ACTOR = Actor("flask import-upstream", kind="command")
LINK_CHUNK = 500


class UpstreamImport:
    """Feed :meth:`run` an open :class:`~qairon.upstream.source.Source`; then :meth:`finish`."""

    def __init__(self, session, source, progress=None):
        self.session = session
        self.source = source
        self.progress = progress or (lambda table, done, total: None)
        set_actor(session, ACTOR)
        self.bulk = BulkImport(session, stamped=True)  # objects keep the upstream timestamps
        self.mapper = Mapper()
        self.where = {}
        self.index = 0

    def _next(self, table, upstream_id):
        self.index += 1
        self.where[self.index] = (table, upstream_id)
        return self.index

    def _fail(self, index, resource, raw, error, object_id=None):
        self.bulk.summary.fail(index, resource, {k: plain(v) for k, v in raw.items()},
                               failure(error), object_id)

    def run(self):
        """Map and write every table, then the links and current releases."""
        plugins = current_app.extensions.get(PLUGINS, {})
        for spec in TABLES:
            if not self.source.has(spec.name):
                continue
            if spec.plugin is not None and spec.plugin not in plugins:
                self._unserved(spec)
                continue
            items = self._mapped(spec)
            # a merging table is mapped whole first: a later row may move an object's
            # created_at earlier before it is written
            self.bulk.feed(list(items) if spec.merge else items)
        for link in LINKS:
            self._links(link)
        self._current_releases()

    def _mapped(self, spec):
        total = self.source.count(spec.name)
        for done, row in enumerate(self.source.rows(spec.name), 1):
            index = self._next(spec.name, row.get("id"))
            try:
                _object_id, fields, stamps = self.mapper.map_row(spec, row)
            except (QaironError, ValueError, TypeError, KeyError) as exc:  # a row, not the import
                self.bulk.summary.rows += 1
                self._fail(index, spec.resource, row, exc)
                continue
            if done % 1000 == 0 or done == total:
                self.progress(spec.name, done, total)
            if fields is not None:
                yield index, spec.resource, fields, stamps
            else:
                self.bulk.summary.rows += 1

    def _unserved(self, spec):
        """Every row of a table whose plugin is not enabled, refused naming the plugin."""
        for row in self.source.rows(spec.name):
            self.bulk.summary.rows += 1
            self._fail(self._next(spec.name, row.get("id")), spec.resource, row, BadRequest(
                f"{spec.name} rows are served here by the {spec.plugin} plugin: enable it "
                f"(QAIRON_PLUGINS={spec.plugin}) and migrate (flask db upgrade) to import them",
                field="resource"))

    # --- links and current releases: ORM writes through the pipeline ------------

    def _pairs(self, link):
        rows = self.source.rows(link.name, order=f"{link.owner_column}, {link.other_column}") \
            if self.source.has(link.name) else ()
        given = [(r.get(link.owner_column), r.get(link.other_column)) for r in rows]
        given += [(a, b) for name, a, b in self.mapper.implied_links if name == link.name]
        seen, out = set(), []
        resource = f"{link.owner}.{link.relation}"
        for owner_id, other_id in given:
            if owner_id is None or other_id is None:
                continue  # half a link links nothing
            index = self._next(link.name, f"{owner_id} | {other_id}")
            self.bulk.summary.rows += 1
            mine = (self.mapper.our_id(link.owner, owner_id),
                    self.mapper.our_id(link.other, other_id))
            if None in mine:
                missing = link.owner if mine[0] is None else link.other
                self._fail(index, resource, {"owner": owner_id, "other": other_id}, NotFound(
                    f"the link names a {missing} that was not imported", field=missing))
            elif mine not in seen:
                seen.add(mine)
                out.append((index, mine))
        return out

    def _links(self, link):
        owner_cls, other_cls = REGISTRY[link.owner], REGISTRY[link.other]

        def apply(pairs):
            owners = self._load(owner_cls, {o for _i, (o, _x) in pairs})
            others = self._load(other_cls, {x for _i, (_o, x) in pairs})
            for _index, (owner_id, other_id) in pairs:
                collection = getattr(owners[owner_id], link.relation)
                if others[other_id] not in collection:
                    collection.append(others[other_id])

        self._write(f"{link.owner}.{link.relation}", self._pairs(link), apply)

    def _current_releases(self):
        cls = REGISTRY["deployment"]
        if self.source.has(CURRENT_RELEASE):
            rows = [(r["deployment_id"], r["release_id"]) for r in
                    self.source.rows(CURRENT_RELEASE, order="deployment_id, release_id")]
        elif "current_release_id" in self.source.columns("deployment"):
            rows = [(r["id"], r["current_release_id"]) for r in self.source.rows("deployment")
                    if r.get("current_release_id")]
        else:
            rows = []
        pairs = []
        for deployment_id, release_id in rows:
            index = self._next(CURRENT_RELEASE, f"{deployment_id} | {release_id}")
            self.bulk.summary.rows += 1
            mine = (self.mapper.our_id("deployment", deployment_id),
                    self.mapper.our_id("release", release_id))
            if None in mine:
                self._fail(index, "deployment.current_release",
                           {"deployment_id": deployment_id, "release_id": release_id},
                           NotFound("names a deployment or release that was not imported",
                                    field="current_release_id"))
            else:
                pairs.append((index, mine))

        def apply(chunk):
            found = self._load(cls, {d for _i, (d, _r) in chunk})
            for _index, (deployment_id, release_id) in chunk:
                found[deployment_id].current_release_id = release_id

        self._write("deployment.current_release", pairs, apply)

    def _load(self, cls, ids):
        found = {}
        for chunk in chunked(sorted(ids), LINK_CHUNK):
            found.update((o.id, o) for o in self.session.query(cls).filter(cls.id.in_(chunk)))
        missing = ids - set(found)
        if missing:
            raise NotFound(f"{cls.resource} {sorted(missing)[0]!r} was not written",
                           field="id")
        return found

    def _write(self, resource, pairs, apply):
        """Apply ``pairs`` chunk by chunk, each in a SAVEPOINT; a failing chunk row by row."""
        for chunk in chunked(pairs, LINK_CHUNK):
            if not self._attempt(apply, chunk):
                for item in chunk:
                    if not self._attempt(apply, [item], report=resource):
                        continue
                    self.bulk.summary.count(resource, "created")
            else:
                self.bulk.summary.count(resource, "created", len(chunk))
            self.session.expunge_all()

    def _attempt(self, apply, chunk, report=None):
        try:
            with self.session.begin_nested():
                apply(chunk)
                self.session.flush()
        except (QaironError, DBAPIError, StatementError) as exc:
            if report is not None:
                error = exc if isinstance(exc, QaironError) else database_error(exc)
                index, (a, b) = chunk[0]
                self._fail(index, report, {"owner": a, "other": b}, error)
            return False
        return True

    def finish(self, dry_run=False):
        """Commit (every row passed, no dry run) or roll back; the report, each bad row
        naming its upstream table and ID."""
        report = self.bulk.finish(dry_run)
        for entry in report["errors"]:
            entry["table"], entry["upstream_id"] = self.where.get(entry["index"], (None, None))
        report["merged"] = dict(self.mapper.merged)
        return report
