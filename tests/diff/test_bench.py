"""The speed check of `make bench`, kept honest in the suite with a generous bound."""

from __future__ import annotations

from pathlib import Path

from tests.diff.bench import mutate, run
from tests.diff.conftest import ROOT, diff_paths


def test_the_copy_has_about_a_hundred_changes(tmp_path: Path) -> None:
    edits = mutate(ROOT / "spec", tmp_path / "spec")
    assert edits == 100
    changes = diff_paths(ROOT / "spec", tmp_path / "spec")
    assert len({(c.method, c.path) for c in changes}) > 20  # scattered over many operations
    assert {c.level.value for c in changes} >= {"ERR", "INFO"}


def test_diff_of_the_spec_against_it_is_quick() -> None:
    _, cpu, edits, found = run(ROOT / "spec")
    assert edits == 100 and found >= 100
    assert cpu < 3.0, f"{cpu:.2f}s of CPU; `python -m tests.diff.bench` to profile"
