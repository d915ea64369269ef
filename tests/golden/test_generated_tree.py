"""generated/ is committed: it must match what generate writes, byte for byte, and be clean."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "generator"]


def run(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_generated_tree_is_up_to_date() -> None:
    done = run("check")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr


@pytest.fixture()
def copy_of_generated(tmp_path: Path) -> Path:
    target = tmp_path / "generated"
    shutil.copytree(ROOT / "generated", target, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return target


def test_check_reports_drift(copy_of_generated: Path) -> None:
    """An edited, a deleted and an extra file, reported by one check (each check renders
    the whole tree, so one run sees all three)."""
    edited = copy_of_generated / "emqx_client" / "_client.py"
    edited.write_text(edited.read_text() + "# a hand edit\n")
    (copy_of_generated / "emqx_client" / "_types.py").unlink()
    (copy_of_generated / "emqx_client" / "stray.py").write_text("x = 1\n")
    done = run("check", "--output", str(copy_of_generated))
    assert done.returncode == 1
    assert "-# a hand edit" in done.stdout
    assert "missing: generated/emqx_client/_types.py" in done.stdout
    assert "extra: generated/emqx_client/stray.py" in done.stdout
    assert "out of date" in done.stderr


def _tree(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def generated_with_seed_0(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fresh generate (PYTHONHASHSEED=0), shared by the tests that only read it."""
    out = tmp_path_factory.mktemp("seed-0") / "generated"
    done = run("generate", "--output", str(out), env={**os.environ, "PYTHONHASHSEED": "0"})
    assert done.returncode == 0, done.stderr
    return out


def test_generation_is_deterministic_across_hash_seeds(
    generated_with_seed_0: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out-12345"
    done = run("generate", "--output", str(out), env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert done.returncode == 0, done.stderr
    outputs = [_tree(generated_with_seed_0), _tree(out)]
    assert outputs[0].keys() == outputs[1].keys()
    differing = [name for name in outputs[0] if outputs[0][name] != outputs[1][name]]
    assert differing == []


def test_every_generated_file_names_the_spec_hash(loaded_spec: Any) -> None:
    spec_hash = loaded_spec.spec_hash  # a property that hashes the document: once
    missing = []
    for path in sorted((ROOT / "generated").rglob("*")):
        if (
            not path.is_file()
            or path.name in ("py.typed", ".inputs")
            or "__pycache__" in path.parts
        ):
            continue
        head = path.read_text(encoding="utf-8")[:400]
        if spec_hash not in head:
            missing.append(path.relative_to(ROOT).as_posix())
    assert missing == []


def test_ruff_passes_on_generated() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--line-length",
            "100",  # as the writer formats it (generator/writer.py)
            "--select",
            "E,F,W,I,UP,B",
            "--ignore",
            "E501",
            "--target-version",
            "py311",
            "generated",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
    fmt = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--isolated",
            "--line-length",
            "100",
            "--check",
            "generated",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout


def test_mypy_strict_passes_on_generated() -> None:
    # mypy's incremental cache is kept between runs (it checks every file again that changed).
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(ROOT / ".mypy_cache" / "generated"),
            "emqx_client",
            "emqx_server_stub",
        ],
        cwd=ROOT / "generated",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-6000:]


def test_a_second_generate_with_nothing_changed_stops_early(
    generated_with_seed_0: Path, tmp_path: Path
) -> None:
    out = tmp_path / "generated"
    shutil.copytree(generated_with_seed_0, out)  # as the first generate left it
    again = run("generate", "--output", str(out))
    assert again.returncode == 0
    assert "nothing changed since the last generate" in again.stdout
    (out / "emqx_client" / "_client.py").write_text("# a hand edit\n")
    repaired = run("generate", "--output", str(out))
    assert "wrote" in repaired.stdout and "_client.py" in repaired.stdout
    assert (out / "emqx_client" / "_client.py").read_text() == (
        ROOT / "generated" / "emqx_client" / "_client.py"
    ).read_text()
