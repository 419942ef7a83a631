"""Where qcli finds its endpoint and token: the command line, the environment, a file.

* endpoint: ``--endpoint``, else ``$QAIRON_ENDPOINT``, else the file's ``endpoint``,
  else ``http://127.0.0.1:5000``;
* token: ``$QAIRON_TOKEN``, else the file's ``token`` (there is no option: a
  secret on the command line shows in ``ps``).

The file is ``$XDG_CONFIG_HOME/qairon/qcli.conf`` (``~/.config/qairon/qcli.conf``
when ``XDG_CONFIG_HOME`` is unset), lines of ``key = value`` with an optional
``[qcli]`` section header and ``#`` comments::

    endpoint = https://qairon.example.com
    token = qrn_...

Because it holds a secret, qcli refuses a file that its group or others may
read or write (``chmod 600`` it).
"""
import configparser
import os
import stat
from dataclasses import dataclass

from qairon_qcli.client import InvalidInput

FILE = os.path.join("qairon", "qcli.conf")
SECTION = "qcli"
KEYS = ("endpoint", "token")


class ConfigError(InvalidInput):
    """The config file cannot be used (unsafe permissions, unreadable, malformed)."""


@dataclass(frozen=True)
class Settings:
    """The endpoint and token qcli uses (None where nothing was configured)."""

    endpoint: str = None
    token: str = None


def config_path(environ):
    """The config file's path under ``environ``'s XDG rules, or None without a home."""
    base = environ.get("XDG_CONFIG_HOME")
    if not base or not os.path.isabs(base):
        home = environ.get("HOME")
        if not home:
            return None
        base = os.path.join(home, ".config")
    return os.path.join(base, FILE)


def read_file(path):
    """``{endpoint, token}`` from the file at ``path`` ({} when it does not exist)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    if stat.S_IMODE(mode) & 0o077:
        raise ConfigError(f"{path} holds a token but its group or others may access it (mode "
                          f"{stat.S_IMODE(mode):04o}); run: chmod 600 {path}")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        if text.lstrip().startswith("["):
            parser.read_string(text, source=path)
        else:
            parser.read_string(f"[{SECTION}]\n" + text, source=path)
    except configparser.Error as exc:
        raise ConfigError(f"{path} is not 'key = value' lines: {exc.message.splitlines()[0]}") \
            from None
    if not parser.has_section(SECTION):
        raise ConfigError(f"{path} has no [{SECTION}] section")
    values = dict(parser.items(SECTION))
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (keys: {', '.join(KEYS)})")
    return {key: value.strip() for key, value in values.items() if value.strip()}


def load(environ):
    """The :class:`Settings` from ``environ`` and the config file it points at."""
    path = config_path(environ)
    from_file = read_file(path) if path else {}
    return Settings(endpoint=environ.get("QAIRON_ENDPOINT") or from_file.get("endpoint"),
                    token=environ.get("QAIRON_TOKEN") or from_file.get("token"))
