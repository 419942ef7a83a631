"""Every route of the app's URL map that the registry does not describe, described generically.

The registry describes the two faces and the declared actions
(:mod:`qairon.openapi.plain`, :mod:`qairon.openapi.jsonapi`); their rules are
*claimed* here by endpoint. Any other rule — identity, history, health, a
plugin's blueprint, a route added later — gets a generic description: its path
parameters (``<plural>`` is one of the registry's collections), its methods,
the first line of its view's docstring as summary, JSON answers and the error
shape with every status. A view may refine that with a ``openapi`` attribute
(a dict merged into each of its operations), and views marked public need no
credentials.

Not described, by rule: what is not the API — paths under :data:`EXCLUDED`
(the admin UI, static files, metrics, the documentation viewer itself) and
every ``static`` endpoint.
"""
import re

from qairon.api.errors import JSONAPI_PREFIX, STATUS
from qairon.models import REGISTRY
from qairon.openapi.operations import ANY, errors, operation, parameter, success

EXCLUDED = ("/static", "/admin", "/metrics", "/api/docs")
CLAIMED_ENDPOINTS = {"plain.list_objects", "plain.create_object", "plain.item", "bulk.bulk_one",
                     "bulk.bulk_many"}
CLAIMED_BLUEPRINTS = {"actions"}
CONVERTERS = {"int": {"type": "integer"}, "float": {"type": "number"}}
VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def methods_of(rule):
    """The methods a rule serves, HEAD and OPTIONS left out, sorted."""
    return sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))


def is_documented(rule):
    """False for what is not the API (see :data:`EXCLUDED`)."""
    endpoint = rule.endpoint
    if endpoint == "static" or endpoint.endswith(".static"):
        return False
    return not any(rule.rule == p or rule.rule.startswith(p + "/") for p in EXCLUDED)


def is_claimed(rule):
    """True when the registry's descriptions cover ``rule``."""
    if rule.endpoint in CLAIMED_ENDPOINTS or rule.endpoint.split(".")[0] in CLAIMED_BLUEPRINTS:
        return True
    if rule.rule.startswith(JSONAPI_PREFIX + "/"):
        return rule.rule[len(JSONAPI_PREFIX) + 1:].split("/")[0] in REGISTRY
    return False


def template(rule):
    """``(OpenAPI path, path parameters)`` of a Werkzeug rule."""
    params = []

    def variable(match):
        converter, name = match.group(1), match.group(2)
        if name == "plural":
            params.append(parameter(name, "path", {"type": "string", "enum": sorted(
                cls.plural for cls in REGISTRY.values())}, description="a resource collection"))
        else:
            params.append(parameter(name, "path", CONVERTERS.get(converter)))
        return "{" + name + "}"

    return VARIABLE.sub(variable, rule.rule), params


def summary_of(view, endpoint):
    """The first line of the view's docstring, or its endpoint name."""
    doc = (view.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else endpoint


def generic_operation(rule, method, view, params):
    """A generic operation: path parameters, JSON answers, every error status."""
    responses = success(200, "the answer", ANY)
    if method == "POST":
        responses.update(success(201, "created", ANY))
    if method == "DELETE":
        responses.update(success(204, "done"))
    responses.update(errors(sorted({status for status, _title in STATUS.values()})))
    segments = [s for s in rule.rule.split("/") if s and s != "api" and not s.startswith("<")]
    op = operation(f"{rule.endpoint.replace('.', '_')}_{method.lower()}",
                   summary_of(view, rule.endpoint), responses, params,
                   tags=[segments[0] if segments else "service"])
    if getattr(view, "qairon_public", False):
        op["security"] = []
    op.update(getattr(view, "openapi", {}))
    return op


def generic_paths(app):
    """``{path: path item}`` for every documented rule that nothing else describes."""
    paths = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if not is_documented(rule) or is_claimed(rule):
            continue
        path, params = template(rule)
        view = app.view_functions[rule.endpoint]
        for method in methods_of(rule):
            paths.setdefault(path, {})[method.lower()] = generic_operation(
                rule, method, view, params)
    return paths
