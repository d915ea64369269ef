"""The fast JSON reader gives the general loader's document and lines, or steps aside."""

from __future__ import annotations

import json
import random
from pathlib import Path

from generator.diff.json_input import read_json
from generator.loader import load
from tests.diff.conftest import ROOT

BUNDLED = ROOT / "generated" / "openapi.json"


def test_same_document_and_lines_as_the_general_loader() -> None:
    general, _ = load(BUNDLED)
    fast = read_json(BUNDLED, "openapi.json")
    assert general is not None and fast is not None
    assert fast.document == general.document
    pointers = sorted(general.source_map.locations)
    for pointer in random.Random(7).sample(pointers, 3000):
        want = general.source_map.locate(pointer)
        got = fast.source_map.locate(pointer)
        assert want is not None and got is not None
        assert got.line == want.line, pointer
        assert got.file == "openapi.json"


def test_a_missing_pointer_is_located_at_its_nearest_parent(tmp_path: Path) -> None:
    doc = {"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {}}}}}}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc, indent=4))
    spec = read_json(path, "s.json")
    assert spec is not None
    found = spec.source_map.locate("/paths/~1a/get/parameters/0")
    assert found is not None and found.line == 5  # the line of "get"


def test_one_line_json_is_all_on_line_one(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"openapi": "3.0.3", "paths": {"/a": {}}}))
    spec = read_json(path, "s.json")
    assert spec is not None
    found = spec.source_map.locate("/paths/~1a")
    assert found is not None and found.line == 1


def test_refs_to_other_files_go_to_the_general_loader(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    ref = {"$ref": "other.json#/components/schemas/A"}
    path.write_text(json.dumps({"openapi": "3.0.3", "components": {"schemas": {"B": ref}}}))
    assert read_json(path, "s.json") is None
    inner = {"$ref": "#/paths/~1a"}
    path.write_text(json.dumps({"openapi": "3.0.3", "paths": {"/a": {}, "/b": inner}}))
    assert read_json(path, "s.json") is None


def test_dangling_or_odd_refs_go_to_the_general_loader(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    dangling = {"$ref": "#/components/schemas/Nope"}
    path.write_text(json.dumps({"openapi": "3.0.3", "components": {"schemas": {"A": dangling}}}))
    assert read_json(path, "s.json") is None  # the loader reports ref-dangling
    path.write_text(json.dumps({"openapi": "3.0.3", "components": {"schemas": {"A": {"$ref": 7}}}}))
    assert read_json(path, "s.json") is None
