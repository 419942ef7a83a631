"""The jq patterns of an object's effective ``defaults.recon`` and running them.

Patterns are found by key in the object's effective defaults (its ancestors',
its type's and its own, merged: type-level patterns with instance overrides,
as seed 001 layers them); a dotted key (``terraform.vpc_jq``) reaches into a
nested object. Every top-level text or number of ``defaults.recon`` is also a
jq variable (``$repository``), and a request may add more. jq is the real one
(the ``jq`` bindings); an error names the pattern and the object it ran for.
"""
import re

import jq

from qairon.core.errors import RuleError

VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def lookup(recon, key, resource, object_id):
    """The value at dotted ``key`` of ``recon``; a 422 naming where it was looked for."""
    value = recon
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise RuleError(f"no {key!r} in the effective defaults.recon of {resource} "
                            f"{object_id!r} (its own defaults, its type's and its ancestors' "
                            f"were merged); set defaults.recon.{key} on the {resource} or its "
                            f"type", field=key, meta={"looked_for": f"defaults.recon.{key}"})
        value = value[part]
    return value


def variables(recon, extra=None):
    """jq variables: the top-level texts and numbers of ``recon``, then ``extra``."""
    out = {k: v for k, v in recon.items()
           if VARIABLE.fullmatch(k) and isinstance(v, (str, int, float))
           and not isinstance(v, bool)}
    out.update(extra or {})
    return out


def run(pattern, key, data, values, source):
    """All outputs of jq ``pattern`` (found at ``key``) applied to ``data``."""
    if not isinstance(pattern, str):
        raise RuleError(f"defaults.recon.{key} must be a jq program (text), not "
                        f"{type(pattern).__name__}", field=key)
    try:
        return jq.compile(pattern, args=values).input_value(data).all()
    except ValueError as exc:
        raise RuleError(f"jq pattern defaults.recon.{key} failed on {source}: "
                        f"{str(exc).strip()}", field=key, meta={"pattern": pattern}) from None
