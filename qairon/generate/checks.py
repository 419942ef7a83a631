"""The rules of a config template, checked when it is written (its ``validate``)."""
from pathlib import PurePosixPath

from qairon.core.errors import BadRequest, RuleError
from qairon.generate.render import compile_text
from qairon.models import REGISTRY


def check_template(template):
    """``applies_to`` names a resource, ``selector`` fits it, ``doc`` and ``path`` compile."""
    applies_to, filters = template.applies_to, template.selector or {}
    if applies_to is not None and applies_to not in REGISTRY:
        raise RuleError(f"applies_to {applies_to!r} is not a resource; resources are "
                        f"{', '.join(sorted(REGISTRY))}", field="applies_to")
    if template.path and applies_to is None:
        raise RuleError("path needs applies_to: the resource whose objects it names",
                        field="path")
    if filters:
        if applies_to is None:
            raise RuleError("selector needs applies_to: the resource it selects from",
                            field="selector")
        template_filters(template)
    compile_text(template.id or template.name, "doc", template.doc or "")
    if template.path:
        compile_text(template.id or template.name, "path", template.path)


def template_filters(template):
    """The template's filters, checked against its resource (as the query face checks them)."""
    from qairon.api.filters import prepare_filters
    from qairon.api.query import normalise_filters
    filters = template.selector or {}
    if not filters:
        return []
    try:
        return prepare_filters(REGISTRY[template.applies_to],
                               normalise_filters(filters, field="selector"),
                               field="selector")
    except BadRequest as exc:
        raise RuleError(str(exc), field="selector") from None


def safe_path(template_id, text):
    """A rendered output path, checked: relative, no ``..``, no empty parts; normalised."""
    path = text.strip()
    parts = PurePosixPath(path).parts
    if not path or path.startswith("/") or "\\" in path or "\0" in path or any(
            p in ("..", ".") for p in parts):
        raise RuleError(f"config_template {template_id!r}: path renders to {path!r}; an output "
                        f"path must be relative, without '.' or '..' parts", field="path")
    return str(PurePosixPath(*parts))
