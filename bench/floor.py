"""The floor: the same lookups sent straight to PostgreSQL with psycopg2, and
``EXPLAIN`` of the hot queries at the loaded size."""
import time

from .driver import summary

#: The queries every list, walk and CI write leans on; their plans must use indexes.
HOT_QUERIES = {
    "service by id": ("SELECT * FROM service WHERE id = %s", "service"),
    "services of a stack (to-many, filter by FK)":
        ("SELECT * FROM service WHERE stack_id = %s ORDER BY id LIMIT 100", "stack"),
    "dotted stack.application_id":
        ("SELECT s.* FROM service s WHERE EXISTS (SELECT 1 FROM stack t WHERE t.id = "
         "s.stack_id AND t.application_id = %s) ORDER BY s.id LIMIT 100", "application"),
    "deployments of a target": ("SELECT * FROM deployment WHERE deployment_target_id = %s "
                                "ORDER BY id LIMIT 100", "deployment_target"),
    "deployments of a service": ("SELECT * FROM deployment WHERE service_id = %s", "service"),
    "releases of a deployment": ("SELECT * FROM release WHERE deployment_id = %s", "deployment"),
    "releases of a build": ("SELECT * FROM release WHERE build_id = %s", "build"),
    "artifacts of a release": ("SELECT * FROM release_artifact WHERE release_id = %s",
                               "release"),
    "builds of a service": ("SELECT * FROM build WHERE service_id = %s", "service"),
    "artifacts of a build": ("SELECT * FROM build_artifact WHERE build_id = %s", "build"),
    "build artifacts in a repo": ("SELECT * FROM build_artifact WHERE output_repo_id = %s "
                                  "ORDER BY id LIMIT 100", "repo"),
    "subnets of a network by range": ("SELECT * FROM subnet WHERE network_id = %s ORDER BY "
                                      "range_start", "network"),
    "id completion by prefix (LIKE plus the key range qairon.api.query adds)":
        ("SELECT id FROM service WHERE id LIKE %s AND id >= %s AND id < %s ORDER BY id "
         "LIMIT 50", None),
    "page 50 of services (offset 5000)":
        ("SELECT * FROM service ORDER BY id LIMIT 100 OFFSET 5000", "none"),
}


def measure(connection, samples, warmup=10):
    """p50/p95 of running each sample's statements (autocommit: one transaction each);
    the first ``warmup`` samples are run untimed."""
    connection.autocommit = True
    warmup = min(warmup, len(samples) // 2)
    times = []
    with connection.cursor() as cursor:
        for index, statements in enumerate(samples):
            started = time.perf_counter()
            for sql, params in statements:
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
            if index >= warmup:
                times.append(time.perf_counter() - started)
    return summary(times, driver="psycopg2")


def explain(connection, sample_ids):
    """``EXPLAIN`` of every hot query with a real ID; returns {name: plan text}."""
    connection.autocommit = True
    out = {}
    with connection.cursor() as cursor:
        for name, (sql, table) in HOT_QUERIES.items():
            if table is None:
                prefix = sample_ids["stack"] + ":"
                params = (prefix + "%", prefix, prefix[:-1] + ";")
            elif table == "none":
                params = ()
            else:
                params = (sample_ids[table],)
            cursor.execute("EXPLAIN " + sql, params)
            out[name] = "\n".join(row[0] for row in cursor.fetchall())
    return out


def uses_index(plan):
    """True when the plan reads through an index and never scans a whole big table."""
    return "Index" in plan and "Seq Scan" not in plan
