"""The allocation endpoints through the Flask test client (SQLite, or PostgreSQL when configured)."""

import ipaddress

import pytest

from qairon.models import REGISTRY
from tests.support.world import PART as PARTITION
from tests.support.world import first_of, rows_for

ANCESTRY = [(f"/api/{REGISTRY[row.resource].plural}", row.fields) for row in rows_for(PARTITION)]
SEED_NETWORK = first_of("network").fields


def post(client, url, body, status=201):
    """POST JSON and check the status; return the decoded body."""
    response = client.post(url, json=body)
    assert response.status_code == status, response.get_json()
    return response.get_json()


@pytest.fixture
def make_network(client):
    """Factory: create the ancestry once and a network with the given name and CIDR."""
    for url, body in ANCESTRY:
        post(client, url, body)

    def make(name=SEED_NETWORK["name"], cidr=SEED_NETWORK["cidr"]):
        return post(client, "/api/networks", {"partition_id": PARTITION, "name": name,
                                              "cidr": cidr})["id"]
    return make


@pytest.fixture
def network_id(make_network):
    """The seed's main-vpc, 10.0.0.0/16."""
    return make_network()


def allocate(client, network_id, status=201, **body):
    """POST an allocation request and check the status."""
    return post(client, f"/api/networks/{network_id}/allocate_subnet", body, status)


def subnet_cidrs(client, network_id):
    """The CIDRs of the network's subnets, as the plain face lists them."""
    body = client.get(f"/api/networks/{network_id}/subnets?limit=1000").get_json()
    return sorted(obj["cidr"] for obj in body["results"])


class TestAllocate:
    def test_seed_example(self, client, network_id):
        subnet = allocate(client, network_id, additional_mask_bits=6, name="eks0")
        assert subnet["id"] == f"{network_id}:eks0"
        assert subnet["resource"] == "subnet"
        assert subnet["cidr"] == "10.0.0.0/22"
        assert subnet["network_id"] == network_id
        assert subnet["name"] == "eks0"
        got = client.get(f"/api/subnets/{subnet['id']}")
        assert got.status_code == 200 and got.get_json()["cidr"] == "10.0.0.0/22"

    def test_location_header(self, client, network_id):
        response = client.post(f"/api/networks/{network_id}/allocate_subnet",
                               json={"additional_mask_bits": 8, "name": "a"})
        assert response.status_code == 201
        assert response.headers["Location"].endswith(f"/api/subnets/{network_id}:a")

    def test_prefix_length_native_id_and_defaults(self, client, network_id):
        subnet = allocate(client, network_id, prefix_length=24, name="db",
                          native_id="subnet-0abc", defaults={"tier": "private"})
        assert subnet["cidr"] == "10.0.0.0/24"
        assert subnet["native_id"] == "subnet-0abc"
        assert subnet["defaults"] == {"tier": "private"}

    def test_successive_allocations_do_not_overlap(self, client, network_id):
        cidrs = [allocate(client, network_id, additional_mask_bits=8, name=f"s{i}")["cidr"]
                 for i in range(4)]
        assert cidrs == ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]

    def test_lowest_block_around_explicit_subnets(self, client, network_id):
        post(client, "/api/subnets", {"network_id": network_id, "name": "manual0",
                                      "cidr": "10.0.0.0/24"})
        post(client, "/api/subnets", {"network_id": network_id, "name": "manual2",
                                      "cidr": "10.0.2.0/24"})
        assert allocate(client, network_id, prefix_length=23, name="big")["cidr"] == "10.0.4.0/23"
        assert allocate(client, network_id, prefix_length=24, name="hole")["cidr"] == "10.0.1.0/24"
        assert allocate(client, network_id, prefix_length=24, name="next")["cidr"] == "10.0.3.0/24"

    def test_ipv6_64s_from_a_48(self, client, make_network):
        v6 = make_network("v6", "2001:db8:1::/48")
        assert allocate(client, v6, additional_mask_bits=16, name="a")["cidr"] == "2001:db8:1::/64"
        assert allocate(client, v6, additional_mask_bits=16, name="b")["cidr"] == \
            "2001:db8:1:1::/64"
        assert allocate(client, v6, prefix_length=56, name="c")["cidr"] == "2001:db8:1:100::/56"

    def test_networks_are_independent(self, client, make_network):
        one, two = make_network("one", "10.1.0.0/16"), make_network("two", "10.1.0.0/16")
        assert allocate(client, one, additional_mask_bits=8, name="a")["cidr"] == "10.1.0.0/24"
        assert allocate(client, two, additional_mask_bits=8, name="a")["cidr"] == "10.1.0.0/24"


