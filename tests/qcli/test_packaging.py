"""setup.py says honestly which Python the client needs."""
import ast
import os
import re
from importlib.metadata import metadata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def python_requires():
    """``(major, minor)`` of setup.py's ``python_requires=">=X.Y"``."""
    with open(os.path.join(ROOT, "setup.py"), encoding="utf-8") as handle:
        major, minor = re.search(r'python_requires=">=(\d+)\.(\d+)"', handle.read()).groups()
    return int(major), int(minor)


def client_sources():
    for base, _dirs, files in os.walk(os.path.join(ROOT, "qairon_qcli")):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(base, name)
                with open(path, encoding="utf-8") as handle:
                    yield path, handle.read()


def test_the_client_parses_with_the_oldest_python_it_claims():
    version = python_requires()
    for path, source in client_sources():
        ast.parse(source, filename=path, feature_version=version)


def test_the_client_claims_no_older_python_than_its_dependencies_need():
    for name in ("requests", "argcomplete", "jq"):
        spec = metadata(name).get("Requires-Python") or ""
        needed = re.search(r">=\s*(\d+)\.(\d+)", spec)
        if needed:
            assert python_requires() >= (int(needed[1]), int(needed[2])), (name, spec)
