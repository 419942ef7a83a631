"""qcli generate, recon and drift against a real server holding the seed world."""
import json
import os

import pytest

from qairon_qcli import client as qclient
from qairon_qcli.cli import ExitStatus
from qairon_qcli.controllers import QCLIController, ReturningOutputController
from tests.generate.helpers import TEMPLATES
from tests.qcli.conftest import run_qcli, serving
from tests.support.world import DEPLOYMENT, NET, RELEASE, TARGET, WORLD

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "features", "fixtures", "recon")
VPC_FILE = "terraform/prod/us-east-1/main-vpc.tf"
K8S_FILE = "kubernetes/prod/main-cluster/checkout/order-processor-default.yaml"
K8S_JQ = ("[.items[] | {service: .metadata.name, image: .spec.template.spec.containers[0].image}]"
          " | sort_by(.service)")
QAIRON_JQ = ("[.[] | {service: (.service_id | split(\":\") | .[-1]), image: "
             ".current_release.release_artifacts[0].upload_path}] | sort_by(.service)")


@pytest.fixture(scope="module")
def server():
    """A server of its own with the seed world, the example templates and recon patterns."""
    for running in serving():
        qcli = QCLIController(ReturningOutputController(), endpoint=running.url)
        for row in WORLD:
            qcli.create(resource=row.resource, **row.fields)
        for name in ("hcl", "yaml"):
            qcli.create(resource="language", name=name)
        for fields in TEMPLATES.values():
            qcli.create(resource="config_template", **fields)
        qcli.set_field(resource="deployment", resource_id=DEPLOYMENT,
                       field="current_release_id", value=RELEASE)
        qcli.set_field(resource="deployment_target_type", resource_id="eks", field="defaults",
                       value=json.dumps({"recon": {"actual_jq": K8S_JQ, "qairon_jq": QAIRON_JQ,
                                                   "qairon_field": "deployments",
                                                   "match": "service"}}))
        yield running


@pytest.fixture
def qcli(server):
    def run(*argv, **kw):
        return run_qcli(list(argv), endpoint=server.url, **kw)
    return run


def tree(root):
    out = {}
    for base, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(base, name)
            with open(path, "rb") as handle:
                out[os.path.relpath(path, root)] = handle.read()
    return out


def test_generate_writes_sorted_files_and_a_manifest_and_is_idempotent(qcli, tmp_path):
    out = str(tmp_path / "out")
    first = qcli("generate", out)
    assert first.status == 0, first.stderr
    assert first.stdout == f"create\t{K8S_FILE}\ncreate\t{VPC_FILE}\n"
    files = tree(out)
    assert sorted(files) == [".qairon-generate.json", K8S_FILE, VPC_FILE]
    manifest = json.loads(files[".qairon-generate.json"])
    assert sorted(manifest["files"]) == [K8S_FILE, VPC_FILE]
    again = qcli("generate", out)
    assert (again.status, again.stdout) == (0, "")
    assert tree(out) == files
    assert qcli("generate", out, "--check").status == 0


def test_check_writes_nothing_and_exits_stale_with_a_unified_diff(qcli, server, tmp_path):
    out = str(tmp_path / "out")
    missing = qcli("generate", out, "--check")
    assert missing.status == ExitStatus.STALE and f"+++ b/{VPC_FILE}" in missing.stdout
    assert not os.path.exists(out)
    assert qcli("generate", out).status == 0
    allocated = qcli("network", "allocate_subnet", NET, "8", "db0")
    assert allocated.status == 0, allocated.stderr
    try:
        stale = qcli("generate", out, "--check")
        assert stale.status == ExitStatus.STALE == 9
        assert stale.stdout.startswith(f"--- a/{VPC_FILE}\n+++ b/{VPC_FILE}\n@@ ")
        assert '+  cidr_block        = "10.0.4.0/24"\n' in stale.stdout
        assert "db0" not in tree(out)[VPC_FILE].decode()
    finally:
        assert qcli("subnet", "delete", NET + ":db0").status == 0


def test_only_the_named_templates_and_stale_files_go(qcli, tmp_path):
    out = str(tmp_path / "out")
    assert qcli("generate", out).status == 0
    (tmp_path / "out" / "notes.txt").write_text("mine\n")
    only = qcli("generate", out, "--template", "vpc-tf")
    assert only.stdout == f"remove\t{K8S_FILE}\n"
    assert sorted(tree(out)) == [".qairon-generate.json", "notes.txt", VPC_FILE]
    assert not os.path.exists(os.path.join(out, "kubernetes"))


