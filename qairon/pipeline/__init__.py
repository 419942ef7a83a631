"""The one write pipeline: input shape, rules, hooks (authorize, record, derive), persistence.

See :mod:`qairon.pipeline.flow` for the steps and :mod:`qairon.pipeline.hooks`
for the extension points.
"""
from qairon.pipeline.flow import CASCADE_KEY, init_app, insert_new, session_changes  # noqa: F401
from qairon.pipeline.hooks import STAGES, add_hook  # noqa: F401
