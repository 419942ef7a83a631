"""Maintenance tasks as ``flask`` commands."""
import json

import click

from qairon.api.schema import schema_document


def register_commands(app):
    """Add Qairon's commands to ``flask --app qairon``."""
    from qairon.upstream.commands import register as register_upstream
    register_upstream(app)

    @app.cli.command("schema")
    @click.option("--output", "-o", type=click.Path(), default=None,
                  help="write to this file instead of stdout")
    def schema_command(output):
        """Print the resource schema that qcli is generated from."""
        text = json.dumps(schema_document(), indent=1, sort_keys=True) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            click.echo(text, nl=False)
