"""``flask --app qairon import-upstream URL [--dry-run] [--json]``."""
import json
import sys

import click
from sqlalchemy.exc import DBAPIError

from qairon.core.errors import QaironError
from qairon.extensions import db


def _progress(table, done, total):
    click.echo(f"\r{table}: {done}/{total}", nl=done == total, err=True)


def summary_lines(report):
    """The report as lines: counts per resource, then each bad row with its table and ID."""
    verb = "would be created" if not report["committed"] else "created"
    key = "would_create" if not report["committed"] else "created"
    lines = [f"{name}: {counts.get(key, 0)} {verb}" +
             (f", {counts['unchanged']} unchanged" if counts.get("unchanged") else "") +
             (f", {counts['errors']} refused" if counts.get("errors") else "")
             for name, counts in sorted(report["resources"].items())]
    lines += [f"{table}: {n} merged into a same-named one" for table, n in
              sorted(report["merged"].items())]
    lines += [f"refused: {e['table']} {e['upstream_id']!r}: {e['detail']}"
              for e in report["errors"]]
    if report["errors_omitted"]:
        lines.append(f"... and {report['errors_omitted']} more refused rows")
    state = ("dry run: nothing written" if report["dry_run"] else
             "committed" if report["committed"] else "nothing written (all or nothing)")
    lines.append(f"{report['rows']} upstream rows, {report['error_count']} refused; {state}")
    return lines


def register(app):
    """Add ``import-upstream`` to ``flask --app qairon``."""

    @app.cli.command("import-upstream")
    @click.argument("url")
    @click.option("--dry-run", is_flag=True, help="map and check everything, write nothing")
    @click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
    def import_upstream(url, dry_run, as_json):
        """Import an older (upstream) Qairon's PostgreSQL database, read-only, in one
        transaction: all or nothing (docs/MIGRATING.md)."""
        from qairon.upstream.load import UpstreamImport
        from qairon.upstream.source import Source
        try:
            source = Source(url)
        except QaironError as exc:
            raise click.ClickException(exc.detail) from None
        except DBAPIError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[:1]
            raise click.ClickException(f"cannot read the upstream database: {reason}") from None
        try:
            job = UpstreamImport(db.session, source,
                                 _progress if sys.stderr.isatty() and not as_json else None)
            job.run()
            report = job.finish(dry_run)
        finally:
            source.close()
        if as_json:
            click.echo(json.dumps(report, indent=1, sort_keys=True, default=str))
        else:
            for line in summary_lines(report):
                click.echo(line)
        if report["error_count"]:
            sys.exit(1)
