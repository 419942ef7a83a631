"""Unit tests of the pure subnet allocation functions (no server, no database)."""

import ipaddress

import pytest

from qairon.core.subnet_search import (
    FreeSpace,
    InvalidPrefixError,
    NoFreeBlockError,
    find_free_block,
    find_free_block_in_ranges,
    free_blocks,
    merge_ranges,
    prefix_from_bits,
    requested_prefix_length,
    validate_prefix_length,
)


def net(text):
    """Shorthand for an ipaddress network."""
    return ipaddress.ip_network(text)


def nets(*texts):
    """Shorthand for a list of networks."""
    return [net(text) for text in texts]


class TestFindFreeBlock:
    def test_empty_network_gives_first_block(self):
        assert find_free_block(net("10.0.0.0/16"), [], 22) == net("10.0.0.0/22")

    def test_whole_network_minus_one_bit(self):
        assert find_free_block(net("10.0.0.0/16"), [], 17) == net("10.0.0.0/17")

    def test_skips_used_block(self):
        assert find_free_block(net("10.0.0.0/16"), nets("10.0.0.0/22"), 22) == net("10.0.4.0/22")

    def test_fills_lowest_hole_first(self):
        used = nets("10.0.0.0/24", "10.0.2.0/24")
        assert find_free_block(net("10.0.0.0/16"), used, 24) == net("10.0.1.0/24")

    def test_alignment_skips_unaligned_gap(self):
        # 10.0.1.0/24 is free but a /23 must start on an even /24.
        used = nets("10.0.0.0/24", "10.0.2.0/24")
        assert find_free_block(net("10.0.0.0/16"), used, 23) == net("10.0.4.0/23")

    def test_alignment_inside_gap(self):
        # Gap 10.0.0.128 - 10.0.3.255: the first aligned /23 in it is 10.0.2.0.
        used = nets("10.0.0.0/25")
        assert find_free_block(net("10.0.0.0/16"), used, 23) == net("10.0.2.0/23")

    def test_small_block_fits_in_fragment(self):
        used = nets("10.0.0.0/25", "10.0.0.192/26")
        assert find_free_block(net("10.0.0.0/24"), used, 26) == net("10.0.0.128/26")

    def test_fragmented_space_too_small_for_large_block(self):
        network = net("10.0.0.0/24")
        used = nets("10.0.0.0/26", "10.0.0.128/26")
        assert find_free_block(network, used, 26) == net("10.0.0.64/26")
        with pytest.raises(NoFreeBlockError) as info:
            find_free_block(network, used, 25)
        assert info.value.free_addresses == 128
        assert info.value.largest_free == net("10.0.0.64/26")
        assert info.value.prefix_length == 25
        assert "128 addresses free" in str(info.value)
        assert "10.0.0.64/26" in str(info.value)

    def test_the_last_block(self):
        network = net("10.0.0.0/22")
        used = nets("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24")
        assert find_free_block(network, used, 24) == net("10.0.3.0/24")

    def test_last_block_of_address_space(self):
        network = net("255.255.255.0/24")
        used = nets("255.255.255.0/25")
        assert find_free_block(network, used, 25) == net("255.255.255.128/25")

    def test_full_network(self):
        network = net("10.0.0.0/23")
        with pytest.raises(NoFreeBlockError) as info:
            find_free_block(network, nets("10.0.0.0/24", "10.0.1.0/24"), 24)
        assert info.value.free_addresses == 0
        assert info.value.largest_free is None
        assert "largest free block none" in str(info.value)

    def test_unsorted_and_overlapping_input_is_tolerated(self):
        used = nets("10.0.2.0/24", "10.0.0.0/23", "10.0.0.0/24")
        assert find_free_block(net("10.0.0.0/16"), used, 24) == net("10.0.3.0/24")

    def test_subnets_outside_network_are_ignored(self):
        used = nets("192.168.0.0/16", "10.0.0.0/24")
        assert find_free_block(net("10.0.0.0/16"), used, 24) == net("10.0.1.0/24")

    def test_mixed_family_is_refused(self):
        with pytest.raises(ValueError):
            find_free_block(net("10.0.0.0/16"), nets("2001:db8::/64"), 24)

    def test_single_address_blocks(self):
        network = net("10.0.0.0/30")
        used = nets("10.0.0.0/32", "10.0.0.1/32", "10.0.0.3/32")
        assert find_free_block(network, used, 32) == net("10.0.0.2/32")

    def test_ipv6_64_from_48(self):
        network = net("2001:db8:1::/48")
        assert find_free_block(network, [], 64) == net("2001:db8:1::/64")
        used = nets("2001:db8:1::/64", "2001:db8:1:1::/64", "2001:db8:1:3::/64")
        assert find_free_block(network, used, 64) == net("2001:db8:1:2::/64")
        assert find_free_block(network, used, 63) == net("2001:db8:1:4::/63")

    def test_ipv6_result_keeps_family_at_low_addresses(self):
        # Integer 0 would parse as IPv4; the result must stay IPv6.
        block = find_free_block(net("::/56"), [], 64)
        assert block == net("::/64") and block.version == 6

    def test_ipv6_last_block_and_full(self):
        network = net("2001:db8:1::/62")
        used = nets("2001:db8:1::/64", "2001:db8:1:1::/64", "2001:db8:1:2::/64")
        assert find_free_block(network, used, 64) == net("2001:db8:1:3::/64")
        with pytest.raises(NoFreeBlockError) as info:
            find_free_block(network, used + nets("2001:db8:1:3::/64"), 64)
        assert info.value.free_addresses == 0

    def test_large_count_of_used_subnets(self):
        # 50,000 /24s packed from the bottom of a /8: the first free /24 is the 50,001st.
        network = net("10.0.0.0/8")
        used = [ipaddress.IPv4Network((0x0A000000 + (i << 8), 24)) for i in range(50_000)]
        assert find_free_block(network, used, 24) == ipaddress.IPv4Network((0x0A000000 + (50_000 << 8), 24))
        assert find_free_block(network, used, 16) == net("10.196.0.0/16")

    def test_large_count_of_ranges(self):
        network = net("10.0.0.0/8")
        base = 0x0A000000
        ranges = [(base + (i << 9), base + (i << 9) + 255) for i in range(30_000)]  # every other /24
        assert find_free_block_in_ranges(network, ranges, 24) == net("10.0.1.0/24")
        assert find_free_block_in_ranges(network, ranges, 23) == \
            ipaddress.IPv4Network((base + (30_000 << 9), 23))