class TestErrors:
    def test_no_free_block(self, client, make_network):
        small = make_network("small", "10.9.0.0/24")
        allocate(client, small, prefix_length=26, name="a")
        allocate(client, small, prefix_length=25, name="b")
        error = allocate(client, small, 409, prefix_length=25, name="c")
        assert error["status"] == 409
        assert "64 addresses free" in error["detail"]
        assert "largest free block 10.9.0.64/26" in error["detail"]
        assert error["source"]["field"] == "additional_mask_bits"
        assert error["meta"] == {"free_addresses": 64, "largest_free_block": "10.9.0.64/26",
                                 "prefix_length": 25}
        assert subnet_cidrs(client, small) == ["10.9.0.0/26", "10.9.0.128/25"]

    def test_full_network(self, client, make_network):
        tiny = make_network("tiny", "10.9.1.0/31")
        allocate(client, tiny, additional_mask_bits=1, name="a")
        allocate(client, tiny, additional_mask_bits=1, name="b")
        error = allocate(client, tiny, 409, additional_mask_bits=1, name="c")
        assert "0 addresses free" in error["detail"] and "largest free block none" in error["detail"]

    @pytest.mark.parametrize("body, field", [
        ({"additional_mask_bits": 0}, "additional_mask_bits"),
        ({"additional_mask_bits": -2}, "additional_mask_bits"),
        ({"additional_mask_bits": 17}, "additional_mask_bits"),
        ({"additional_mask_bits": "many"}, "additional_mask_bits"),
        ({"additional_mask_bits": True}, "additional_mask_bits"),
        ({"prefix_length": 16}, "prefix_length"),
        ({"prefix_length": 33}, "prefix_length"),
        ({}, "additional_mask_bits"),
        ({"additional_mask_bits": 6, "prefix_length": 22}, "additional_mask_bits"),
    ])
    def test_bad_size(self, client, network_id, body, field):
        error = allocate(client, network_id, 400, name="x", **body)
        assert error["source"]["field"] == field
        assert subnet_cidrs(client, network_id) == []

    def test_duplicate_name(self, client, network_id):
        allocate(client, network_id, additional_mask_bits=6, name="eks0")
        error = allocate(client, network_id, 409, additional_mask_bits=6, name="eks0")
        assert "already exists" in error["detail"]
        assert subnet_cidrs(client, network_id) == ["10.0.0.0/22"]

    def test_unknown_network(self, client, network_id):
        error = allocate(client, network_id + "-nope", 404, additional_mask_bits=6, name="x")
        assert "does not exist" in error["detail"]
        assert error["source"]["field"] == "network_id"

    @pytest.mark.parametrize("body, field", [
        ({"additional_mask_bits": 6}, "name"),
        ({"additional_mask_bits": 6, "name": "a:b"}, "name"),
        ({"additional_mask_bits": 6, "name": "x", "cidr": "10.0.0.0/22"}, "cidr"),
        ({"additional_mask_bits": 6, "name": "x", "defaults": [1]}, "defaults"),
    ])
    def test_bad_fields(self, client, network_id, body, field):
        error = post(client, f"/api/networks/{network_id}/allocate_subnet", body, 400)
        assert error["source"]["field"] == field
        assert subnet_cidrs(client, network_id) == []

    def test_body_not_an_object(self, client, network_id):
        response = client.post(f"/api/networks/{network_id}/allocate_subnet", data="[6]",
                               content_type="application/json")
        assert response.status_code == 400
        assert response.get_json()["source"]["field"] == "body"


class TestFree:
    def test_empty_network(self, client, network_id):
        free = client.get(f"/api/networks/{network_id}/free").get_json()
        assert free == {
            "network_id": network_id, "cidr": "10.0.0.0/16", "free_blocks": ["10.0.0.0/16"],
            "largest_free_block": "10.0.0.0/16", "used_addresses": 0, "free_addresses": 65536,
            "total_addresses": 65536, "percent_used": 0.0, "subnet_count": 0}

    def test_after_allocations(self, client, network_id):
        allocate(client, network_id, additional_mask_bits=2, name="a")
        allocate(client, network_id, prefix_length=24, name="b")
        free = client.get(f"/api/networks/{network_id}/free").get_json()
        assert free["free_blocks"] == ["10.0.65.0/24", "10.0.66.0/23", "10.0.68.0/22",
                                       "10.0.72.0/21", "10.0.80.0/20", "10.0.96.0/19",
                                       "10.0.128.0/17"]
        assert free["used_addresses"] == 16384 + 256
        assert free["percent_used"] == round((16384 + 256) * 100 / 65536, 4)
        assert free["largest_free_block"] == "10.0.128.0/17"
        assert free["subnet_count"] == 2

    def test_ipv6(self, client, make_network):
        v6 = make_network("v6", "2001:db8:1::/48")
        allocate(client, v6, additional_mask_bits=16, name="a")
        free = client.get(f"/api/networks/{v6}/free").get_json()
        assert free["used_addresses"] == 2 ** 64
        assert free["total_addresses"] == 2 ** 80
        assert free["free_blocks"][0] == "2001:db8:1:1::/64"

    def test_unknown_network(self, client):
        response = client.get("/api/networks/nope/free")
        assert response.status_code == 404
        assert response.get_json()["source"]["field"] == "network_id"


