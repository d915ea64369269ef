"""Write rendered files into a temporary tree, format them, and swap it into place.

generated/ is never half-written: the new tree is complete before the old one moves.
"""

from __future__ import annotations

import difflib
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

_RUFF_ARGS = ("--isolated", "--line-length", "100", "--target-version", "py311")


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _ruff(*args: str) -> None:
    cmd = [sys.executable, "-m", "ruff", *args]
    subprocess.run(cmd, check=True, capture_output=True)


def materialize(files: dict[str, str], parent: Path) -> Path:
    """Write `files` into a fresh temporary folder under `parent` and format the Python."""
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".generated.tmp-", dir=parent))
    for rel, text in sorted(files.items()):
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if any(rel.endswith(".py") for rel in files):
        _ruff("check", *_RUFF_ARGS, "--select", "I,F401,UP", "--fix-only", "--exit-zero", "-q", str(tmp))
        _ruff("format", *_RUFF_ARGS, "-q", str(tmp))
    return tmp


def _tree(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def recover(output: Path) -> None:
    """Finish a swap that a killed run left half done."""
    old = output.with_name(output.name + ".old")
    if old.exists() and not output.exists():
        old.rename(output)
    elif old.exists():
        shutil.rmtree(old)


def swap_in(tmp: Path, output: Path) -> WriteReport:
    report = WriteReport()
    new, old_files = _tree(tmp), _tree(output)
    for rel in sorted(new):
        same = rel in old_files and filecmp.cmp(tmp / rel, output / rel, shallow=False)
        (report.unchanged if same else report.written).append(rel)
    report.removed = sorted(old_files - new)
    old = output.with_name(output.name + ".old")
    recover(output)
    if output.exists():
        os.rename(output, old)
    os.rename(tmp, output)
    if old.exists():
        shutil.rmtree(old)
    return report


def diff_trees(expected: Path, actual: Path, label: str) -> list[str]:
    """Unified diff lines from `actual` (what is on disk) to `expected` (what generate writes)."""
    lines: list[str] = []
    exp, act = _tree(expected), _tree(actual)
    for rel in sorted(exp | act):
        a = (actual / rel).read_text(encoding="utf-8").splitlines(True) if rel in act else []
        b = (expected / rel).read_text(encoding="utf-8").splitlines(True) if rel in exp else []
        if a != b or (rel in exp) != (rel in act):
            if rel not in act:
                lines.append(f"missing: {label}/{rel}\n")
            elif rel not in exp:
                lines.append(f"extra: {label}/{rel}\n")
            lines.extend(difflib.unified_diff(a, b, f"{label}/{rel}", f"{label}/{rel} (expected)"))
    return lines