class TestFreeBlocks:
    def test_empty_network(self):
        space = free_blocks(net("10.0.0.0/16"), [])
        assert space.blocks == nets("10.0.0.0/16")
        assert (space.used, space.total, space.free, space.percent) == (0, 65536, 65536, 0.0)
        assert space.largest == net("10.0.0.0/16")

    def test_full_network(self):
        space = free_blocks(net("10.0.0.0/23"), nets("10.0.0.0/24", "10.0.1.0/24"))
        assert space.blocks == []
        assert space.percent == 100.0
        assert space.largest is None

    def test_minimal_cidrs(self):
        space = free_blocks(net("10.0.0.0/24"), nets("10.0.0.64/26"))
        assert space.blocks == nets("10.0.0.0/26", "10.0.0.128/25")
        assert space.used == 64
        assert space.percent == 25.0
        assert space.largest == net("10.0.0.128/25")

    def test_unaligned_gap_is_split(self):
        space = free_blocks(net("10.0.0.0/24"), nets("10.0.0.0/30", "10.0.0.128/25"))
        assert space.blocks == nets("10.0.0.4/30", "10.0.0.8/29", "10.0.0.16/28",
                                    "10.0.0.32/27", "10.0.0.64/26")

    def test_blocks_and_used_cover_the_network_exactly(self):
        network = net("10.0.0.0/20")
        used = nets("10.0.0.0/26", "10.0.1.0/24", "10.0.4.128/25", "10.0.15.252/30")
        space = free_blocks(network, used)
        covered = sum(b.num_addresses for b in space.blocks) + space.used
        assert covered == network.num_addresses
        for block in space.blocks:
            assert not any(block.overlaps(u) for u in used)

    def test_ipv6(self):
        network = net("2001:db8:1::/48")
        space = free_blocks(network, nets("2001:db8:1::/64"))
        assert space.used == 2 ** 64
        assert space.total == 2 ** 80
        assert space.blocks[0] == net("2001:db8:1:1::/64")
        assert space.largest == net("2001:db8:1:8000::/49")
        assert 0 < space.percent < 0.01

    def test_to_dict(self):
        data = free_blocks(net("10.0.0.0/24"), nets("10.0.0.0/25")).to_dict()
        assert data == {
            "cidr": "10.0.0.0/24",
            "free_blocks": ["10.0.0.128/25"],
            "largest_free_block": "10.0.0.128/25",
            "used_addresses": 128,
            "free_addresses": 128,
            "total_addresses": 256,
            "percent_used": 50.0,
        }

    def test_free_space_is_a_value(self):
        assert isinstance(free_blocks(net("10.0.0.0/24"), []), FreeSpace)


class TestMergeRanges:
    def test_merges_adjacent_and_overlapping_and_clips(self):
        network = net("10.0.0.0/24")
        low = int(network.network_address)
        ranges = [(low - 10, low + 3), (low + 4, low + 7), (low + 6, low + 9), (low + 250, low + 300)]
        assert merge_ranges(network, ranges) == [(low, low + 9), (low + 250, low + 255)]


class TestValidation:
    @pytest.mark.parametrize("bits, prefix", [(1, 17), (6, 22), (16, 32)])
    def test_bits_to_prefix(self, bits, prefix):
        assert prefix_from_bits(net("10.0.0.0/16"), bits) == prefix

    @pytest.mark.parametrize("bits", [0, -1, 17, 100, True, 1.5, "six", None])
    def test_bad_bits(self, bits):
        with pytest.raises(InvalidPrefixError) as info:
            prefix_from_bits(net("10.0.0.0/16"), bits)
        assert info.value.field == "additional_mask_bits"

    def test_bits_as_decimal_string(self):
        assert prefix_from_bits(net("10.0.0.0/16"), "6") == 22

    def test_ipv6_bits_limit(self):
        assert prefix_from_bits(net("2001:db8::/48"), 80) == 128
        with pytest.raises(InvalidPrefixError, match="IPv6"):
            prefix_from_bits(net("2001:db8::/48"), 81)

    @pytest.mark.parametrize("prefix", [16, 15, 0, -3, 33])
    def test_bad_prefix_length(self, prefix):
        with pytest.raises(InvalidPrefixError) as info:
            validate_prefix_length(net("10.0.0.0/16"), prefix)
        assert info.value.field == "prefix_length"

    def test_find_free_block_validates_prefix(self):
        with pytest.raises(InvalidPrefixError):
            find_free_block(net("10.0.0.0/16"), [], 33)

    def test_requested_prefix_length(self):
        network = net("10.0.0.0/16")
        assert requested_prefix_length(network, additional_mask_bits=6) == 22
        assert requested_prefix_length(network, prefix_length=24) == 24
        with pytest.raises(InvalidPrefixError):
            requested_prefix_length(network)
        with pytest.raises(InvalidPrefixError):
            requested_prefix_length(network, additional_mask_bits=6, prefix_length=22)