class TestUsedRanges:
    """The ranges the search reads (merged runs on PostgreSQL, raw keys elsewhere) agree."""

    @pytest.mark.parametrize("cidr, subnets", [
        ("10.0.0.0/16", ["10.0.0.0/25", "10.0.0.128/25", "10.0.1.0/24", "10.0.2.0/26",
                         "10.0.2.128/25", "10.0.4.0/22", "10.0.8.0/32"]),
        ("2001:db8:1::/48", ["2001:db8:1::/64", "2001:db8:1:1::/64", "2001:db8:1:2::/63",
                             "2001:db8:1:8000::/49"]),
        ("255.255.255.0/24", ["255.255.255.0/25", "255.255.255.128/25"]),
        ("::/120", ["::/121", "::80/121"]),
    ])
    def test_ranges_match_pure_merge(self, app, client, make_network, cidr, subnets):
        from qairon.core.subnet_search import merge_ranges, network_range
        from qairon.extensions import db
        from qairon.network.allocator import used_ranges
        network_id = make_network("edge", cidr)
        for index, subnet in enumerate(subnets):
            post(client, "/api/subnets", {"network_id": network_id, "name": f"s{index}",
                                          "cidr": subnet})
        network = ipaddress.ip_network(cidr)
        expected = merge_ranges(network, [network_range(ipaddress.ip_network(s)) for s in subnets])
        assert merge_ranges(network, used_ranges(db.session, network_id)) == expected
        db.session.rollback()

    def test_top_of_the_address_space(self, client, make_network):
        top = make_network("top", "255.255.255.0/24")
        assert allocate(client, top, prefix_length=25, name="a")["cidr"] == "255.255.255.0/25"
        assert allocate(client, top, prefix_length=25, name="b")["cidr"] == "255.255.255.128/25"
        allocate(client, top, 409, prefix_length=32, name="c")
        free = client.get(f"/api/networks/{top}/free").get_json()
        assert free["free_blocks"] == [] and free["percent_used"] == 100.0


class TestHint:
    """Only the space above the known-full prefix is read; changes that free space reset it."""

    def hint(self, network_id):
        from qairon.extensions import db
        from qairon.network import hint as allocation_hint
        value = allocation_hint.read(db.session, network_id)
        db.session.rollback()
        return None if value is None else str(ipaddress.ip_address(value))

    def test_hint_follows_packed_allocations(self, client, network_id):
        assert self.hint(network_id) is None
        allocate(client, network_id, prefix_length=24, name="a")
        assert self.hint(network_id) == "10.0.1.0"
        allocate(client, network_id, prefix_length=23, name="b")
        assert self.hint(network_id) == "10.0.1.0"  # 10.0.1.0/24 is a hole now
        assert allocate(client, network_id, prefix_length=24, name="c")["cidr"] == "10.0.1.0/24"
        assert self.hint(network_id) == "10.0.4.0"

    def test_deleting_a_subnet_forgets_the_hint(self, client, network_id):
        for name in "abc":
            allocate(client, network_id, prefix_length=24, name=name)
        assert self.hint(network_id) == "10.0.3.0"
        assert client.delete(f"/api/subnets/{network_id}:a").status_code == 200
        assert self.hint(network_id) is None
        assert allocate(client, network_id, prefix_length=24, name="d")["cidr"] == "10.0.0.0/24"

    def test_changing_the_network_cidr_forgets_the_hint(self, client, network_id):
        allocate(client, network_id, prefix_length=24, name="a")
        response = client.patch(f"/api/networks/{network_id}", json={"cidr": "10.0.0.0/15"})
        assert response.status_code == 200, response.get_json()
        assert self.hint(network_id) is None

    def test_stale_hint_never_overlaps_and_never_claims_full(self, app, client, make_network):
        from sqlalchemy import text

        from qairon.extensions import db
        small = make_network("small", "10.9.0.0/24")
        for name in "abcd":
            allocate(client, small, prefix_length=26, name=name)
        assert self.hint(small) == "10.9.1.0"
        db.session.execute(text("DELETE FROM subnet WHERE id = :id"), {"id": f"{small}:b"})
        db.session.commit()
        assert allocate(client, small, prefix_length=26, name="e")["cidr"] == "10.9.0.64/26"
        assert subnet_cidrs(client, small) == ["10.9.0.0/26", "10.9.0.128/26", "10.9.0.192/26",
                                               "10.9.0.64/26"]

    def test_free_space_agrees_with_and_without_hint(self, client, network_id):
        allocate(client, network_id, prefix_length=20, name="a")
        allocate(client, network_id, prefix_length=24, name="b")
        hinted = client.get(f"/api/networks/{network_id}/free").get_json()
        from qairon.extensions import db
        from qairon.network import hint as allocation_hint
        allocation_hint.forget(db.session, {network_id})
        db.session.commit()
        assert client.get(f"/api/networks/{network_id}/free").get_json() == hinted
        assert hinted["used_addresses"] == 4096 + 256
