"""qcli, the command line and Python client of Qairon.

Use it from Python through :mod:`qairon_qcli.controllers`; the client never
imports the server (only the standard library, requests and argcomplete).
"""
__version__ = "0.1.0"
