"""The input of `make bench`'s diff section: a copy of the spec with a hundred scattered
changes, all of which the diff reports. How long it takes is measured by `make bench`
(section 5), not here: timing goals stay out of the suite."""

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


def test_the_bench_run_reports_every_change() -> None:
    _, _, edits, found = run(ROOT / "spec")
    assert edits == 100 and found >= 100
