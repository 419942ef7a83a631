"""``qcli csv_import``: load an existing inventory from CSV files in one transaction.

    qcli csv_import import_csv stack stacks.csv --dry-run
    qcli csv_import import_dir inventory/ --update

The same as a Python module::

    from qairon_qcli.plugins.csv_import import CsvImportController
    CsvImportController(endpoint='http://localhost:5000').import_csv(
        resource='stack', file='stacks.csv', dry_run=True)

:mod:`.csvfile` reads and checks CSV text (pure functions), :mod:`.importer`
sends the rows to ``POST /api/<plural>/bulk`` / ``POST /api/bulk`` and reads
the report, :mod:`.cli` is the command line. See CSV_IMPORT.md.
"""
from qairon_qcli.plugins.csv_import.importer import CsvImportController, ImportRefused  # noqa: F401
