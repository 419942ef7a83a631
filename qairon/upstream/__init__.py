"""Moving in from the older (upstream) Qairon: ``flask --app qairon import-upstream``.

:mod:`~qairon.upstream.tables` says how each of its tables maps to our
resources, :mod:`~qairon.upstream.source` reads its database read-only,
:mod:`~qairon.upstream.mapping` turns rows into our fields (IDs rebuilt, never
split), :mod:`~qairon.upstream.load` writes them through the bulk pipeline in
one transaction, and :mod:`~qairon.upstream.commands` is the command.
docs/MIGRATING.md is the user's side of it.
"""
