"""One base/revision pair per rule: the exact set of levels and ids it gives; every pair,
and the real spec, compared with itself gives nothing; every rule has a message, a fixture
and a documented level. A case is a folder (base.yaml, revision.yaml, expected.txt) or one
compact file (tests/diff/compact.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diff import catalog
from generator.diff.model import Policy
from generator.diff.rules import messages, registry
from tests.diff.compact import write_case
from tests.diff.conftest import CASES, HERE, ROOT, diff_paths, levels_and_ids

CASE_PATHS = sorted(p for p in CASES.iterdir() if p.is_dir() or p.suffix == ".yaml")


def _name(case: Path) -> str:
    return case.stem if case.suffix == ".yaml" else case.name


def _files(case: Path, tmp: Path) -> tuple[Path, Path, list[str], Policy]:
    if case.is_dir():
        expected = (case / "expected.txt").read_text().split("\n")
        lines = [line for line in expected if line]
        return case / "base.yaml", case / "revision.yaml", lines, Policy()
    return write_case(case, tmp / case.stem)


@pytest.mark.parametrize("case", CASE_PATHS, ids=[_name(c) for c in CASE_PATHS])
def test_case_gives_exactly_its_rules(case: Path, tmp_path: Path) -> None:
    base, revision, expected, policy = _files(case, tmp_path)
    changes = diff_paths(base, revision, policy=policy)
    assert levels_and_ids(changes) == sorted(expected)
    for change in changes:
        assert "{" not in change.message and "{" not in change.why, change.message
        assert change.location is not None and change.location.line > 0, case.name


@pytest.mark.parametrize("case", CASE_PATHS, ids=[_name(c) for c in CASE_PATHS])
def test_case_sides_compared_with_themselves_give_nothing(case: Path, tmp_path: Path) -> None:
    base, revision, _, policy = _files(case, tmp_path)
    assert diff_paths(base, base, policy=policy) == []
    assert diff_paths(revision, revision, policy=policy) == []


def test_every_rule_has_a_case_named_after_it() -> None:
    assert sorted(registry()) == sorted(_name(c) for c in CASE_PATHS)


def test_every_rule_has_a_message_and_each_break_a_why() -> None:
    data = messages()
    assert sorted(data) == sorted(registry())
    for rule in registry().values():
        assert rule.message.strip(), rule.id
        if rule.level.value != "INFO":
            assert rule.why.strip(), f"{rule.id} is {rule.level.value} but says not why"


def test_the_catalog_documents_every_rule_and_level() -> None:
    doc = (ROOT / "docs" / "DIFF-RULES.md").read_text()
    assert doc == catalog.render(), "run: python -m generator.diff.catalog > docs/DIFF-RULES.md"
    for rule in registry().values():
        assert f"| `{rule.id}` | {rule.level.value} |" in doc


def test_the_real_spec_compared_with_itself_gives_nothing() -> None:
    assert diff_paths(ROOT / "spec", ROOT / "spec") == []


NOCHANGE_CLIENT = {
    "moved": ["`models.Size` is gone"],
    "renamed": ["`models.Kind` is gone", "`models.NewThing` is gone", "`models.Thing` is gone"],
    "param-level": [],
    "refs-inlined": ["`models.Thing` is gone"],
}


@pytest.mark.parametrize("case", sorted(NOCHANGE_CLIENT))
def test_moving_renaming_or_inlining_is_no_http_change(case: str) -> None:
    """No HTTP change (a component schema gone by its name is INFO); the generated
    client's model names are another matter."""
    folder = HERE / "nochange" / case
    if (folder / "base").is_dir():
        base, revision = folder / "base", folder / "revision"
    else:
        base, revision = folder / "base.yaml", folder / "revision.yaml"
    http = diff_paths(base, revision, http_only=True)
    assert {c.id for c in http} <= {"api-schema-removed"}
    client = diff_paths(base, revision)
    assert {c.id for c in client} <= {"api-schema-removed", "client-interface-changed"}
    gone = sorted(c.client.rpartition("changes: ")[2] for c in client if c.client.endswith("gone"))
    assert gone == NOCHANGE_CLIENT[case]


def test_every_oasdiff_rule_is_known_with_its_level_and_direction() -> None:
    rules = registry()
    lines = (HERE / "oasdiff-rules.txt").read_text().splitlines()
    entries = [line.split() for line in lines if line and not line.startswith("#")]
    assert len(entries) == 509
    for rule_id, level, direction in entries:
        assert rule_id in rules, rule_id
        assert (rules[rule_id].level.value, rules[rule_id].direction.value) == (level, direction)
        assert not rules[rule_id].ours, f"{rule_id} is oasdiff's"
    theirs = {e[0] for e in entries}
    assert {r.id for r in rules.values() if not r.ours} == theirs