def test_recon_exit_codes_and_formats(qcli):
    in_sync = qcli("recon", "deployment_target", TARGET, "--actual",
                   os.path.join(FIXTURES, "kubectl_in_sync.json"))
    assert in_sync.status == 0, in_sync.stderr
    drift = qcli("recon", "deployment_target", TARGET, "--actual",
                 os.path.join(FIXTURES, "kubectl_drift.json"), "-o", "json")
    assert drift.status == ExitStatus.DRIFT == 8
    assert json.loads(drift.stdout)["counts"]["changed"] == 1
    table = qcli("recon", "deployment_target", TARGET, "--actual",
                 os.path.join(FIXTURES, "kubectl_drift.json"), tty=True)
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["CHANGE", "ENTRY", "FIELDS"]
    assert lines[-1].startswith("drift: deployment_target ")
    listed = qcli("drift", "list", "--env", "prod")
    assert listed.stdout.startswith(f"deployment_target\t{TARGET}\tdrift\t")
    assert qcli("drift", "list", "--env", "dev").stdout == ""


def test_the_actual_command_runs_without_a_shell_and_within_its_time(qcli):
    slow = qcli("recon", "deployment_target", TARGET, "--actual-cmd", "sleep 5",
                "--cmd-timeout", "0.3")
    assert slow.status == ExitStatus.ERROR and "did not finish within 0.3 seconds" in slow.stderr
    shell = qcli("recon", "deployment_target", TARGET, "--actual-cmd",
                 f"cat {FIXTURES}/kubectl_in_sync.json; true")
    assert shell.status == ExitStatus.ERROR and "exited 1" in shell.stderr
    both = qcli("recon", "deployment_target", TARGET)
    assert both.status == ExitStatus.USAGE


def test_render_prints_the_text_alone(qcli):
    rendered = qcli("network", "render", NET, "vpc-tf")
    assert rendered.status == 0 and rendered.stdout.startswith("# Generated from Qairon")
    assert rendered.stdout.endswith("}\n")
    refused = qcli("network", "render", NET, "k8s-deployment")
    assert refused.status == ExitStatus.CONFLICT and "applies to deployment" in refused.stderr


def test_the_python_module_returns_the_documents(server, tmp_path):
    qcli = QCLIController(ReturningOutputController(), endpoint=server.url)
    files = qcli.rendered_files(["vpc-tf"])
    assert list(files) == [VPC_FILE]
    with open(os.path.join(FIXTURES, "kubectl_in_sync.json"), encoding="utf-8") as handle:
        report = qcli.recon("deployment_target", TARGET, json.load(handle))
    assert report["status"] == "in_sync"
    assert qcli.render(resource="network", resource_id=NET, template="vpc-tf").startswith("#")
    with pytest.raises(qclient.RuleError):
        qcli.recon("deployment_target", TARGET, {}, actual_key="nope_jq")


def test_a_file_in_the_way_is_an_error_not_a_traceback(qcli, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "terraform").write_text("a file where a folder goes\n")
    blocked = qcli("generate", str(tmp_path / "out"))
    assert blocked.status == ExitStatus.ERROR
    assert blocked.stderr.startswith("qcli: cannot write ") and "terraform" in blocked.stderr


def test_a_template_body_comes_from_a_file(qcli, tmp_path):
    body = tmp_path / "t.j2"
    body.write_text("line one\n{{ obj.cidr }}\n")
    made = qcli("config_template", "create", "from-file", "hcl", "--doc-file", str(body))
    assert (made.status, made.stdout) == (0, "from-file\n")
    shown = qcli("config_template", "get_field", "from-file", "doc")
    assert shown.stdout == "line one\n{{ obj.cidr }}\n\n"
    both = qcli("config_template", "create", "x", "hcl", "text", "--doc-file", str(body))
    assert both.status == ExitStatus.USAGE and "not both" in both.stderr
    missing = qcli("config_template", "create", "x", "hcl", "--doc-file", str(tmp_path / "no"))
    assert missing.status == ExitStatus.USAGE and "No such file" in missing.stderr
    assert qcli("config_template", "delete", "from-file").status == 0
