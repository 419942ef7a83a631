"""How each table of the older (upstream) Qairon maps to our resources.

A :class:`Table` names the upstream table, our resource, and its columns as
our fields: ``refs`` are foreign keys (our field -> (upstream column, upstream
table)), resolved through the IDs already mapped, never by splitting an ID;
``columns`` are plain values (our field -> upstream column); ``merge`` says
rows that map to one of our IDs become that one object. Every other
column that holds a value is kept in ``defaults`` under :data:`CARRY_KEY`.
``objects`` are object IDs typed by a class name in another column (our field ->
(type column, ID column)), resolved through the IDs mapped from that class's
table. A table a plugin serves names it in ``plugin``: its rows are imported when
that plugin is enabled, and refused, naming it, when not.
Tables come in load order: a table's references are loaded before it.
"""
from collections import namedtuple

#: The ``defaults`` key under which columns and values we have no place for are kept.
CARRY_KEY = "upstream"
#: Columns every upstream table has, read by the mapping itself.
COMMON = ("id", "created_at", "last_updated_at", "defaults")

Table = namedtuple("Table", "name resource refs columns catalogue merge objects plugin",
                   defaults=((), (), False, False, (), None))
LinkTable = namedtuple("LinkTable", "name owner owner_column relation other other_column")


def _catalogue(name, *columns, refs=()):
    return Table(name, name, refs, (("name", "id"), *columns), True)


def _named(name, parent_field, parent_table, *columns, refs=()):
    return Table(name, name, ((parent_field, (parent_field, parent_table)), *refs),
                 (("name", "name"), *columns))


NATIVE = ("native_id", "native_id")
#: The prefix of the older dependencies plugin's tables, and our plugin that serves them.
OLDER_PLUGIN, CASES = "plugin_dependencies_", "dependency_cases"
ARTIFACT_REFS = (("input_repo_id", ("input_repo_id", "repo")),
                 ("output_repo_id", ("output_repo_id", "repo")))

TABLES = (
    _catalogue("environment"), _catalogue("provider_type"), _catalogue("deployment_target_type"),
    _catalogue("repo_type"), _catalogue("language"), _catalogue("application"),
    _catalogue("allocation_type", ("unit", "unit")),
    _catalogue("config_template", ("doc", "doc"),
               refs=(("language_id", ("language_id", "language")),)),
    Table("provider", "provider", (("environment_id", ("environment_id", "environment")),
                                   ("provider_type_id", ("provider_type_id", "provider_type"))),
          (NATIVE,)),
    _named("region", "provider_id", "provider", NATIVE),
    _named("zone", "region_id", "region", NATIVE),
    _named("partition", "region_id", "region", NATIVE),
    _named("network", "partition_id", "partition", ("cidr", "cidr"), NATIVE),
    _named("subnet", "network_id", "network", ("cidr", "cidr"), NATIVE),
    # same-named fleet types of two provider types become one (ours are global)
    Table("fleet_type", "fleet_type", (), (("name", "name"),), merge=True),
    _named("deployment_target", "partition_id", "partition", NATIVE,
           refs=(("deployment_target_type_id",
                  ("deployment_target_type_id", "deployment_target_type")),)),
    Table("fleet", "fleet", (("partition_id", ("deployment_target_id", "deployment_target")),
                             ("fleet_type_id", ("fleet_type_id", "fleet_type"))),
          (("name", "name"), NATIVE)),
    Table("capacity", "capacity", (("fleet_id", ("fleet_id", "fleet")),
                                   ("allocation_type_id", ("allocation_type_id",
                                                           "allocation_type"))),
          (("value", "value"),)),
    _named("stack", "application_id", "application"),
    _named("service", "stack_id", "stack"),
    _named("proc", "service_id", "service"),
    _named("repo", "repo_type_id", "repo_type", ("url", "url")),
    Table("build", "build", (("service_id", ("service_id", "service")),),
          (("build_num", "build_num"), ("vcs_ref", "vcs_ref"))),
    _named("build_artifact", "build_id", "build", ("upload_path", "upload_path"),
           refs=ARTIFACT_REFS),
    Table("deployment", "deployment",
          (("deployment_target_id", ("deployment_target_id", "deployment_target")),
           ("service_id", ("service_id", "service"))), (("tag", "tag"), NATIVE)),
    Table("release", "release", (("build_id", ("build_id", "build")),
                                 ("deployment_id", ("deployment_id", "deployment"))),
          (("build_num", "build_num"),)),
    _named("release_artifact", "release_id", "release", ("upload_path", "upload_path"),
           refs=ARTIFACT_REFS),
    Table("deployment_proc", "deployment_proc", (("deployment_id", ("deployment_id", "deployment")),
                                                 ("proc_id", ("proc_id", "proc"))), ()),
    Table("allocation", "allocation",
          (("deployment_proc_id", ("deployment_proc_id", "deployment_proc")),
           ("allocation_type_id", ("allocation_type_id", "allocation_type"))),
          (("watermark", "watermark"), ("value", "value"))),
    *(_named(f"{owner}_config", f"{owner}_id", owner, ("tag", "tag"), ("config", "config"),
             refs=(("config_template_id", ("config_template_id", "config_template")),))
      for owner in ("stack", "service", "deployment")),
    # the older dependencies plugin's tables, served here by the dependency_cases plugin
    Table(f"{OLDER_PLUGIN}dependency_case", "dependency_case", (),
          (("name", "id"), ("relatable_type", "relatable_type"),
           ("related_type", "related_type"), ("allowed_relationship", "allowed_relationship")),
          True, plugin=CASES),
    Table(f"{OLDER_PLUGIN}relatable", "relatable", (), (("relatable_type", "relatable_type"),),
          objects=(("object_id", ("relatable_type", "object_id")),), plugin=CASES),
    Table(f"{OLDER_PLUGIN}dependency", "dependency",
          (("dependency_case_id", ("dependency_case_id", f"{OLDER_PLUGIN}dependency_case")),
           ("relatable_id", ("relatable_id", f"{OLDER_PLUGIN}relatable"))),
          (("name", "name"),), plugin=CASES),
    Table(f"{OLDER_PLUGIN}related", "related",
          (("dependency_id", ("dependency_id", f"{OLDER_PLUGIN}dependency")),),
          (("related_type", "related_type"),),
          objects=(("object_id", ("related_type", "object_id")),), plugin=CASES),
)

LINKS = (
    LinkTable("deployments_zones", "deployment", "deployment_id", "zones", "zone", "zone_id"),
    LinkTable("services_repos", "service", "service_id", "repos", "repo", "repo_id"),
    LinkTable("subnets_fleets", "fleet", "fleet_id", "subnets", "subnet", "subnet_id"),
    LinkTable("target_fleets", "deployment_target", "deployment_target_id", "fleets", "fleet",
              "fleet_id"),
)

#: The current release of a deployment: this table, or the older ``current_release_id`` column.
CURRENT_RELEASE = "deployment_current_release"
