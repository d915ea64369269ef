"""Broken specs: each gives its exact located findings, exit 1, and writes nothing.

One folder per case under tests/fixtures/broken/: `openapi.yaml` (and any files it
refers to) and `expected.txt`, the exact stderr of `emqx-codegen validate`.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted(p for p in (ROOT / "tests" / "fixtures" / "broken").iterdir() if p.is_dir())


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_reports_located_findings(case: Path) -> None:
    done = cli("validate", str((case / "openapi.yaml").relative_to(ROOT)))
    assert done.returncode == 1
    assert done.stderr == (case / "expected.txt").read_text()
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_generate_leaves_output_untouched(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini-generated-sentinel", out)
    before = sorted(p.name for p in out.rglob("*"))
    done = cli("generate", str((case / "openapi.yaml").relative_to(ROOT)), "--output", str(out))
    assert done.returncode == 1
    assert done.stderr.startswith((case / "expected.txt").read_text())
    assert "left as it was" in done.stderr
    assert sorted(p.name for p in out.rglob("*")) == before
    assert filecmp.cmp(
        out / "keep.txt", ROOT / "tests" / "fixtures" / "mini-generated-sentinel" / "keep.txt"
    )
    assert not list(tmp_path.glob(".generated.tmp-*"))


def test_mini_spec_is_valid() -> None:
    done = cli("validate", "tests/fixtures/mini/openapi.yaml")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
