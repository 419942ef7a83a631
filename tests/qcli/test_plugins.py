"""Plugin discovery: a package plugin, an entry-point plugin, a broken plugin."""
import textwrap

import pytest

from qairon_qcli import plugins

GOOD = '''
def register(subparsers):
    parser = subparsers.add_parser("hello", help="say hello")
    commands = parser.add_subparsers(dest="command", required=True)
    say = commands.add_parser("say")
    say.add_argument("name")
    say.set_defaults(handler=lambda args, controller: controller.output.value("hi " + args.name))
'''


class FakeEntryPoint:
    """Stands for an installed distribution's ``qairon_qcli.plugins`` entry point."""

    name = "ep_plugin"

    def load(self):
        class Module:
            @staticmethod
            def register(subparsers):
                parser = subparsers.add_parser("ep_plugin", help="installed plugin")
                parser.set_defaults(handler=lambda args, controller: 7)
        return Module


@pytest.fixture
def plugin_dir(tmp_path, monkeypatch):
    for name, code in (("hello", GOOD), ("broken", "raise ImportError('no such thing')\n")):
        package = tmp_path / name
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "cli.py").write_text(textwrap.dedent(code))
    monkeypatch.setattr(plugins, "__path__", list(plugins.__path__) + [str(tmp_path)])
    monkeypatch.setattr(plugins, "_entry_point_plugins",
                        lambda: {"ep_plugin": FakeEntryPoint()})
    return tmp_path


def test_discovery_finds_both_kinds(plugin_dir):
    found = plugins.discover()
    assert {"hello", "broken", "ep_plugin"} <= set(found)


def test_package_plugin_adds_a_context(plugin_dir, qcli):
    result = qcli(["hello", "say", "bob"])
    assert (result.status, result.stdout, result.stderr) == (0, "hi bob\n", "")


def test_entry_point_plugin_handler_status_is_the_exit_code(plugin_dir, qcli):
    assert qcli(["ep_plugin"]).status == 7


def test_broken_plugin_warns_and_help_still_works(plugin_dir, qcli):
    result = qcli(["--help"])
    assert result.status == 0
    assert "hello" in result.stdout and "ep_plugin" in result.stdout
    assert "qcli: warning: plugin 'broken' failed to load: no such thing" in result.stderr


def test_broken_plugin_does_not_touch_other_commands(plugin_dir, qcli):
    result = qcli(["environment", "list"], endpoint="http://127.0.0.1:9")
    assert result.status == 6 and "warning" not in result.stderr
    result = qcli(["hello", "say", "ann"])
    assert result.stdout == "hi ann\n" and result.stderr == ""


def test_installed_distribution_entry_points_are_found(tmp_path, monkeypatch, qcli):
    info = tmp_path / "qcli_hello_plugin-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text(
        "[console_scripts]\nnot_me = x:y\n\n[qairon_qcli.plugins]\ngreet = qcli_greet_mod:Plugin\n")
    (tmp_path / "qcli_greet_mod.py").write_text(textwrap.dedent('''
        class Plugin:
            @staticmethod
            def register(subparsers):
                parser = subparsers.add_parser("greet", help="greet")
                parser.set_defaults(handler=lambda args, controller:
                                    controller.output.value("greetings"))
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    assert plugins.discover()["greet"] == "qcli_greet_mod:Plugin"
    result = qcli(["greet"])
    assert (result.status, result.stdout) == (0, "greetings\n")
