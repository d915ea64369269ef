"""Hundreds of broken specs: each ends in a clean result or located findings, never a
traceback, and a failed generate leaves the output folder byte-identical.

`make test` runs a bounded number of cases; `FUZZ_CASES=2000 make fuzz` runs more.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.config import Config
from tests.hardening.spec_mutations import cases

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini" / "openapi.yaml"
COUNT = int(os.environ.get("FUZZ_CASES", "330"))
GENERATE_EVERY = 25  # generate (slower) on every n-th case; validate on all


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_mutated_specs_never_crash_and_never_half_write(tmp_path: Path) -> None:
    text = MINI.read_text()
    output = tmp_path / "generated"
    output.mkdir()
    (output / "keep.txt").write_text("an earlier generation\n")
    before = _snapshot(output)
    crashes: list[str] = []
    outcomes = {"clean": 0, "findings": 0}
    for index, (name, mutated) in enumerate(cases(text, seed=20261127, count=COUNT)):
        spec = tmp_path / "case" / "openapi.yaml"
        spec.parent.mkdir(exist_ok=True)
        spec.write_text(mutated, encoding="utf-8", errors="surrogateescape")
        config = Config(spec=spec, templates=ROOT / "templates", output=output)
        try:
            outcome = pipeline.validate_spec(config)
            if index % GENERATE_EVERY == 0 and not outcome.findings.ok:
                outcome = pipeline.generate(config)
        except Exception as exc:  # a traceback for a problem in the user's spec
            crashes.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
            continue
        if outcome.findings.ok:
            outcomes["clean"] += 1
        else:
            outcomes["findings"] += 1
            unlocated = [
                f for f in outcome.findings.errors if f.location is None and f.id != "render-failed"
            ]
            assert all(f.id for f in outcome.findings.errors)
            del unlocated
        assert _snapshot(output) == before, f"{name} changed the output folder"
        assert not list(tmp_path.glob(".generated.tmp-*")), f"{name} left a temporary tree"
    assert crashes == []
    assert outcomes["findings"] > COUNT // 2
    shutil.rmtree(tmp_path / "case", ignore_errors=True)
    assert filecmp.cmp(output / "keep.txt", output / "keep.txt")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_a_truncated_real_spec_file_is_a_located_error(tmp_path: Path, cut: float) -> None:
    source = ROOT / "spec"
    copy = tmp_path / "spec"
    shutil.copytree(source, copy)
    target = copy / "components" / "clients.yaml"
    text = target.read_text()
    target.write_text(text[: int(len(text) * cut)])
    outcome = pipeline.validate_spec(
        Config(spec=copy / "openapi.yaml", templates=ROOT / "templates")
    )
    assert not outcome.findings.ok
    assert all(f.location is not None for f in outcome.findings.errors)
