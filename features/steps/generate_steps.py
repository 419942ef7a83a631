"""Steps of the generation and reconciliation features: the seed's releases, the
example templates' folder, the recon fixtures, and comparing generated trees."""
import filecmp
import os

from behave import given, then

from qairon_qcli.client import Client, Conflict
from qairon_qcli.controllers import QCLIController, ReturningOutputController
from tests.support.world import BUILD_ARTIFACT, DEPLOYMENT, RELEASE, RELEASE_ARTIFACT, rows_for

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(REPO_ROOT, "docs", "examples", "generate")
FIXTURES = os.path.join(REPO_ROOT, "features", "fixtures", "recon")


def controller(context):
    """The Python module on the feature's server."""
    return QCLIController(ReturningOutputController(), client=Client(
        context.endpoint, token=getattr(context.server, "admin_token", "")))


@given('the seed 001 release is current')
def step_release_current(context):
    qcli = controller(context)
    for row in rows_for(RELEASE_ARTIFACT, BUILD_ARTIFACT):
        try:
            qcli.create(resource=row.resource, **row.fields)
        except Conflict:
            pass
    for language in ("hcl", "yaml"):
        try:
            qcli.create(resource="language", name=language)
        except Conflict:
            pass
    qcli.set_field(resource="deployment", resource_id=DEPLOYMENT, field="current_release_id",
                   value=RELEASE)
    context.shell_vars.update({"EXAMPLES": EXAMPLES, "FIXTURES": FIXTURES,
                               "RELEASE_ID": RELEASE})


def _tree(root):
    out = []
    for base, _dirs, files in os.walk(root):
        out += [os.path.relpath(os.path.join(base, name), root) for name in files]
    return sorted(out)


@then('the files under "{folder}" are those of the examples\' "{expected}" folder')
def step_same_tree(context, folder, expected):
    made = os.path.join(context.workdir, folder)
    wanted = os.path.join(EXAMPLES, expected)
    assert _tree(made) == sorted(_tree(wanted) + [".qairon-generate.json"]), \
        (_tree(made), _tree(wanted))
    for path in _tree(wanted):
        assert filecmp.cmp(os.path.join(made, path), os.path.join(wanted, path), shallow=False), \
            path
