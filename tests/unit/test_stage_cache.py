"""generate's stage cache: texts by content digest, and the stages that use it (parsing,
validation by parts, formatting), each giving what it gives without the cache."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from generator import modeljobs, writer
from generator.config import Config
from generator.loader import LoadedSpec, load
from generator.stagecache import FOLDER, StageCache
from generator.validate import validate_openapi

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini" / "openapi.yaml"


def _findings(spec: LoadedSpec, cache: StageCache | None) -> list[tuple[str, str]]:
    return [(f.pointer or "", f.message) for f in validate_openapi(spec, cache)]


def test_a_text_is_found_by_its_key_and_a_run_keeps_only_what_it_used(tmp_path: Path) -> None:
    first = StageCache(tmp_path, "salt")
    first.put("stage", "key a", "text a")
    first.put("stage", "key b", "text b")
    second = StageCache(tmp_path, "salt")
    assert second.get("stage", "key a") == "text a"
    assert second.get("stage", "key c") is None
    second.prune()
    third = StageCache(tmp_path, "salt")
    assert third.get("stage", "key a") == "text a"
    assert third.get("stage", "key b") is None  # not used by the second run
    assert StageCache(tmp_path, "another generator").get("stage", "key a") is None


def test_without_a_folder_or_when_switched_off_nothing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    off = StageCache(None)
    off.put("stage", "key", "text")
    assert off.get("stage", "key") is None
    monkeypatch.setenv("EMQX_CODEGEN_CACHE", "0")
    assert StageCache.for_config(Config(output=tmp_path / "out")).folder is None
    monkeypatch.delenv("EMQX_CODEGEN_CACHE")
    assert StageCache.for_config(Config(output=tmp_path / "out")).folder == tmp_path / FOLDER


def test_a_cached_parse_gives_the_same_spec(tmp_path: Path) -> None:
    cache = StageCache(tmp_path / "cache", "salt")
    plain, _ = load(MINI)
    first, _ = load(MINI, cache)
    again, findings = load(MINI, StageCache(tmp_path / "cache", "salt"))
    assert findings.ok
    assert plain is not None and first is not None and again is not None
    assert again.document == plain.document
    assert again.source_map.locations == plain.source_map.locations
    assert list((tmp_path / "cache" / "parsed").iterdir())


def test_validation_by_parts_finds_what_the_whole_check_finds(tmp_path: Path) -> None:
    spec, _ = load(MINI)
    assert spec is not None
    cache = StageCache(tmp_path, "salt")
    assert _findings(spec, cache) == _findings(spec, None) == []
    passed = len(list((tmp_path / "valid").iterdir()))
    assert passed == 1 + len(spec.document["paths"])  # the rest, and each path item

    broken = copy.deepcopy(spec.document)
    broken["paths"]["/things/{name}"]["delete"]["responses"]["204"]["description"] = 5
    edited = LoadedSpec(broken, spec.source_map, spec.files)
    whole = _findings(edited, None)
    assert whole and whole == _findings(edited, StageCache(tmp_path, "salt"))
    assert all(p.startswith("/paths/~1things~1{name}") for p, _ in whole)


def test_a_part_that_passed_is_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, _ = load(MINI)
    assert loaded is not None
    more = copy.deepcopy(loaded.document)  # enough parts that one is checked on its own
    for i in range(6):
        item = copy.deepcopy(more["paths"]["/things/{name}"])
        item["delete"]["operationId"] = f"delete_thing_{i}"
        more["paths"][f"/things{i}/{{name}}"] = item
    spec = LoadedSpec(more, loaded.source_map, loaded.files)
    assert _findings(spec, StageCache(tmp_path, "salt")) == []
    checked: list[dict[str, object]] = []

    def spy(document: dict[str, object]) -> list[object]:
        checked.append(document)
        return []

    monkeypatch.setattr("generator.validate._schema_errors", spy)
    edited = copy.deepcopy(spec.document)
    edited["paths"]["/things"]["get"]["summary"] = "List the things"
    _findings(LoadedSpec(edited, spec.source_map, spec.files), StageCache(tmp_path, "salt"))
    assert [list(doc["paths"]) for doc in checked] == [["/things"]]  # type: ignore[call-overload]


def test_a_formatted_file_is_reused_with_the_new_header(tmp_path: Path) -> None:
    cache = StageCache(tmp_path / "cache", "salt")
    files = {"pkg/a.py": "# H1\nimport os\nx = {'a':1}\n", "notes.md": "# H1\n"}
    first = writer.materialize(files, tmp_path / "one", cache, "H1")
    assert (first / "pkg/a.py").read_text() == '# H1\nx = {"a": 1}\n'
    formatted = len(list((tmp_path / "cache" / "format").iterdir()))
    files2 = {rel: text.replace("H1", "H2") for rel, text in files.items()}
    again = writer.materialize(
        files2, tmp_path / "two", StageCache(tmp_path / "cache", "salt"), "H2"
    )
    assert (again / "pkg/a.py").read_text() == '# H2\nx = {"a": 1}\n'
    assert len(list((tmp_path / "cache" / "format").iterdir())) == formatted  # no new entry


def test_the_model_texts_take_the_run_header() -> None:
    assert modeljobs._with_header("# @emqx-codegen-header@\nclass A: ...\n", "H") == (
        "# H\nclass A: ...\n"
    )
    with pytest.raises(ValueError, match="header"):
        modeljobs._with_header("class A: ...\n", "H")
    document = {"openapi": "3.0.3", "paths": {"/a": {}}, "components": {"schemas": {}}}
    assert modeljobs.scope(document) == {"openapi": "3.0.3", "components": {"schemas": {}}}
