"""The ``qcli csv_import`` context: ``import_csv RESOURCE FILE`` and ``import_dir DIR``.

Bad rows are written to stderr as ``file:line: column 'value' rule``, one per
line, and the exit status is 4 (rows broke the server's rules), 7 (every
refusal was the token's: 401/403) or 2 (the file itself is malformed);
nothing is written then. The summary goes to stdout
(``-o json`` for JSON); a progress bar goes to stderr when it is a terminal.
"""
import sys
import time

from qairon_qcli.parser import add_global_options
from qairon_qcli.plugins.csv_import.importer import CsvImportController, ImportRefused


def register(subparsers):
    """Add the ``csv_import`` context and its two commands."""
    parser = subparsers.add_parser("csv_import", help="import CSV files in one transaction "
                                   "(see CSV_IMPORT.md)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    one = commands.add_parser("import_csv", help="import one CSV file of a resource")
    one.add_argument("resource", help="resource name, e.g. stack")
    one.add_argument("file", help="UTF-8 CSV file with a header row")
    _options(one)
    one.set_defaults(handler=import_csv)
    many = commands.add_parser("import_dir", help="import every <resource>.csv of a directory")
    many.add_argument("directory", help="directory of <resource>.csv files")
    _options(many)
    many.set_defaults(handler=import_dir)


def _options(parser):
    add_global_options(parser, suppress=True)
    parser.add_argument("--dry-run", action="store_true",
                        help="validate everything on the server, write nothing")
    parser.add_argument("--update", action="store_true",
                        help="patch existing objects whose fields differ (default: conflict)")


class ProgressBar:
    """Rows sent, drawn on a terminal's stderr at most ten times a second."""

    def __init__(self, stream, label):
        self.stream, self.label = stream, label
        self.sent, self.drawn = 0, 0.0

    def __call__(self, rows):
        self.sent += rows
        now = time.monotonic()
        if now - self.drawn >= 0.1:
            self.drawn = now
            self.stream.write(f"\r{self.label}: {self.sent} rows sent")
            self.stream.flush()

    def close(self):
        """Erase the bar."""
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _run(controller, label, call):
    stderr = sys.stderr
    bar = ProgressBar(stderr, label) if stderr.isatty() else None
    importer = CsvImportController.from_qcli(controller, progress=bar)
    try:
        return call(importer)
    except ImportRefused as exc:
        summary = dict(exc.summary)
        if getattr(controller.output, "output_format", "json") == "json":
            summary["problems"] = [p.as_dict() for p in exc.problems]
        controller.output.mapping(summary)
        raise
    finally:
        if bar is not None:
            bar.close()


def import_csv(args, controller):
    """``qcli csv_import import_csv RESOURCE FILE [--dry-run] [--update]``."""
    _run(controller, args.file, lambda importer: importer.import_csv(
        resource=args.resource, file=args.file, dry_run=args.dry_run, update=args.update))


def import_dir(args, controller):
    """``qcli csv_import import_dir DIR [--dry-run] [--update]``."""
    _run(controller, args.directory, lambda importer: importer.import_dir(
        directory=args.directory, dry_run=args.dry_run, update=args.update))
