"""qcli commands of the history: who changed what, the past, undo, rename.

    qcli RESOURCE history ID                 every change of one object    } actions every
    qcli RESOURCE restore ID [--as-of T] [--subtree]                        } resource declares
    qcli RESOURCE rename ID NEW_NAME         prints the new ID              } (qairon_qcli.actions)
    qcli changes [--since T] [--until T] [--actor A] [--resource R] [--id ID]
                 [--id-prefix P] [--changeset N] [--follow [--count N]]
    qcli changeset get ID | qcli changeset revert ID
    qcli diff --since T1 [--until T2] [--resource R] [--id-prefix P]
    qcli --as-of T RESOURCE list|get|...     any read as the database stood at T

A moment ``T`` is a changeset ID, an ISO-8601 date or time, or a duration ago
(``90s``, ``30m``, ``1h``, ``2d``, ``1w``), turned into a time by qcli.
"""
import json
import re
import time
from datetime import datetime, timedelta, timezone

from qairon_qcli.client import InvalidInput
from qairon_qcli.output import cell

UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
CHANGE_HEADER = ("CHANGESET", "AT", "ACTOR", "OPERATION", "RESOURCE", "ID", "CHANGED")
DIFF_HEADER = ("CHANGE", "RESOURCE", "ID", "FIELDS")
PAGE = 500
DEFAULT_LIMIT = 100


def moment(text, now=None):
    """A moment for the server: changeset IDs and ISO times as given, ``1h`` as a time."""
    if text is None:
        return None
    text = str(text).strip()
    match = re.fullmatch(r"(\d+)([smhdw])", text)
    if match:
        now = now or datetime.now(timezone.utc)
        ago = now - timedelta(**{UNITS[match.group(2)]: int(match.group(1))})
        return ago.isoformat(timespec="seconds").replace("+00:00", "Z")
    if not text:
        raise InvalidInput("a moment may not be empty")
    return text


def change_row(change):
    """One change as a table row."""
    if "relation" in change:
        what = f"{change['relation']} {change['other']['id']}"
    else:
        what = ",".join(change.get("changed") or [])
    return (str(change["changeset"]), change["at"][:19].replace("T", " "), change["actor"],
            change["operation"], change["resource"], change["object_id"], what)


def diff_rows(doc):
    """``(header, rows)`` of a diff: one row per object or link that differs."""
    rows = [(o["change"], o["resource"], o["id"], ",".join(o["fields"]))
            for o in doc.get("objects", [])]
    rows += [(link["change"], link["resource"], link["id"],
              f"{link['relation']} {link['other']['id']}") for link in doc.get("links", [])]
    return DIFF_HEADER, rows


def diff_summary(doc):
    """``service: 1 created, 2 updated`` lines from a diff's counts."""
    lines = []
    for resource, counts in sorted(doc.get("resources", {}).items()):
        parts = [f"{n} {kind}" for kind, n in counts.items() if n]
        lines.append(f"{resource}: {', '.join(parts)}")
    if doc.get("truncated"):
        lines.append("(truncated: narrow it with --until, --resource or --id-prefix)")
    return "\n".join(lines) or "no differences"


class HistoryCommands:
    """History methods of :class:`~qairon_qcli.controllers.QCLIController`."""

    def _document(self, data, table, summary=None):
        document = getattr(self.output, "document", None)
        if document is None:
            return self.output.mapping(data)
        return document(data, table, summary)

    def _changes(self, changes):
        return self._document(changes, (CHANGE_HEADER, [change_row(c) for c in changes]))

    def _pages(self, url, params, limit=None):
        out = []
        while url and (limit is None or len(out) < limit):
            page = self.client.request("GET", url, params=params)
            out.extend(page["results"])
            url, params = page.get("next"), None
        return out[:limit] if limit else out

    def changes(self, since=None, until=None, actor=None, resource=None, resource_id=None,
                id_prefix=None, changeset=None, limit=None):
        """Changes matching the filters, oldest first (the newest ``limit`` ones)."""
        params = _filters(since, until, actor, resource, resource_id, id_prefix, changeset)
        params["limit"] = min(limit or PAGE, PAGE)
        changes = self._pages(self.client.url("changes"), params, limit)
        return self._changes(list(reversed(changes)))

    def _newest(self, params):
        page = self.client.request("GET", self.client.url("changes"), params=dict(params, limit=1))
        return page["results"][0]["id"] if page["results"] else 0

    def follow(self, since=None, actor=None, resource=None, resource_id=None, id_prefix=None,
               count=None, interval=2.0, polls=None):
        """Print changes as they are committed, polling the cursor, until ``count`` came."""
        filters = _filters(None, None, actor, resource, resource_id, id_prefix, None)
        cursor = self._newest({"until": moment(since)} if since else {})
        printed = done = 0
        while polls is None or done < polls:
            page = self.client.request("GET", self.client.url("changes"),
                                       params=dict(filters, after=cursor, limit=PAGE))
            for change in page["results"]:
                self._followed(change)
                printed += 1
                if count is not None and printed >= count:
                    return printed
            cursor = page.get("cursor") or cursor
            done += 1
            if len(page["results"]) < PAGE and (polls is None or done < polls):
                time.sleep(interval)
        return printed

    def _followed(self, change):
        """One followed change as soon as it comes: a JSON line, or a row."""
        fmt = getattr(self.output, "output_format", None)
        stream = getattr(self.output, "stream", None)
        if fmt is None:
            return
        import sys
        stream = stream or sys.stdout
        if fmt == "json":
            stream.write(json.dumps(change, ensure_ascii=False) + "\n")
        else:
            stream.write("\t".join(cell(v) for v in change_row(change)) + "\n")
        stream.flush()

    def changeset(self, changeset_id):
        """One changeset: who, when, the request, counts and its first changes."""
        return self.output.mapping(self.client.request(
            "GET", self.client.url("changesets", str(changeset_id))))

    def revert(self, changeset_id):
        """Apply the inverse of a changeset as a new one; prints the new changeset's ID."""
        result = self.client.request("POST", self.client.url("changesets", str(changeset_id),
                                                             "revert"))
        return self.output.written(dict(result, id=result["changeset"]))

    def diff(self, since, until=None, resource=None, id_prefix=None):
        """What differs between two moments, per resource and per object."""
        params = {"since": moment(since), "until": moment(until), "resource": resource,
                  "id_prefix": id_prefix}
        data = self.client.request("GET", self.client.url("diff"),
                                   params={k: v for k, v in params.items() if v is not None})
        return self._document(data, diff_rows(data), diff_summary(data))


