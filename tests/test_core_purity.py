"""The pure core imports no framework: ``qairon.core`` works without Flask or SQLAlchemy."""
import os
import pkgutil
import subprocess
import sys

import qairon.core

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE = sorted(f"qairon.core.{m.name}" for m in pkgutil.iter_modules(qairon.core.__path__))
FRAMEWORKS = ("flask", "sqlalchemy", "werkzeug", "flask_restless")


def loaded_after_import(module):
    """The framework modules a fresh interpreter has loaded after ``import module``."""
    code = (f"import sys, {module}; "
            f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {FRAMEWORKS!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=True)
    return done.stdout.strip()


def test_the_core_has_modules():
    assert {"qairon.core.errors", "qairon.core.ids", "qairon.core.cidr",
            "qairon.core.subnet_search", "qairon.core.walk"} <= set(CORE)


def test_each_core_module_imports_no_framework():
    assert {module: loaded_after_import(module) for module in ["qairon"] + CORE} == \
        dict.fromkeys(["qairon"] + CORE, "")
