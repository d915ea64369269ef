"""The loader: lines kept, refs hoisted or inlined, problems located."""

from __future__ import annotations

from pathlib import Path

from generator.loader import load
from generator.yamlsource import parse_yaml


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_every_pointer_keeps_its_line() -> None:
    doc, findings = parse_yaml("a:\n  b: 1\n  c:\n    - x\n    - y\n", "f.yaml")
    assert findings == []
    assert doc is not None
    assert doc.lines["/a/b"] == 2
    assert doc.lines["/a/c/1"] == 5
    assert doc.location("/a/c/1/deeper").line == 5


def test_status_keys_are_strings_and_dates_stay_text() -> None:
    doc, _ = parse_yaml("200: {at: 2024-01-01T00:00:00Z}\n", "f.yaml")
    assert doc is not None and doc.data == {"200": {"at": "2024-01-01T00:00:00Z"}}


def test_duplicate_keys_are_errors_with_their_line() -> None:
    _, findings = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert [(f.id, f.location.line if f.location else 0) for f in findings] == [
        ("yaml-duplicate-key", 3)
    ]


def test_component_refs_are_hoisted_and_path_items_inlined(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "openapi.yaml",
        "openapi: 3.0.3\npaths:\n  /x:\n    $ref: 'paths/x.yaml#/~1x'\n",
    )
    write(
        tmp_path,
        "paths/x.yaml",
        "/x:\n  get:\n    responses:\n      '200':\n        content:\n          application/json:\n"
        "            schema: {$ref: '../components/x.yaml#/schemas/Thing'}\n",
    )
    write(
        tmp_path,
        "components/x.yaml",
        "schemas:\n  Thing:\n    type: object\n    properties:\n      more: {$ref: '#/schemas/More'}\n  More: {type: string}\n",
    )
    spec, findings = load(root)
    assert findings.ok, [f.format() for f in findings]
    assert spec is not None
    doc = spec.document
    schema = doc["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Thing"}
    assert doc["components"]["schemas"]["Thing"]["properties"]["more"] == {
        "$ref": "#/components/schemas/More"
    }
    assert sorted(doc["components"]["schemas"]) == ["More", "Thing"]
    where = spec.source_map.locate("/components/schemas/More")
    assert where is not None and where.file.endswith("components/x.yaml") and where.line == 6
    where = spec.source_map.locate("/paths/~1x/get/responses/200")
    assert where is not None and where.file.endswith("paths/x.yaml") and where.line == 4


def test_two_components_of_one_name_are_an_error(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "openapi.yaml",
        "openapi: 3.0.3\ncomponents:\n  x-a: {$ref: 'a.yaml#/schemas/Thing'}\n  x-b: {$ref: 'b.yaml#/schemas/Thing'}\n",
    )
    write(tmp_path, "a.yaml", "schemas:\n  Thing: {type: string}\n")
    write(tmp_path, "b.yaml", "schemas:\n  Thing: {type: integer}\n")
    _, findings = load(root)
    assert [f.id for f in findings.errors] == ["duplicate-component"]
    assert findings.errors[0].location is not None and findings.errors[0].location.line == 4


def test_a_ref_cycle_through_path_items_is_reported(tmp_path: Path) -> None:
    root = write(tmp_path, "openapi.yaml", "openapi: 3.0.3\npaths:\n  /x: {$ref: 'p.yaml#/a'}\n")
    write(tmp_path, "p.yaml", "a: {$ref: '#/b'}\nb: {$ref: '#/a'}\n")
    _, findings = load(root)
    assert "ref-cycle" in [f.id for f in findings.errors]
