"""Each plugin shipped in ``plugins/`` migrates to exactly the tables its models declare.

``flask db upgrade`` then ``flask db check`` with only that plugin enabled: the
check finds nothing left to migrate, and ``flask db downgrade`` of its branch
removes its tables again. On PostgreSQL when ``QAIRON_TEST_DATABASE_URL`` is set.
"""
import os

import pytest

from tests.support.live_server import REPO_ROOT, LiveServer, PostgresDatabase

SHIPPED = sorted(name for name in os.listdir(os.path.join(REPO_ROOT, "plugins"))
                 if os.path.isfile(os.path.join(REPO_ROOT, "plugins", name, "__init__.py")))


@pytest.mark.parametrize("plugin", SHIPPED)
def test_a_shipped_plugin_migrates_to_its_models(plugin, tmp_path):
    server = LiveServer(extra_env={"QAIRON_PLUGINS": plugin})
    base = os.environ.get("QAIRON_TEST_DATABASE_URL")
    database = PostgresDatabase(base) if base else None
    server.database_url = database.create() if database else f"sqlite:///{tmp_path / 'q.db'}"
    try:
        upgraded = server.flask("db", "upgrade")
        assert upgraded.returncode == 0, upgraded.stderr[-3000:]
        checked = server.flask("db", "check")
        assert checked.returncode == 0, checked.stderr[-3000:] + checked.stdout[-3000:]
        assert "No new upgrade operations detected" in checked.stdout + checked.stderr
        down = server.flask("db", "downgrade", f"{plugin}@base")
        assert down.returncode == 0, down.stderr[-3000:]
        again = server.flask("db", "check")
        assert again.returncode != 0  # its tables are gone, so its models want them back
    finally:
        if database:
            database.drop()
