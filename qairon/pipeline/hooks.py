"""The named extension points of the write pipeline and the hooks registered on them.

A hook is ``hook(session, changes)``: it sees every :class:`Change` of a
write after the rules passed and before anything is persisted, in the same
transaction; raising a :class:`~qairon.core.errors.QaironError` refuses the
whole write. Stages run in this order:

``authorize``  may this actor make these changes? (identity)
``record``     keep the change record (history)
``derive``     keep derived data in step (caches such as the allocation hint)
"""
from flask import current_app, has_app_context

STAGES = ("authorize", "record", "derive")
EXTENSION = "qairon.pipeline"


class Hooks:
    """The hooks of one application, per stage, in registration order."""

    def __init__(self):
        self.by_stage = {stage: [] for stage in STAGES}

    def add(self, stage, hook):
        """Register ``hook`` on ``stage``; returns it, so it can serve as a decorator."""
        if stage not in self.by_stage:
            raise ValueError(f"unknown pipeline stage {stage!r}; stages: {', '.join(STAGES)}")
        self.by_stage[stage].append(hook)
        return hook

    def remove(self, stage, hook):
        """Unregister ``hook`` from ``stage``."""
        self.by_stage[stage].remove(hook)

    def run(self, session, changes):
        """Call every hook, stage by stage, with the write's changes."""
        if not changes:
            return
        for stage in STAGES:
            for hook in self.by_stage[stage]:
                hook(session, changes)


def hooks_of(app):
    """The hooks of ``app`` (created on first use)."""
    return app.extensions.setdefault(EXTENSION, Hooks())


def current_hooks():
    """The hooks of the current application, or an empty set outside one."""
    if has_app_context():
        return hooks_of(current_app)
    return Hooks()


def add_hook(app, stage, hook):
    """Register ``hook(session, changes)`` on ``stage`` of ``app``'s write pipeline."""
    return hooks_of(app).add(stage, hook)
