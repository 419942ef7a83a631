# PYTHON_ARGCOMPLETE_OK
"""The ``qcli`` command: parse, call the controller, map errors to exit codes.

:func:`main` is the only place where exceptions become exit statuses; the
table is :class:`ExitStatus` (documented in docs/QCLI.md).
"""
import argparse
import os
import sys
from enum import IntEnum

from qairon_qcli.schema import Schema


class ExitStatus(IntEnum):
    """qcli's exit codes, one per class of failure, each with its short meaning.

    This is the one table: ``qcli --help`` prints it from here, and a test
    checks the tables of README.md, docs/QCLI.md and CSV_IMPORT.md against it.
    """

    def __new__(cls, value, summary):
        member = int.__new__(cls, value)
        member._value_ = value
        member.summary = summary
        return member

    OK = 0, "ok"
    ERROR = 1, "error"                           # any other failure
    USAGE = 2, "usage or bad input"              # bad command line, or HTTP 400
    NOT_FOUND = 3, "not found"                   # HTTP 404: unknown ID
    CONFLICT = 4, "conflict or rule broken"      # HTTP 409, 422, allocation failed
    SERVER_ERROR = 5, "server error"             # HTTP 5xx or a reply that is not JSON
    CONNECTION = 6, "cannot reach the server"    # unreachable, or no answer in time
    PERMISSION = 7, "not allowed"                # HTTP 401/403
    DRIFT = 8, "drift found"                     # recon: actual state differs from Qairon
    STALE = 9, "generated files differ"          # generate --check: the tree is out of date
    INTERRUPTED = 130, "interrupted"             # Ctrl-C


class Environment:
    """Where qcli reads and writes: streams, TTY detection and variables."""

    def __init__(self, stdout=None, stderr=None, stdout_isatty=None, environ=None):
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        if stdout_isatty is None:
            isatty = getattr(self.stdout, "isatty", None)
            stdout_isatty = bool(isatty and isatty())
        self.stdout_isatty = stdout_isatty
        self.environ = os.environ if environ is None else environ


class Discard:
    """The stdout of ``-q``: takes what is written and keeps none of it."""

    def write(self, text):
        return len(text)

    def flush(self):
        """Nothing is held."""

    def isatty(self):
        return False


class UsageExit(Exception):
    """Raised by the parser instead of exiting: ``status`` and whether to say more."""

    def __init__(self, status, message=None):
        super().__init__(message)
        self.status = status
        self.message = message


def _parser_class(env):
    class Parser(argparse.ArgumentParser):
        def _print_message(self, message, file=None):
            if message:
                stream = env.stderr if file is sys.stderr else env.stdout
                stream.write(message)

        def exit(self, status=0, message=None):
            if message:
                env.stderr.write(message)
            raise UsageExit(ExitStatus.OK if status == 0 else ExitStatus.USAGE)

        def error(self, message):
            raise UsageExit(ExitStatus.USAGE, f"{self.prog}: error: {_shorten(message)} "
                                              f"(see {self.prog} --help)")
    return Parser


def _shorten(message):
    """Replace argparse's long list of choices by the closest ones."""
    import re
    match = re.match(r"(argument \S+: invalid choice: '([^']*)') \(choose from (.*)\)$",
                     message)
    if not match:
        return message
    import difflib
    choices = [c.strip(" '") for c in match.group(3).split(",")]
    close = difflib.get_close_matches(match.group(2), choices, n=3)
    if close:
        return f"{match.group(1)} (did you mean {' or '.join(close)}?)"
    return message if len(choices) <= 12 else match.group(1)


def _status_of(exc):
    from qairon_qcli import client
    for cls, status in ((client.Unauthorized, ExitStatus.PERMISSION),
                        (client.InvalidInput, ExitStatus.USAGE),
                        (client.BadRequest, ExitStatus.USAGE),
                        (client.NotFound, ExitStatus.NOT_FOUND),
                        (client.Conflict, ExitStatus.CONFLICT),
                        (client.RuleError, ExitStatus.CONFLICT),
                        (client.ServerError, ExitStatus.SERVER_ERROR),
                        (client.ConnectionFailed, ExitStatus.CONNECTION)):
        if isinstance(exc, cls):
            return status
    return ExitStatus.ERROR


def _plugins_for(argv, schema):
    from qairon_qcli import parser as qparser
    chosen = qparser.chosen_context(argv)
    if chosen in schema.resources:
        return {}
    from qairon_qcli import plugins
    found = plugins.discover()
    return {name: (lambda target=target: plugins.load(target)) for name, target in found.items()}


