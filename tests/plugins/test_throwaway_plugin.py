"""A plugin written into a temporary folder reaches every face with no edit outside it.

The plugin ``gadgets`` declares a resource (a gadget belongs to a service), its
migration (an Alembic branch), a route and a pipeline hook. Enabled with
``QAIRON_PLUGINS`` and found through ``QAIRON_PLUGIN_PATH``, it is served by
both REST faces, listed in the schema (so qcli has its commands), imported
from CSV, reached by the walks, kept in the history, and its writes need a
token like any other. A plugin that fails to import stops the start, named.
"""
import textwrap

import requests

from tests.plugins.support import plugin_schema, qcli
from tests.support.live_server import LiveServer

SERVICE = "shop:core:payments"

PLUGIN = {
    "__init__.py": '''
        """Gadgets: a throw-away plugin of the test suite."""
        from flask import Blueprint, jsonify

        from . import models  # noqa: F401

        bp = Blueprint("gadgets", __name__)


        @bp.get("/api/gadget-count")
        def count():
            """How many gadgets there are (a plugin's own route)."""
            from qairon.extensions import db
            return jsonify({"gadgets": db.session.query(models.Gadget).count()})


        def no_forbidden_gadget(session, changes):
            """A pipeline hook of the plugin."""
            from qairon.core.errors import RuleError
            for change in changes:
                if change.resource == "gadget" and (change.after or {}).get("name") == "forbidden":
                    raise RuleError("gadgets may not be called forbidden", field="name")


        def init_app(app):
            """Route and hook."""
            from qairon import pipeline
            app.register_blueprint(bp)
            pipeline.add_hook(app, "derive", no_forbidden_gadget)
    ''',
    "models.py": '''
        """The gadget resource."""
        from qairon.extensions import db
        from qairon.models.base import Resource, name_column, parent, reference


        class Gadget(Resource):
            """A gadget of a service."""

            __tablename__ = "gadget"
            id_parts = ("service_id", "name")
            create = ("service_id", "name")
            service_id = reference("service")
            service = parent("Service", "gadgets")
            name = name_column()
            color = db.Column(db.String, nullable=True)
    ''',
    "migrations/versions/g0001_gadgets.py": '''
        """gadgets: the gadget table

        Revision ID: g0001
        """
        import sqlalchemy as sa
        from alembic import op
        from sqlalchemy.dialects import postgresql

        revision = "g0001"
        down_revision = None
        branch_labels = ("gadgets",)
        depends_on = "0001"


        def upgrade():
            json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
            op.create_table(
                "gadget",
                sa.Column("service_id", sa.String(), sa.ForeignKey("service.id"),
                          nullable=False, index=True),
                sa.Column("name", sa.String(), nullable=False),
                sa.Column("color", sa.String(), nullable=True),
                sa.Column("id", sa.String(), primary_key=True),
                sa.Column("defaults", json, nullable=False),
                sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                sa.Column("last_updated_at", sa.DateTime(timezone=True), nullable=False),
                sa.Column("recon", json, nullable=True))


        def downgrade():
            op.drop_table("gadget")
    ''',
}


def write_plugin(folder, name, files):
    """Write a plugin package ``folder/name`` from ``{relative path: text}``."""
    for path, text in files.items():
        target = folder / name / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip())
    return folder


