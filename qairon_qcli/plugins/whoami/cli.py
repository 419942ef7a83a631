"""``qcli whoami``: the token (or user) the server sees, its role and environment scope.

Useful to check a CI job's credentials before it writes: an unknown, revoked
or expired token exits 7 with the server's sentence, like any refusal.
"""
from qairon_qcli.parser import add_global_options


def register(subparsers):
    """Add the ``whoami`` command."""
    parser = subparsers.add_parser("whoami", help="show the token the server sees, its role "
                                                  "and environments")
    add_global_options(parser, suppress=True)
    parser.set_defaults(handler=whoami, command="whoami")


def whoami(args, controller):
    """Print ``name``, ``kind``, ``role``, ``environments`` and the server's auth mode."""
    return controller.output.mapping(controller.client.whoami())
