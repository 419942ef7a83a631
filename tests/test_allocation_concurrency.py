"""Concurrent allocations on two server processes sharing one PostgreSQL database.

Runs only when ``QAIRON_TEST_DATABASE_URL`` names a PostgreSQL server: a fresh
database is created and migrated, two servers are started on free ports, and
hundreds of allocations race across several networks. No two subnets of a
network may overlap, every success must be a distinct block, and every
failure a clean 409. The database's exclusion constraint is also checked
directly with a raw INSERT.
"""

import ipaddress
import itertools
import os
import random
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from qairon.models import REGISTRY
from tests.support.servers import server_pair
from tests.support.world import PART as PARTITION
from tests.support.world import rows_for

BASE_URL = os.environ.get("QAIRON_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not BASE_URL.startswith("postgres"),
    reason="needs QAIRON_TEST_DATABASE_URL naming a PostgreSQL server "
           "(e.g. postgresql://postgres@127.0.0.1:5432/postgres)")

NETWORKS = {"n0": "10.0.0.0/20", "n1": "10.1.0.0/21", "n2": "10.2.0.0/22",
            "n3": "10.3.0.0/24", "v6": "2001:db8:7::/56"}
ALLOCATIONS = 240
CLIENTS = 16


@pytest.fixture(scope="module")
def cluster():
    """A migrated fresh database and two server processes on it: (urls, database url)."""
    with server_pair(BASE_URL, "qairon-alloc-") as pair:
        yield pair


def _setup_networks(url):
    ancestry = [(f"/api/{REGISTRY[row.resource].plural}", row.fields)
                for row in rows_for(PARTITION)]
    for path, body in ancestry + [
            ("/api/networks", {"partition_id": PARTITION, "name": name, "cidr": cidr})
            for name, cidr in NETWORKS.items()]:
        response = requests.post(url + path, json=body, timeout=30)
        assert response.status_code == 201, response.text


def _requests():
    """ALLOCATIONS requests (network, bits, name), mixed sizes.

    Each IPv4 network is asked for about 1.2 times its size, so it fills up
    and the last requests must fail with 409.
    """
    rng = random.Random(4)
    out = []
    for index in range(ALLOCATIONS):
        name = list(NETWORKS)[index % len(NETWORKS)]
        bits = rng.choice([4, 6, 8, 12]) if name == "v6" else rng.choice([4, 5, 6, 7, 8])
        out.append((name, bits, f"s{index}"))
    return out


def test_concurrent_allocations_never_overlap(cluster):
    urls, database_url = cluster
    _setup_networks(urls[0])

    def fire(item):
        index, (network, bits, name) = item
        url = urls[index % 2]
        response = requests.post(f"{url}/api/networks/{PARTITION}:{network}/allocate_subnet",
                                 json={"additional_mask_bits": bits, "name": name}, timeout=60)
        return network, response.status_code, response.json()

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(fire, enumerate(_requests())))

    successes = {}
    for network, status, body in results:
        assert status in (201, 409), body
        if status == 409:
            assert "no free" in body["detail"] and "largest free block" in body["detail"], body
            continue
        successes.setdefault(network, []).append(ipaddress.ip_network(body["cidr"]))
    assert sum(status == 409 for _, status, _ in results) > 0, "no network ran out of space"
    assert sum(len(blocks) for blocks in successes.values()) > ALLOCATIONS // 2

    for network, blocks in successes.items():
        outer = ipaddress.ip_network(NETWORKS[network])
        assert len(set(blocks)) == len(blocks), f"a block was handed out twice in {network}"
        ordered = sorted(blocks, key=lambda block: block.network_address)
        for block, following in itertools.pairwise(ordered):
            assert not block.overlaps(following), f"{block} overlaps {following} in {network}"
        assert all(block.subnet_of(outer) for block in blocks)

    import psycopg2
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM subnet a JOIN subnet b ON a.network_id = b.network_id"
                       " AND a.id < b.id AND a.cidr && b.cidr")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM subnet")
        assert cursor.fetchone()[0] == sum(len(blocks) for blocks in successes.values())
    connection.close()


def test_exclusion_constraint_refuses_raw_overlapping_insert(cluster):
    urls, database_url = cluster
    network = f"{PARTITION}:xnet"
    requests.post(urls[0] + "/api/networks", timeout=30,
                  json={"partition_id": PARTITION, "name": "xnet", "cidr": "172.16.0.0/16"})
    first = requests.post(f"{urls[1]}/api/networks/{network}/allocate_subnet", timeout=30,
                          json={"prefix_length": 24, "name": "first"})
    assert first.status_code == 201, first.text

    import psycopg2
    import psycopg2.errors
    connection = psycopg2.connect(database_url)
    try:
        with pytest.raises(psycopg2.errors.ExclusionViolation), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO subnet (id, network_id, name, cidr, range_start, range_end, "
                "defaults, created_at, last_updated_at) VALUES (%s, %s, 'raw', '172.16.0.128/25',"
                " 'x', 'y', '{}', now(), now())", (f"{network}:raw", network))
        connection.rollback()
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO subnet (id, network_id, name, cidr, range_start, range_end, "
                "defaults, created_at, last_updated_at) VALUES (%s, %s, 'raw', '172.16.1.0/24',"
                " 'x', 'y', '{}', now(), now())", (f"{network}:raw", network))
        connection.rollback()
    finally:
        connection.close()
