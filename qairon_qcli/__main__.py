"""``python -m qairon_qcli`` runs qcli."""
import sys

from .cli import main

sys.exit(main())
