"""``flask --app qairon history baseline|prune``: the start of the history, kept by hand."""
import click

from qairon.core.errors import QaironError
from qairon.extensions import db


def register(app):
    """Add the ``history`` command group to ``flask --app qairon``."""
    group = click.Group("history", help="The change record: baseline and retention.")

    @group.command("baseline")
    def baseline_command():
        """Record a create of every row the history does not know (rows loaded outside it)."""
        from qairon.history.baseline import record_baseline
        with db.engine.begin() as connection:
            changeset_id, counts = record_baseline(connection, actor="flask history baseline")
        total = sum(n for per in counts.values() for n in per.values())
        if changeset_id is None:
            click.echo("every row is recorded already; no baseline needed")
        else:
            click.echo(f"changeset {changeset_id}: {total} rows recorded as the baseline")

    @group.command("prune")
    @click.option("--before", required=True, metavar="DATE",
                  help="forget the changes before this ISO-8601 date or time")
    def prune_command(before):
        """Forget changes before DATE; the state at DATE is kept as the new start."""
        from qairon.history.baseline import prune
        from qairon.history.cut import parse_moment
        try:
            moment = parse_moment(before, "before")
        except QaironError as exc:
            raise click.BadParameter(exc.detail, param_hint="--before") from None
        if isinstance(moment, int):
            raise click.BadParameter("give a date or time, not a changeset ID",
                                     param_hint="--before")
        with db.engine.begin() as connection:
            baseline, removed = prune(connection, moment)
        if baseline is None:
            click.echo(f"nothing is recorded before {moment.isoformat()}")
        else:
            click.echo(f"{removed} changes before {moment.isoformat()} removed; the history "
                       f"now starts with changeset {baseline}")

    app.cli.add_command(group)
