"""An upstream-shaped PostgreSQL database (the older Qairon's tables, as
/work/shared/UPSTREAM.md describes them), written here from that description,
for the import tests and the import benchmark."""
from sqlalchemy import create_engine, text

COMMON = ("id varchar PRIMARY KEY, created_at timestamp NOT NULL DEFAULT now(), "
          "last_updated_at timestamp NULL")
DEFAULTS = ", defaults text NULL"

# table -> columns besides the common ones (artifacts: data instead of defaults)
TABLES = {
    "environment": "", "provider_type": "", "deployment_target_type": "", "repo_type": "",
    "language": "", "application": "",
    "allocation_type": "unit varchar NOT NULL",
    "config_template": "language_id varchar NOT NULL REFERENCES language(id), doc text NOT NULL",
    "provider": "environment_id varchar NOT NULL REFERENCES environment(id), "
                "provider_type_id varchar NOT NULL REFERENCES provider_type(id), native_id varchar",
    "region": "provider_id varchar NOT NULL REFERENCES provider(id), name varchar NOT NULL, "
              "native_id varchar",
    "zone": "region_id varchar NOT NULL REFERENCES region(id), name varchar NOT NULL, "
            "native_id varchar",
    "partition": "region_id varchar NOT NULL REFERENCES region(id), name varchar NOT NULL, "
                 "native_id varchar",
    "network": "partition_id varchar NOT NULL REFERENCES partition(id), name varchar NOT NULL, "
               "cidr cidr NOT NULL, native_id varchar",
    "subnet": "network_id varchar NOT NULL REFERENCES network(id), name varchar NOT NULL, "
              "cidr cidr NOT NULL, native_id varchar",
    "fleet_type": "provider_type_id varchar NOT NULL REFERENCES provider_type(id), "
                  "name varchar NOT NULL",
    "deployment_target": "partition_id varchar NOT NULL REFERENCES partition(id), "
                         "deployment_target_type_id varchar NOT NULL "
                         "REFERENCES deployment_target_type(id), name varchar(255) NOT NULL, "
                         "native_id varchar",
    "fleet": "deployment_target_id varchar NOT NULL REFERENCES deployment_target(id), "
             "fleet_type_id varchar NOT NULL REFERENCES fleet_type(id), name varchar, "
             "native_id varchar",
    "capacity": "fleet_id varchar NOT NULL REFERENCES fleet(id), "
                "allocation_type_id varchar REFERENCES allocation_type(id), value float NOT NULL",
    "stack": "application_id varchar NOT NULL REFERENCES application(id), name varchar NOT NULL",
    "service": "stack_id varchar NOT NULL REFERENCES stack(id), name varchar NOT NULL, "
               "artifact_name varchar",
    "proc": "service_id varchar NOT NULL REFERENCES service(id), name varchar(64) NOT NULL",
    "repo": "repo_type_id varchar NOT NULL REFERENCES repo_type(id), name varchar NOT NULL, "
            "url varchar(253)",
    "build": "service_id varchar NOT NULL REFERENCES service(id), build_num integer NOT NULL, "
             "vcs_ref varchar NOT NULL, ver varchar NOT NULL",
    "build_artifact": "build_id varchar NOT NULL REFERENCES build(id), input_repo_id varchar "
                      "NOT NULL REFERENCES repo(id), output_repo_id varchar NOT NULL REFERENCES "
                      "repo(id), name varchar NOT NULL, upload_path varchar NOT NULL, data text",
    "deployment": "deployment_target_id varchar NOT NULL REFERENCES deployment_target(id), "
                  "service_id varchar NOT NULL REFERENCES service(id), "
                  "tag varchar NOT NULL DEFAULT 'default'",
    "release": "build_id varchar NOT NULL REFERENCES build(id), deployment_id varchar NOT NULL "
               "REFERENCES deployment(id), build_num integer NOT NULL",
    "release_artifact": "release_id varchar NOT NULL REFERENCES release(id), input_repo_id "
                        "varchar NOT NULL REFERENCES repo(id), output_repo_id varchar NOT NULL "
                        "REFERENCES repo(id), name varchar NOT NULL, upload_path varchar NOT "
                        "NULL, data text",
    "deployment_proc": "deployment_id varchar NOT NULL REFERENCES deployment(id), "
                       "proc_id varchar NOT NULL REFERENCES proc(id)",
    "allocation": "deployment_proc_id varchar NOT NULL REFERENCES deployment_proc(id), "
                  "allocation_type_id varchar NOT NULL REFERENCES allocation_type(id), "
                  "value float NOT NULL, watermark watermark",
    **{f"{owner}_config": f"{owner}_id varchar {'NOT NULL ' if owner == 'deployment' else ''}"
                          f"REFERENCES {owner}(id), config_template_id varchar "
                          f"{'NOT NULL ' if owner == 'deployment' else ''}"
                          f"REFERENCES config_template(id), name varchar NOT NULL, "
                          f"tag varchar NOT NULL DEFAULT 'default', config text"
       for owner in ("stack", "service", "deployment")},
}
ASSOCIATIONS = (
    "CREATE TABLE deployments_zones (deployment_id varchar REFERENCES deployment(id), "
    "zone_id varchar REFERENCES zone(id))",
    "CREATE TABLE services_repos (service_id varchar NOT NULL REFERENCES service(id), "
    "repo_id varchar NOT NULL REFERENCES repo(id))",
    "CREATE TABLE subnets_fleets (subnet_id varchar NOT NULL REFERENCES subnet(id), "
    "fleet_id varchar NOT NULL REFERENCES fleet(id))",
    "CREATE TABLE target_fleets (deployment_target_id varchar NOT NULL REFERENCES "
    "deployment_target(id), fleet_id varchar NOT NULL REFERENCES fleet(id))",
    "CREATE TABLE deployment_current_release (deployment_id varchar NOT NULL REFERENCES "
    "deployment(id), release_id varchar NOT NULL REFERENCES release(id), "
    "PRIMARY KEY (deployment_id, release_id))",
)

