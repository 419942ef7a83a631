"""``qcli recon`` and ``qcli drift``: actual state against Qairon's intent, as one command.

    qcli recon RESOURCE ID (--actual FILE|- | --actual-cmd 'CMD ...') [--actual-key K]
               [--qairon-key K] [--field-key K] [--match FIELDS] [--arg NAME VALUE]...
               [--cmd-timeout SECONDS]
    qcli drift list [--env ENV] [--all]

The patterns are those of the object's effective ``defaults.recon`` (type-level
patterns, instance overrides; ``actual_jq``, ``qairon_jq`` and ``qairon_field``
unless other keys are named). qcli applies the actual-side pattern itself with
the real jq (the ``jq`` bindings), so only the reduced entries travel; the
server applies the Qairon-side pattern, compares, stores the result on the
object and answers the report. ``--actual-cmd`` runs the command without a
shell, within ``--cmd-timeout``. Exit 0 in sync, ``DRIFT`` (8) otherwise.
"""
import json
import re
import shlex
import subprocess
import sys

from qairon_qcli.client import InvalidInput, QaironError, quote_id

DIFF_HEADER = ("CHANGE", "ENTRY", "FIELDS")
DRIFT_HEADER = ("RESOURCE", "ID", "STATUS", "CHECKED_AT", "CHECKED_BY", "MISSING",
                "UNEXPECTED", "CHANGED")
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
DEFAULT_CMD_TIMEOUT = 60.0


class CommandFailed(QaironError):
    """The ``--actual-cmd`` could not run, failed, or did not finish in time."""