def test_a_plugin_reaches_every_face(tmp_path):
    folder = write_plugin(tmp_path / "plugins", "gadgets", PLUGIN)
    env = {"QAIRON_PLUGINS": "gadgets", "QAIRON_PLUGIN_PATH": str(folder),
           "QAIRON_AUTH": "writes"}
    with LiveServer(extra_env=env) as server:
        made = server.flask("token", "create", "--name", "ci", "--role", "writer")
        assert made.returncode == 0, made.stderr
        token = made.stdout.strip()
        auth = {"Authorization": f"Bearer {token}"}
        for plural, fields in (("applications", {"name": "shop"}),
                               ("stacks", {"application_id": "shop", "name": "core"}),
                               ("services", {"stack_id": "shop:core", "name": "payments"})):
            assert requests.post(f"{server.url}/api/{plural}", json=fields,
                                 headers=auth).status_code == 201
        # authorisation: a write without a token is refused as for any resource
        anonymous = requests.post(f"{server.url}/api/gadgets",
                                  json={"service_id": SERVICE, "name": "g0"})
        assert anonymous.status_code == 401
        # the plain face (the migration made the table), the rules and the plugin's hook
        plain = requests.post(f"{server.url}/api/gadgets", headers=auth,
                              json={"service_id": SERVICE, "name": "g1", "color": "red"})
        assert plain.status_code == 201, plain.text
        assert plain.json()["id"] == f"{SERVICE}:g1"
        dangling = requests.post(f"{server.url}/api/gadgets", headers=auth,
                                 json={"service_id": "shop:core:nope", "name": "g2"})
        assert dangling.status_code in (404, 422) and "shop:core:nope" in dangling.text
        hooked = requests.post(f"{server.url}/api/gadgets", headers=auth,
                               json={"service_id": SERVICE, "name": "forbidden"})
        assert hooked.status_code == 422 and "may not be called forbidden" in hooked.text
        # the JSON:API face
        listed = requests.get(f"{server.url}/api/rest/v1/gadget").json()
        assert [item["id"] for item in listed["data"]] == [f"{SERVICE}:g1"]
        # the schema, and qcli's commands generated from it
        schema = plugin_schema(server, tmp_path / "schema.json")
        created = qcli(server, schema, "gadget", "create", SERVICE, "g3", "--color", "blue",
                       token=token)
        assert (created.returncode, created.stdout) == (0, f"{SERVICE}:g3\n"), created.stderr
        got = qcli(server, schema, "gadget", "get_field", f"{SERVICE}:g3", "color")
        assert got.stdout == "blue\n", got.stderr
        # CSV import through qcli's csv_import
        csv = tmp_path / "gadgets.csv"
        csv.write_text(f"service_id,name,color\n{SERVICE},g4,green\n{SERVICE},g5,\n")
        imported = qcli(server, schema, "csv_import", "import_csv", "gadget", str(csv),
                        token=token)
        assert imported.returncode == 0, imported.stderr
        ids = qcli(server, schema, "gadget", "list").stdout.split()
        assert ids == [f"{SERVICE}:g{n}" for n in (1, 3, 4, 5)]
        # the walks: a gadget depends on its service
        impact = requests.get(f"{server.url}/api/services/{SERVICE}/impact").json()
        assert {n["id"] for n in impact["nodes"] if n["resource"] == "gadget"} == set(ids)
        trace = requests.get(f"{server.url}/api/gadgets/{SERVICE}:g1/trace").json()
        assert {"service", "stack", "application"} <= set(trace["counts"])
        # the history
        history = requests.get(f"{server.url}/api/gadgets/{SERVICE}:g1/history").json()
        changes = history.get("changes", history.get("results", history))
        assert any(c.get("operation") == "create" for c in changes), history
        # the plugin's own route
        assert requests.get(f"{server.url}/api/gadget-count").json() == {"gadgets": 4}


def test_a_plugin_that_fails_to_import_stops_the_start(tmp_path):
    folder = write_plugin(tmp_path / "plugins", "broken", {
        "__init__.py": "import a_module_that_is_not_installed  # noqa: F401\n"})
    server = LiveServer(extra_env={"QAIRON_PLUGINS": "broken",
                                   "QAIRON_PLUGIN_PATH": str(folder)})
    server.database_url = "sqlite:///" + str(tmp_path / "q.db")
    done = server.flask("db", "upgrade")
    assert done.returncode != 0
    assert ("plugin 'broken' failed to load: ModuleNotFoundError: No module named "
            "'a_module_that_is_not_installed'") in done.stderr
    server.extra_env["QAIRON_PLUGINS"] = "absent"
    done = server.flask("routes")
    assert done.returncode != 0 and "plugin 'absent' is enabled" in done.stderr


def test_an_installed_plugin_is_found_by_its_entry_point(tmp_path, monkeypatch):
    """A plugin installed as a distribution (its ``qairon.plugins`` entry point), not a folder."""
    site = tmp_path / "site"
    package = site / "qairon_epdemo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "def init_app(app):\n"
        "    app.add_url_rule('/api/epdemo', 'epdemo', lambda: {'plugin': 'epdemo'})\n")
    dist = site / "qairon_epdemo-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: qairon-epdemo\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[qairon.plugins]\nepdemo = qairon_epdemo\n")
    monkeypatch.syspath_prepend(str(site))
    from qairon import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "AUTH": "off",
                      "PLUGINS": "epdemo", "PLUGIN_PATH": str(tmp_path / "no-folder")})
    assert app.test_client().get("/api/epdemo").get_json() == {"plugin": "epdemo"}