#: The older dependencies plugin's tables (no ``defaults``; its only unique key).
PLUGIN_TABLES = (
    "CREATE TYPE relationship_type AS ENUM ('OTO', 'OTM')",
    f"CREATE TABLE plugin_dependencies_dependency_case ({COMMON}, relatable_type varchar NOT "
    f"NULL, related_type varchar NOT NULL, allowed_relationship relationship_type NOT NULL)",
    f"CREATE TABLE plugin_dependencies_relatable ({COMMON}, object_id varchar NOT NULL, "
    f"relatable_type varchar)",
    f"CREATE TABLE plugin_dependencies_dependency ({COMMON}, dependency_case_id varchar "
    f"REFERENCES plugin_dependencies_dependency_case(id), relatable_id varchar NOT NULL "
    f"REFERENCES plugin_dependencies_relatable(id), name varchar NOT NULL, "
    f"UNIQUE (dependency_case_id, relatable_id))",
    f"CREATE TABLE plugin_dependencies_related ({COMMON}, dependency_id varchar NOT NULL "
    f"REFERENCES plugin_dependencies_dependency(id), object_id varchar NOT NULL, "
    f"related_type varchar NOT NULL)",
)


def create_schema(connection):
    """Create the upstream tables on an open connection (an empty database)."""
    connection.execute(text("CREATE TYPE watermark AS ENUM ('HIGH', 'LOW')"))
    for table, columns in TABLES.items():
        tail = "" if table.endswith("artifact") else DEFAULTS
        extra = f", {columns}" if columns else ""
        connection.execute(text(f'CREATE TABLE "{table}" ({COMMON}{tail}{extra})'))
    for statement in ASSOCIATIONS + PLUGIN_TABLES:
        connection.execute(text(statement))


def insert(connection, table, rows):
    """Insert ``rows`` (dictionaries with the same keys) into ``table``."""
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(f":{c}" for c in columns)
    connection.execute(text(f'INSERT INTO "{table}" ({names}) VALUES ({values})'), rows)


def fresh_database(admin_url, name):
    """Drop and create database ``name`` on the server of ``admin_url``; its URL."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_database(admin_url, name):
    """Drop database ``name``."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()
