"""Rendering a config template: a sandboxed Jinja2 environment with strict variables.

Templates are data written by users, so they run in Jinja2's
``SandboxedEnvironment`` (no access to Python internals) and an undefined
variable is an error rather than empty text. Every failure — a syntax error,
an undefined name, a sandbox refusal, a filter given a value it cannot
write — is a :class:`~qairon.core.errors.RuleError` naming the template,
which of its texts (``doc`` or ``path``) and the line.

Filters besides Jinja2's own: ``json`` (sorted keys), ``yaml`` (block style,
sorted keys) and ``hcl`` (a double-quoted HCL string, with ``${`` and ``%{``
escaped so that the value is never interpolated by Terraform).
"""
import json
from functools import lru_cache

import yaml
from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from qairon.core.errors import RuleError

TEMPLATE_FILE = "<template>"


def to_json(value, indent=None):
    """``value`` as JSON text with sorted keys (``indent`` for a block)."""
    return json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=False)


def to_yaml(value):
    """``value`` as block-style YAML with sorted keys, without the document end marker."""
    text = yaml.safe_dump(value, default_flow_style=False, sort_keys=True, allow_unicode=True)
    return text[:-len("...\n")].rstrip("\n") if text.endswith("...\n") else text.rstrip("\n")


def to_hcl(value):
    """``value`` as an HCL literal: strings double-quoted with interpolation escaped,
    numbers, booleans and null as they are, lists and objects as HCL's JSON-like syntax."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(to_hcl(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{to_hcl(str(k))} = {to_hcl(v)}"
                               for k, v in sorted(value.items())) + "}"
    text = json.dumps(str(value), ensure_ascii=False)
    return text.replace("${", "$${").replace("%{", "%%{")


@lru_cache(maxsize=1)
def environment():
    """The one sandboxed environment every template renders in."""
    env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True,
                               autoescape=False)
    env.filters.update(json=to_json, yaml=to_yaml, hcl=to_hcl)
    return env


def _line(exc):
    """The template line a rendering error happened on, from its traceback."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _refusal(template_id, field, exc):
    line = _line(exc)
    where = f" line {line}" if line else ""
    message = getattr(exc, "message", None) or str(exc)
    return RuleError(f"config_template {template_id!r}, {field}{where}: {message}",
                     field=field, meta={"template": template_id, "line": line})


@lru_cache(maxsize=256)
def _compiled(source):
    return environment().from_string(source)


def compile_text(template_id, field, source):
    """The compiled template of ``source``; a syntax error names the template and line."""
    try:
        return _compiled(source)
    except TemplateSyntaxError as exc:
        raise _refusal(template_id, field, exc) from None


def render_text(template_id, field, source, context):
    """``source`` rendered with ``context``; any failure names the template and line."""
    template = compile_text(template_id, field, source)
    try:
        return template.render(context)
    except Exception as exc:  # a template is user code: any failure is its author's to fix
        raise _refusal(template_id, field, exc) from None