def _compact(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def report_rows(report):
    """``(header, rows)`` of a recon report: one row per missing, unexpected or changed entry."""
    rows = [("missing", _compact(e), "") for e in report.get("missing", [])]
    rows += [("unexpected", _compact(e), "") for e in report.get("unexpected", [])]
    for entry in report.get("changed", []):
        fields = "; ".join(f"{name or '(entry)'}: qairon={_compact(d['qairon'])} "
                           f"actual={_compact(d['actual'])}"
                           for name, d in entry["fields"].items())
        rows.append(("changed", _compact(entry["key"]), fields))
    return DIFF_HEADER, rows


def report_summary(report):
    """``drift: deployment_target ID: 1 missing, 0 unexpected, 1 changed (...)``."""
    counts = report.get("counts", {})
    return (f"{report.get('status')}: {report.get('resource')} {report.get('id')}: "
            f"{counts.get('missing', 0)} missing, {counts.get('unexpected', 0)} unexpected, "
            f"{counts.get('changed', 0)} changed ({counts.get('qairon', 0)} in Qairon, "
            f"{counts.get('actual', 0)} actual)")


def drift_rows(doc):
    """``(header, rows)`` of the drift list."""
    rows = []
    for item in doc.get("results", []):
        counts = item.get("counts") or {}
        rows.append((item["resource"], item["id"], item.get("status"), item.get("checked_at"),
                     item.get("checked_by"), counts.get("missing", 0),
                     counts.get("unexpected", 0), counts.get("changed", 0)))
    return DRIFT_HEADER, rows


def read_actual(path=None, command=None, timeout=DEFAULT_CMD_TIMEOUT, stdin=None):
    """The actual state as JSON: from a file, ``-`` (stdin), or a command run without a shell."""
    if (path is None) == (command is None):
        raise InvalidInput("give the actual state as --actual FILE (- for stdin) or "
                           "--actual-cmd 'COMMAND ...'")
    if command is not None:
        argv = shlex.split(command)
        if not argv:
            raise InvalidInput("--actual-cmd is empty")
        try:
            done = subprocess.run(argv, capture_output=True, timeout=timeout, check=False)
        except FileNotFoundError:
            raise CommandFailed(f"--actual-cmd: {argv[0]}: command not found") from None
        except subprocess.TimeoutExpired:
            raise CommandFailed(f"--actual-cmd {argv[0]} did not finish within {timeout:g} "
                                f"seconds (--cmd-timeout)") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise CommandFailed(f"--actual-cmd {argv[0]} exited {done.returncode}"
                                + (f": {message[-1]}" if message else ""))
        text, source = done.stdout.decode("utf-8", "replace"), f"--actual-cmd {argv[0]}"
    elif path == "-":
        text, source = (stdin or sys.stdin).read(), "stdin"
    else:
        try:
            with open(path, encoding="utf-8") as handle:
                text, source = handle.read(), path
        except OSError as exc:
            raise InvalidInput(f"--actual {path}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"the actual state from {source} is not JSON: {exc}") from None


def _lookup(recon, key):
    value = recon
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def reduce_actual(recon, key, actual, extra):
    """The actual-side pattern at ``key`` applied to ``actual`` with real jq, or None when
    the effective defaults have no such pattern (the server then says where it looked)."""
    pattern = _lookup(recon, key)
    if not isinstance(pattern, str):
        return None
    import jq  # only recon needs it; qcli's start-up does not
    values = {k: v for k, v in recon.items() if VARIABLE.fullmatch(k)
              and isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    values.update(extra)
    try:
        outputs = jq.compile(pattern, args=values).input_value(actual).all()
    except ValueError as exc:
        raise InvalidInput(f"jq pattern defaults.recon.{key} failed on the actual state: "
                           f"{str(exc).strip()}") from None
    return outputs[0] if len(outputs) == 1 and isinstance(outputs[0], list) else outputs


class ReconCommands:
    """``recon`` and ``drift_list`` as methods of :class:`~qairon_qcli.controllers.QCLIController`."""

    def recon(self, resource, resource_id, actual, actual_key=None, qairon_key=None,
              field_key=None, match=None, variables=None):
        """Reconcile ``resource_id`` with ``actual`` (parsed JSON); the output gets the report."""
        plural = self._plural(resource)
        recon = self.client.request("GET", self.client.url(plural, quote_id(resource_id),
                                                            "defaults"),
                                    params={"effective": "true"}).get("recon") or {}
        extra = dict(variables or {})
        params = {"actual_key": actual_key, "qairon_key": qairon_key, "field_key": field_key,
                  "match": match}
        params = {k: v for k, v in params.items() if v}
        reduced = reduce_actual(recon if isinstance(recon, dict) else {},
                                actual_key or "actual_jq", actual, extra)
        if reduced is not None:
            actual, params["reduced"] = reduced, "true"
        report = self.client.request("POST", self.client.url(plural, quote_id(resource_id),
                                                             "recon"),
                                     params=params, body={"actual": actual, "vars": extra})
        return self.output_recon(report)

    def output_recon(self, report):
        """Hand a recon report to the output controller (``recon`` if it has one); returns
        what the output controller returns, or the report when it only prints."""
        method = getattr(self.output, "recon", None) or self.output.mapping
        shown = method(report)
        return report if shown is None or isinstance(shown, int) else shown

    def drift_list(self, environment=None, everything=False):
        """Objects whose latest recon found drift (``everything``: every recon result)."""
        params = {"environment": environment, "all": "true" if everything else None}
        doc = self.client.request("GET", self.client.url("drift"),
                                  params={k: v for k, v in params.items() if v})
        document = getattr(self.output, "document", None)
        if document is None:
            return self.output.mapping(doc)
        return document(doc, drift_rows(doc), f"{doc.get('total', 0)} out of sync"
                        if not everything else None)


def add_recon_contexts(contexts, common):
    """Add ``qcli recon`` and ``qcli drift`` to qcli's parser."""
    recon = contexts.add_parser(
        "recon", parents=[common], help="compare actual state with Qairon's intent",
        description="apply the jq patterns of the object's effective defaults.recon to the "
                    "actual state and to the Qairon side, and report missing, unexpected and "
                    "changed entries; exit 8 on drift")
    recon.add_argument("resource", metavar="RESOURCE", help="the resource, e.g. deployment_target")
    recon.add_argument("resource_id", metavar="ID", help="the object's ID")
    recon.add_argument("--actual", metavar="FILE", help="the actual state as JSON (- for stdin)")
    recon.add_argument("--actual-cmd", dest="actual_cmd", metavar="CMD",
                       help="a command printing the actual state (run without a shell)")
    recon.add_argument("--cmd-timeout", dest="cmd_timeout", type=float,
                       default=DEFAULT_CMD_TIMEOUT, metavar="SECONDS",
                       help=f"seconds --actual-cmd may run (default {DEFAULT_CMD_TIMEOUT:g})")
    recon.add_argument("--actual-key", dest="actual_key", metavar="KEY",
                       help="defaults.recon key of the actual-side pattern (default actual_jq; "
                            "e.g. k8s_jq, terraform.vpc_jq)")
    recon.add_argument("--qairon-key", dest="qairon_key", metavar="KEY",
                       help="key of the Qairon-side pattern (default qairon_jq)")
    recon.add_argument("--field-key", dest="field_key", metavar="KEY",
                       help="key naming the field the Qairon side reads (default qairon_field; "
                            "without it, the object itself)")
    recon.add_argument("--match", metavar="FIELDS",
                       help="entry fields that identify an entry, comma-separated (default "
                            "defaults.recon.match; else whole entries)")
    recon.add_argument("--arg", nargs=2, action="append", dest="args", metavar=("NAME", "VALUE"),
                       help="a jq variable $NAME for both patterns (repeatable)")
    recon.set_defaults(handler=_recon)
    drift = contexts.add_parser("drift", help="what is out of sync, from the latest recon of each "
                                              "object")
    commands = drift.add_subparsers(dest="command", metavar="COMMAND", required=True)
    listing = commands.add_parser("list", parents=[common], help="objects whose latest recon "
                                                                 "found drift")
    listing.add_argument("--env", metavar="ENV", help="only this environment's objects")
    listing.add_argument("--all", action="store_true", dest="everything",
                         help="every reconciled object, in sync or not")
    listing.set_defaults(handler=lambda a, c: c.drift_list(a.env, a.everything))


def _recon(args, controller):
    from qairon_qcli.cli import ExitStatus
    variables = {}
    for name, value in args.args or []:
        if not VARIABLE.fullmatch(name):
            raise InvalidInput(f"--arg {name}: a jq variable name is letters, digits and _")
        variables[name] = value
    actual = read_actual(args.actual, args.actual_cmd, args.cmd_timeout)
    report = controller.recon(args.resource, args.resource_id, actual, args.actual_key,
                              args.qairon_key, args.field_key, args.match, variables)
    if isinstance(report, dict):
        return ExitStatus.DRIFT if report.get("status") == "drift" else None
    return report
