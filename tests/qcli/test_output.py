"""Output formats: the json, plain and table contracts, and streaming."""
import io
import json

from qairon_qcli.output import Output, default_columns, plain_text

SERVICES = [
    {"id": "ecommerce:checkout:order-processor", "resource": "service",
     "stack_id": "ecommerce:checkout", "name": "order-processor",
     "defaults": {"team": "orders"}, "created_at": "2026-01-01T00:00:00+00:00"},
    {"id": "ecommerce:checkout:cart", "resource": "service",
     "stack_id": "ecommerce:checkout", "name": "cart", "defaults": {},
     "created_at": "2026-01-01T00:00:00+00:00"},
]


def render(method, value, fmt="plain", fields=None):
    stream = io.StringIO()
    getattr(Output(stream, fmt, fields), method)(value)
    return stream.getvalue()


def test_json_list_is_an_array_for_zero_one_and_many():
    assert json.loads(render("objects", [], "json")) == []
    assert json.loads(render("objects", SERVICES[:1], "json")) == SERVICES[:1]
    assert json.loads(render("objects", iter(SERVICES), "json")) == SERVICES


def test_json_keeps_the_servers_key_order():
    out = render("object", SERVICES[0], "json")
    assert list(json.loads(out)) == list(SERVICES[0])


def test_plain_list_is_one_id_per_line():
    assert render("objects", SERVICES) == ("ecommerce:checkout:order-processor\n"
                                           "ecommerce:checkout:cart\n")
    assert render("objects", []) == ""


def test_plain_fields_are_tab_separated():
    out = render("objects", SERVICES, fields=["name", "defaults"])
    assert out == 'order-processor\t{"team":"orders"}\ncart\t{}\n'
    assert render("object", SERVICES[0], fields=["id", "name"]) == \
        "ecommerce:checkout:order-processor\torder-processor\n"


def test_json_with_fields_keeps_only_those_fields():
    out = json.loads(render("objects", SERVICES, "json", fields=["id", "defaults.team"]))
    assert out[0] == {"id": "ecommerce:checkout:order-processor", "defaults.team": "orders"}
    assert json.loads(render("object", SERVICES[1], "json", fields=["name"])) == {"name": "cart"}


def test_plain_values():
    assert render("value", "abc") == "abc\n"
    assert render("value", 42) == "42\n"
    assert render("value", {"recon": {"k8s_jq": ".items"}}) == '{"recon":{"k8s_jq":".items"}}\n'
    assert render("value", None) == ""
    assert plain_text(True) == "true"


def test_json_values():
    assert render("value", "abc", "json") == '"abc"\n'
    assert render("value", None, "json") == "null\n"


def test_plain_object_is_key_tab_value():
    out = render("object", SERVICES[0])
    assert "name\torder-processor\n" in out
    assert 'defaults\t{"team":"orders"}\n' in out


def test_written_prints_the_id_alone_on_plain_and_table():
    assert render("written", SERVICES[0]) == "ecommerce:checkout:order-processor\n"
    assert render("written", SERVICES[0], "table") == "ecommerce:checkout:order-processor\n"
    assert json.loads(render("written", SERVICES[0], "json")) == SERVICES[0]


def test_reference_prints_the_id_on_plain():
    assert render("reference", SERVICES[0]) == "ecommerce:checkout:order-processor\n"
    assert render("reference", None) == ""
    assert render("reference", None, "json") == "null\n"


def test_table_is_aligned_with_a_header():
    rows = [{"id": "a", "cidr": "10.0.0.0/16"}, {"id": "longer-id", "cidr": "10.1.0.0/16"}]
    lines = render("objects", rows, "table").splitlines()
    assert lines[0].split() == ["ID", "CIDR"]
    assert lines[1].index("10.0") == lines[2].index("10.1") == lines[0].index("CIDR")


def test_table_default_columns_drop_id_parts_and_noise():
    assert default_columns(SERVICES[0]) == ["id"]
    build = {"id": "a:b:c:42", "service_id": "a:b:c", "build_num": "42", "vcs_ref": "abc123"}
    assert default_columns(build) == ["id", "vcs_ref"]


class CountingStream(io.StringIO):
    """Records how many items the generator had produced at each write."""

    def __init__(self, produced):
        super().__init__()
        self.produced = produced
        self.seen = []

    def write(self, text):
        self.seen.append(self.produced[0])
        return super().write(text)


def _generator(count, produced):
    for index in range(count):
        produced[0] += 1
        yield {"id": f"svc-{index}"}


def test_lists_are_written_while_they_stream():
    for fmt, bound in (("plain", 1), ("json", 2), ("table", 100)):
        produced = [0]
        stream = CountingStream(produced)
        Output(stream, fmt).objects(_generator(1000, produced))
        assert stream.seen[0] <= bound, fmt
        assert produced[0] == 1000
