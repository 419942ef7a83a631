"""``python -m qairon_qcli`` runs qcli."""
import sys

from qairon_qcli.cli import main

sys.exit(main())