def build(argv, env, schema):
    """The parser for ``argv`` (completing it when argcomplete asks)."""
    from qairon_qcli.parser import build_parser
    completers = None
    completing = "_ARGCOMPLETE" in env.environ
    words = argv
    if completing:
        from qairon_qcli.completion import Completers, comp_words
        completers = Completers(schema, env.environ)
        words = comp_words(env.environ)
    parser, failures = build_parser(_parser_class(env), words, schema,
                                    _plugins_for(words, schema), completers)
    if completing:
        import argcomplete
        argcomplete.autocomplete(parser)
    for name, exc in failures:
        env.stderr.write(f"qcli: warning: plugin {name!r} failed to load: {exc}\n")
    return parser


def run(args, env):
    """Execute parsed ``args``; returns the plugin's status or None."""
    from qairon_qcli import config
    from qairon_qcli.client import DEFAULT_ENDPOINT, DEFAULT_TIMEOUT, Client
    from qairon_qcli.controllers import PrintingOutputController, QCLIController
    fmt = args.output or ("table" if env.stdout_isatty else "plain")
    output = PrintingOutputController(fmt, env.stdout, args.fields)
    settings = config.load(env.environ)
    endpoint = args.endpoint or settings.endpoint or DEFAULT_ENDPOINT
    timeout = (DEFAULT_TIMEOUT[0], args.timeout) if args.timeout else None
    client = Client(endpoint, timeout, token=settings.token or "")
    if getattr(args, "as_of", None):  # reads at that moment; restore takes it as its moment
        from qairon_qcli.history import moment
        args.as_of = client.as_of = moment(args.as_of)
    controller = QCLIController(output, client=client)
    handler = getattr(args, "handler", None)
    if handler is not None:
        return handler(args, controller)
    resource, command = args.resource, args.command
    if command in ("list", "get", "delete", "get_field", "set_field", "query"):
        names = {"list": (), "get": ("resource_id",),
                 "delete": ("resource_id", "cascade"),
                 "get_field": ("resource_id", "field"),
                 "set_field": ("resource_id", "field", "value"), "query": ("query",)}
        kwargs = {name: getattr(args, name) for name in names[command]}
        return getattr(controller, command)(resource=resource, **kwargs)
    if command == "create":
        entry = controller.schema.resource(resource)
        names = list(entry.get("create", [])) + list(entry.get("options", {}))
        fields = {n: getattr(args, n, None) for n in names}
        for name in entry.get("create", []):
            path = getattr(args, f"{name}_file", None)
            if path is not None:
                from qairon_qcli.values import read_text_file
                if fields[name] is not None:
                    raise UsageExit(ExitStatus.USAGE, f"qcli: give {name} or --"
                                    f"{name.replace('_', '-')}-file, not both")
                fields[name] = read_text_file(path, name)
        return controller.create(resource, **fields)
    method = controller.assign if command.startswith("assign_") else controller.unassign
    return method(resource, args.resource_id, args.relation, args.other_id)


def main(argv=None, env=None):
    """Run qcli with ``argv`` (default ``sys.argv[1:]``); return an :class:`ExitStatus`."""
    env = env or Environment()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build(argv, env, Schema()).parse_args(argv)
        if getattr(args, "quiet", False):
            env.stdout = Discard()
        status = run(args, env)
        env.stdout.flush()
        return ExitStatus(status) if isinstance(status, int) else ExitStatus.OK
    except UsageExit as exc:
        if exc.message:
            env.stderr.write(exc.message + "\n")
        return exc.status
    except BrokenPipeError:
        _silence_stdout(env)
        return ExitStatus.OK
    except KeyboardInterrupt:
        env.stderr.write("\n")
        return ExitStatus.INTERRUPTED
    except Exception as exc:
        from qairon_qcli.client import QaironError
        if not isinstance(exc, QaironError):
            raise
        note = f" (request {exc.request_id})" if exc.request_id else ""
        env.stderr.write(f"qcli: {exc}{note}\n")
        return _status_of(exc)


def _silence_stdout(env):
    """After a broken pipe, point stdout at /dev/null so the exit flush is quiet."""
    if env.stdout is sys.stdout:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass


def console_main():
    """Entry point of the ``qcli`` console script."""
    sys.exit(int(main()))
