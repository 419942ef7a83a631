"""Installs qairon_qcli, the client package, and its ``qcli`` command.

The client depends on requests and argcomplete only; the server (``qairon``)
is installed from requirements.txt and is not part of this distribution.
The client needs Python 3.10 (``zip(strict=...)``, and requests and argcomplete
need it too); the server is tested on 3.11.
tests/qcli/test_packaging.py keeps ``python_requires`` honest.
"""
from setuptools import find_packages, setup

setup(
    name="qairon-qcli",
    version="0.1.0",
    description="qcli: command line and Python client of Qairon, the infrastructure SSoT",
    packages=find_packages(include=["qairon_qcli", "qairon_qcli.*"]),
    package_data={"qairon_qcli": ["schema.json"]},
    include_package_data=True,
    python_requires=">=3.10",
    install_requires=["requests", "argcomplete", "jq"],
    entry_points={"console_scripts": ["qcli = qairon_qcli.cli:console_main"]},
)
