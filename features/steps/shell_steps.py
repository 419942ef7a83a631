"""Steps that run qcli through a real shell and check what it printed."""
import json
import os
import subprocess
import sys

from behave import given, then, when

COMMAND_TIMEOUT = 120
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _env(context):
    env = dict(os.environ)
    env.pop("QAIRON_TOKEN", None)
    env["XDG_CONFIG_HOME"] = os.path.join(context.tmpdir, "config")
    env.update(context.shell_vars)
    env["PATH"] = context.bin_dir + os.pathsep + env.get("PATH", "")
    env["QAIRON_ENDPOINT"] = context.endpoint
    env["SQLALCHEMY_DATABASE_URI"] = context.server.database_url  # for flask --app qairon
    env["PYTHONPATH"] = REPO_ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env["GITHUB_ENV"] = context.github_env
    env["PYTHON"] = sys.executable
    return env


def _load_github_env(context):
    with open(context.github_env, encoding="utf-8") as handle:
        for line in handle:
            if "=" in line:
                key, value = line.rstrip("\n").split("=", 1)
                context.shell_vars[key] = value


def run_shell(context, script):
    """Run ``script`` with ``bash -c``; keep status, stdout, stderr on the context."""
    context.result = subprocess.run(["bash", "-c", script], env=_env(context),
                                    cwd=context.workdir, capture_output=True, text=True,
                                    timeout=COMMAND_TIMEOUT)
    _load_github_env(context)
    return context.result


def _describe(result):
    return (f"exit {result.returncode}\n--- stdout\n{result.stdout}"
            f"--- stderr\n{result.stderr}")


@given('the shell variables')
def step_shell_variables(context):
    for row in context.table:
        context.shell_vars[row["name"]] = row["value"]


@when('I run "{command}"')
def step_run(context, command):
    run_shell(context, command)


@when('I run in a shell')
def step_run_script(context):
    run_shell(context, "set -e\n" + context.text)


@given('I ran in a shell')
def step_ran_script(context):
    result = run_shell(context, "set -e\n" + context.text)
    assert result.returncode == 0, _describe(result)


@when('I run Python')
def step_run_python(context):
    context.result = subprocess.run([sys.executable, "-c", context.text], env=_env(context),
                                    cwd=context.workdir, capture_output=True, text=True,
                                    timeout=COMMAND_TIMEOUT)


@then('it succeeds')
def step_succeeds(context):
    assert context.result.returncode == 0, _describe(context.result)


@then('the exit code is {code:d}')
def step_exit_code(context, code):
    assert context.result.returncode == code, _describe(context.result)


@then('stdout is "{text}"')
def step_stdout_is(context, text):
    assert context.result.stdout == text + "\n", _describe(context.result)


@then('stdout is')
def step_stdout_is_block(context):
    assert context.result.stdout == context.text + "\n", _describe(context.result)


@then('stdout is empty')
def step_stdout_empty(context):
    assert context.result.stdout == "", _describe(context.result)


@then('stderr is empty')
def step_stderr_empty(context):
    assert context.result.stderr == "", _describe(context.result)


@then('stderr contains "{text}"')
def step_stderr_contains(context, text):
    assert text in context.result.stderr, _describe(context.result)


@then('stdout contains "{text}"')
def step_stdout_contains(context, text):
    assert text in context.result.stdout, _describe(context.result)


@then('stderr is one line containing "{text}"')
def step_stderr_one_line(context, text):
    lines = context.result.stderr.splitlines()
    assert len(lines) == 1 and text in lines[0], _describe(context.result)


@then('stdout is a JSON array of {count:d} element')
@then('stdout is a JSON array of {count:d} elements')
def step_json_array(context, count):
    data = json.loads(context.result.stdout)
    assert isinstance(data, list) and len(data) == count, _describe(context.result)


@then('stdout is the JSON value {value}')
def step_json_value(context, value):
    assert json.loads(context.result.stdout) == json.loads(value), _describe(context.result)


@then('${name} is "{value}"')
def step_variable_is(context, name, value):
    actual = context.shell_vars.get(name)
    assert actual == value, f"${name} is {actual!r}, expected {value!r}"