def _filters(since, until, actor, resource, resource_id, id_prefix, changeset):
    params = {"since": moment(since), "until": moment(until), "actor": actor,
              "resource": resource, "id": resource_id, "id_prefix": id_prefix,
              "changeset": changeset}
    return {k: v for k, v in params.items() if v is not None}


def _moment_options(parser, until=True):
    parser.add_argument("--since", metavar="T", help="from this moment (changeset ID, "
                        "ISO-8601 date or time, or 30m, 1h, 2d ago)")
    if until:
        parser.add_argument("--until", metavar="T", help="up to this moment")
    parser.add_argument("--resource", metavar="RESOURCE", help="only this resource")
    parser.add_argument("--id-prefix", metavar="PREFIX", help="only IDs starting with PREFIX")


def add_history_contexts(contexts, common):
    """Add the ``changes``, ``changeset`` and ``diff`` contexts to qcli's parser."""
    changes = contexts.add_parser("changes", parents=[common],
                                  help="what changed, who changed it, when",
                                  description="changes matching the filters, oldest first; "
                                              "--follow prints new ones as they come")
    _moment_options(changes)
    changes.add_argument("--actor", metavar="ACTOR", help="only changes made by ACTOR")
    changes.add_argument("--id", dest="object_id", metavar="ID", help="only this object")
    changes.add_argument("--changeset", type=int, metavar="N", help="only this changeset")
    changes.add_argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N",
                         help=f"the newest N at most (default {DEFAULT_LIMIT}; 0: all)")
    changes.add_argument("--follow", action="store_true",
                         help="keep polling and print new changes as they are committed")
    changes.add_argument("--count", type=int, metavar="N",
                         help="with --follow: stop after N changes")
    changes.add_argument("--interval", type=float, default=2.0, metavar="SECONDS",
                         help="with --follow: seconds between polls (default 2)")
    changes.set_defaults(handler=_changes)
    changeset = contexts.add_parser("changeset", help="one changeset: show it or revert it")
    commands = changeset.add_subparsers(dest="command", metavar="COMMAND", required=True)
    get = commands.add_parser("get", parents=[common], help="show a changeset")
    get.add_argument("changeset_id", metavar="ID", type=int)
    get.set_defaults(handler=lambda a, c: c.changeset(a.changeset_id))
    revert = commands.add_parser("revert", parents=[common],
                                 help="apply its inverse as a new changeset (refused if "
                                      "anything it touched changed since); prints the new ID")
    revert.add_argument("changeset_id", metavar="ID", type=int)
    revert.set_defaults(handler=lambda a, c: c.revert(a.changeset_id))
    diff = contexts.add_parser("diff", parents=[common], help="what differs between two moments",
                               description="per resource: created, updated, deleted; per "
                                           "object: the fields that differ")
    _moment_options(diff)
    diff.set_defaults(handler=_diff)


def _changes(args, controller):
    if args.follow:
        controller.follow(since=args.since, actor=args.actor, resource=args.resource,
                          resource_id=args.object_id, id_prefix=args.id_prefix,
                          count=args.count, interval=args.interval)
        return None
    controller.changes(since=args.since, until=args.until, actor=args.actor,
                       resource=args.resource, resource_id=args.object_id,
                       id_prefix=args.id_prefix, changeset=args.changeset,
                       limit=args.limit or None)
    return None


def _diff(args, controller):
    if not args.since:
        raise InvalidInput("diff needs --since (a changeset ID, a date or time, or 1h ago)")
    controller.diff(args.since, until=args.until, resource=args.resource,
                    id_prefix=args.id_prefix)
