"""CSV reading and row checking of ``qcli csv_import``: pure functions, no server."""
import io
import os

import pytest

from qairon_qcli.plugins.csv_import.csvfile import (
    CsvFormatError,
    Problem,
    allowed_columns,
    check_header,
    read_file,
    records,
)
from qairon_qcli.plugins.csv_import.importer import Spool, dependency_order
from qairon_qcli.schema import Schema

SCHEMA = Schema()
EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "docs", "csv_examples")


def read(text, resource="stack", name="stacks.csv"):
    return list(read_file(io.StringIO(text), resource, SCHEMA.resource(resource), name))


def test_header_names_create_fields_then_options():
    assert allowed_columns(SCHEMA.resource("stack")) == ["application_id", "name", "defaults"]
    assert allowed_columns(SCHEMA.resource("repo"))[:3] == ["repo_type_id", "name", "defaults"]
    assert "url" in allowed_columns(SCHEMA.resource("repo"))
    assert "tag" in allowed_columns(SCHEMA.resource("deployment"))


def test_rows_become_fields_and_empty_cells_are_not_given():
    rows = read("application_id,name,defaults\necommerce,checkout,\necommerce,payments,{}\n")
    assert rows == [(2, {"application_id": "ecommerce", "name": "checkout"}),
                    (3, {"application_id": "ecommerce", "name": "payments", "defaults": {}})]


def test_quoted_cells_with_commas_newlines_and_json():
    text = ('name,defaults\n'
            '"a,b","{""k"": ""v, w"", ""list"": [1, 2]}"\n'
            '"multi\nline",\n'
            'last,"{""jq"": "".items[] | {n: .name}""}"\n')
    rows = read(text, "application", "applications.csv")
    assert rows[0] == (2, {"name": "a,b", "defaults": {"k": "v, w", "list": [1, 2]}})
    assert rows[1] == (3, {"name": "multi\nline"})
    assert rows[2] == (5, {"name": "last", "defaults": {"jq": ".items[] | {n: .name}"}})


def test_numbers_are_converted_by_the_schema_type():
    rows = read("fleet_id,allocation_type_id,value\nf,cpu,12.5\n", "capacity", "c.csv")
    assert rows[0][1]["value"] == 12.5


def test_unknown_columns_are_an_error_naming_them():
    with pytest.raises(CsvFormatError) as info:
        read("application_id,name,colour,size\nx,y,z,w\n")
    message = str(info.value)
    assert message.startswith("stacks.csv:1: unknown columns 'colour', 'size' for stack")
    assert "application_id, name, defaults" in message


def test_missing_and_repeated_columns():
    with pytest.raises(CsvFormatError, match="missing column application_id"):
        read("name\nx\n")
    with pytest.raises(CsvFormatError, match="'name' appears twice"):
        check_header(["application_id", "name", "name"], "stack",
                     SCHEMA.resource("stack"), "s.csv")


def test_unbalanced_quote_names_the_line_where_the_cell_opens():
    with pytest.raises(CsvFormatError) as info:
        read('application_id,name\na,b\na,"never closed\nc,d\n')
    assert str(info.value).startswith("stacks.csv:3: malformed CSV: unbalanced quote")


def test_stray_quote_is_malformed():
    with pytest.raises(CsvFormatError, match=r"stacks.csv:2: malformed CSV"):
        read('application_id,name\na,"b"c\n')


def test_wrong_column_count_is_a_problem_of_that_row():
    rows = read("application_id,name\na,b\na,b,c\nd,e\n")
    problem = rows[1][1][0]
    assert rows[1][0] == 3 and isinstance(problem, Problem)
    assert str(problem) == ("stacks.csv:3: 3 cells, but the header has 2 columns "
                            "(quote cells that contain commas)")
    assert rows[2] == (4, {"application_id": "d", "name": "e"})


def test_bad_json_cells_are_problems_naming_column_and_value():
    rows = read('application_id,name,defaults\na,b,{oops\na,c,"[1, 2]"\n')
    first, second = rows[0][1][0], rows[1][1][0]
    assert first.column == "defaults" and first.value == "{oops"
    assert str(first).startswith("stacks.csv:2: defaults is not valid JSON")
    assert "must be a JSON object" in str(second)


def test_empty_file_needs_a_header():
    with pytest.raises(CsvFormatError, match="stacks.csv:1: the file is empty"):
        read("")


def test_problem_lines_read_like_a_compiler():
    problem = Problem("stacks.csv", 14, "application_id", "ecomerce",
                      "application_id 'ecomerce' does not exist")
    assert str(problem) == "stacks.csv:14: application_id 'ecomerce' does not exist"
    other = Problem("stacks.csv", 3, "cidr", "10.0.0.0/8", "the database refused the row")
    assert str(other) == "stacks.csv:3: cidr '10.0.0.0/8' the database refused the row"


def test_dependency_order_puts_parents_first():
    order = dependency_order(SCHEMA, SCHEMA.names())
    for before, after in [("environment", "provider"), ("provider", "region"),
                          ("region", "partition"), ("partition", "network"),
                          ("network", "subnet"), ("application", "stack"),
                          ("stack", "service"), ("deployment", "release"),
                          ("service", "deployment"), ("build", "release")]:
        assert order.index(before) < order.index(after), (before, after)
    assert dependency_order(SCHEMA, {"stack", "application"}) == ["application", "stack"]


def test_spool_keeps_lines_and_files_of_every_row(tmp_path):
    (tmp_path / "applications.csv").write_text("name\na\n\nb\n", encoding="utf-8")
    (tmp_path / "stacks.csv").write_text("application_id,name\na,x\n", encoding="utf-8")
    spool = Spool()
    spool.add_file("application", str(tmp_path / "applications.csv"),
                   SCHEMA.resource("application"), tag_resource=True)
    spool.add_file("stack", str(tmp_path / "stacks.csv"), SCHEMA.resource("stack"),
                   tag_resource=True)
    assert spool.origin(1) == (str(tmp_path / "applications.csv"), 4)
    assert spool.origin(2) == (str(tmp_path / "stacks.csv"), 2)
    sent = b"".join(spool.blocks()).decode().splitlines()
    assert sent[2] == '{"resource":"stack","application_id":"a","name":"x"}'


def test_documented_examples_parse_cleanly():
    for name in sorted(os.listdir(EXAMPLES)):
        resource = next(r for r, e in SCHEMA.resources.items() if e["plural"] == name[:-4])
        with open(os.path.join(EXAMPLES, name), encoding="utf-8-sig", newline="") as stream:
            rows = list(read_file(stream, resource, SCHEMA.resource(resource), name))
        assert rows and all(isinstance(fields, dict) for _line, fields in rows), name


def test_records_skip_blank_lines_but_count_them():
    assert list(records(io.StringIO("a\n\nb\n"), "f.csv")) == [(1, ["a"]), (3, ["b"])]


def test_the_files_shown_in_csv_import_md_are_the_example_files():
    import re
    root = os.path.dirname(EXAMPLES.rstrip(os.sep).rsplit(os.sep, 1)[0])
    with open(os.path.join(root, "CSV_IMPORT.md"), encoding="utf-8") as handle:
        text = handle.read()
    shown = re.findall(r"`(\w+\.csv)`\n\n```csv\n(.*?)```", text, re.S)
    assert [name for name, _ in shown] == ["applications.csv", "stacks.csv"]
    for name, body in shown:
        with open(os.path.join(EXAMPLES, name), encoding="utf-8") as handle:
            assert handle.read() == body, name
