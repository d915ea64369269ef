"""Helpers for the diff tests: run a case, run the CLI in-process."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.diff import Change, compare
from generator.diff.client_impact import rate
from generator.diff.inputs import read_spec
from generator.diff.model import Policy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CASES = HERE / "cases"
TODAY = date(2025, 6, 1)  # the fixtures' sunsets are 2000-01-01 (passed) and 2999-01-01


def diff_paths(
    base: Path | str, revision: Path | str, *, http_only: bool = False, policy: Policy | None = None
) -> list[Change]:
    """The changes the CLI reports (with their client impact unless `http_only`)."""
    base_spec, found = read_spec(str(base), ROOT)
    assert base_spec is not None, [f.format() for f in found]
    rev_spec, found = read_spec(str(revision), ROOT)
    assert rev_spec is not None, [f.format() for f in found]
    changes = compare(base_spec, rev_spec, TODAY, policy)
    return changes if http_only else rate(base_spec, rev_spec, changes)


def levels_and_ids(changes: list[Change]) -> list[str]:
    return sorted({f"{c.level.value} {c.id}" for c in changes})


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in the project root, as the CLI is run in CI (file names relative to it)."""
    monkeypatch.chdir(ROOT)
    return ROOT
