"""An interrupted `generate` never leaves a half-written output folder.

`python -m generator generate` runs in a subprocess over a copy of generated/ (the old
tree) with the mini spec (a new tree that differs in almost every file), and is killed
with SIGKILL: after fixed delays, and at exact points of the writer (while writing the
temporary tree, before formatting it, before the swap, between the two renames of the
swap, before and while removing the old tree, before the fingerprint). After each kill
the output folder is the old tree byte for byte or the new one, never a mix; in the
one window between the swap's two renames it is missing and `<output>.old` holds the old
tree, which `writer.recover` (run first by every generate) puts back. A following run
recovers and writes the new tree.

`KILL_DELAYS` (seconds, comma-separated) adds timed kill points (`make fuzz`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator import pipeline, writer
from generator.config import Config

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini" / "openapi.yaml"
DELAYS = [float(d) for d in os.environ.get("KILL_DELAYS", "0.2,0.5,1.0,2.0").split(",") if d]
EXACT = [
    "mid-write",
    "before-format",
    "before-swap",
    "between-renames",
    "before-cleanup",
    "mid-cleanup",
    "before-fingerprint",
]

# Runs the CLI with one hook that SIGKILLs the process at the named point.
HOOK = r"""
import os, pathlib, shutil, signal, sys
point = os.environ["KILL_AT"]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

from generator import fingerprint, pipeline, writer

if point == "mid-write":
    real_write = pathlib.Path.write_text
    written = [0]

    def write_text(self, *args, **kwargs):
        result = real_write(self, *args, **kwargs)
        if ".generated.tmp-" in str(self):
            written[0] += 1
            if written[0] == 20:
                die()
        return result

    pathlib.Path.write_text = write_text
elif point == "before-format":
    real_ruff = writer._ruff

    def ruff(*args):
        if args[0] == "format":
            die()
        real_ruff(*args)

    writer._ruff = ruff
elif point == "before-swap":
    pipeline.swap_in = lambda tmp, output: die()
elif point in ("between-renames", "before-cleanup"):
    real_rename = os.rename

    def rename(src, dst):
        real_rename(src, dst)
        if point == "between-renames" and str(dst).endswith(".old"):
            die()
        if point == "before-cleanup" and ".generated.tmp-" in str(src):
            die()

    os.rename = rename
elif point == "mid-cleanup":
    real_rmtree = shutil.rmtree

    def rmtree(path, *args, **kwargs):
        if str(path).endswith(".old"):
            files = sorted(p for p in pathlib.Path(path).rglob("*") if p.is_file())
            for p in files[: len(files) // 2]:
                p.unlink()
            die()
        return real_rmtree(path, *args, **kwargs)

    shutil.rmtree = rmtree
elif point == "before-fingerprint":
    fingerprint.remember = lambda config: die()

from generator.cli import main

main()
"""


def _snapshot(folder: Path) -> dict[str, bytes] | None:
    """Every file by relative path, without caches and the fingerprint (written after
    the swap, so a run killed just after it leaves the new tree without one)."""
    if not folder.exists():
        return None
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.name != ".inputs"
    }


def _command(output: Path) -> list[str]:
    return [str(output), "--force", "--quiet"]


def _run(point: str, output: Path) -> int:
    """Run generate into `output` and kill it at `point` (a delay or a named point)."""
    args = ["generate", str(MINI), "--output", *_command(output)]
    if point.startswith("after-"):
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(float(point.removeprefix("after-").removesuffix("s")))
        proc.kill()
        return proc.wait()
    done = subprocess.run(
        [sys.executable, "-c", HOOK, *args],
        cwd=ROOT,
        env={**os.environ, "KILL_AT": point},
        capture_output=True,
        text=True,
    )
    return done.returncode


@pytest.fixture(scope="module")
def old_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generated/ as it is, the tree every run starts from."""
    folder = tmp_path_factory.mktemp("old") / "generated"
    shutil.copytree(ROOT / "generated", folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _classify(output: Path, old: dict[str, bytes], new: dict[str, bytes]) -> str:
    now = _snapshot(output)
    parked = _snapshot(output.with_name(output.name + ".old"))
    if now == old and parked is None:
        return "old"
    if now == new:
        return "new" if parked is None else "new, old being removed"
    if now is None and parked == old:
        return "swapping: old parked in .old"
    missing = "missing" if now is None else f"{len(now)} files"
    return f"HALF: output {missing}, .old {'absent' if parked is None else 'present'}"


def test_a_killed_generate_leaves_old_or_new_never_half(tmp_path: Path, old_tree: Path) -> None:
    points = [f"after-{d}s" for d in DELAYS] + EXACT
    outputs = {}
    for n, point in enumerate(points):
        parent = tmp_path / f"run{n}"
        parent.mkdir()
        shutil.copytree(old_tree, parent / "generated")
        outputs[point] = parent / "generated"
    with ThreadPoolExecutor(max_workers=3) as pool:
        codes = dict(zip(points, pool.map(lambda p: _run(p, outputs[p]), points), strict=True))

    # the new tree: what a complete run writes, here from the worst state a kill left
    # (between the renames), which also shows that the next run recovers
    worst = outputs["between-renames"]
    assert not worst.exists() and worst.with_name("generated.old").exists()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(MINI), "--output", *_command(worst)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    new = _snapshot(worst)
    old = _snapshot(old_tree)
    assert new and old and new != old
    assert not worst.with_name("generated.old").exists()

    outcomes = {}
    for point in points:
        if point == "between-renames":
            continue
        output = outputs[point]
        outcomes[point] = _classify(output, old, new)
        writer.recover(output)  # what the next generate does first
        after = _snapshot(output)
        assert after in (old, new), f"{point}: not old nor new after recover"
        assert not output.with_name("generated.old").exists()
    outcomes["between-renames"] = "swapping: old parked in .old (recovered by the next run)"
    half = {p: o for p, o in outcomes.items() if o.startswith("HALF")}
    assert half == {}
    # every exact point was reached: the process died by SIGKILL there
    assert all(codes[p] == -9 for p in EXACT), codes
    leftovers = sorted(p.name for p in tmp_path.glob("run*/.generated.tmp-*"))
    print(
        f"\nkill points: {len(points)}; outcomes: {outcomes}; temporary trees left: {len(leftovers)}"
    )


def test_an_error_at_the_swap_leaves_the_old_tree_recoverable(
    tmp_path: Path, old_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process: the second rename of the swap fails (a full disk, a permission). The
    swap is rolled back at once and the failure is a finding, not a traceback."""
    output = tmp_path / "generated"
    shutil.copytree(old_tree, output)
    old = _snapshot(output)
    real_rename = os.rename

    def rename(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        if ".generated.tmp-" in str(src):
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(writer.os, "rename", rename)
    config = Config(spec=MINI, templates=ROOT / "templates", output=output)
    outcome = pipeline.generate(config)
    monkeypatch.undo()
    assert [f.id for f in outcome.findings.errors] == ["write-failed"]
    assert "No space left" in outcome.findings.errors[0].message
    assert _snapshot(output) == old
    assert not output.with_name("generated.old").exists()
    assert not list(tmp_path.glob(".generated.tmp-*"))  # the new tree was cleaned up
