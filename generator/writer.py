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

from generator.stagecache import StageCache

_RUFF_ARGS = ("--isolated", "--line-length", "100", "--target-version", "py311")


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class RenderError(Exception):
    """The rendered code does not parse: a bug in a template, not in the spec."""


def _ruff(*args: str) -> None:
    cmd = [sys.executable, "-m", "ruff", *args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RenderError(
            f"ruff {args[0]} failed on the rendered code:\n{done.stderr or done.stdout}"
        )


_PLACEHOLDER = "@emqx-codegen-header@"
_FORMATTED = (".py", ".md")  # what ruff formats (a Markdown file's Python blocks)


def _unheaded(text: str, header: str) -> str:
    """`text` with the run's header replaced by a placeholder (its key in the cache)."""
    return text.replace(header, _PLACEHOLDER) if header else text


def _headed(text: str, header: str) -> str:
    return text.replace(_PLACEHOLDER, header) if header else text


def materialize(
    files: dict[str, str], parent: Path, cache: StageCache | None = None, header: str = ""
) -> Path:
    """Write `files` into a fresh temporary folder under `parent` and format the Python.

    With a cache, a Python file whose rendered text (the header aside, which names the
    spec's digest and so changes with every edit) was formatted before is written as it
    came out then, and ruff runs only on the others. ruff reads one file at a time, so a
    file formats the same whichever others run with it."""
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".generated.tmp-", dir=parent))
    try:
        todo: dict[str, str] = {}  # relative path -> cache key
        for rel, text in sorted(files.items()):
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if rel.endswith(_FORMATTED):
                key = f"{rel}\0{len(header)}\0{_unheaded(text, header)}"
                done = cache.get("format", key) if cache is not None else None
                if done is not None:
                    text = _headed(done, header)
                else:
                    todo[rel] = key
            path.write_text(text, encoding="utf-8")
        if todo:
            targets = [str(tmp / rel) for rel in todo]
            _ruff(
                "check",
                *_RUFF_ARGS,
                "--select",
                "I,F401,UP",
                "--fix-only",
                "--exit-zero",
                "-q",
                *targets,
            )
            _ruff("format", *_RUFF_ARGS, "-q", *targets)
            if cache is not None:
                for rel, key in todo.items():
                    formatted = (tmp / rel).read_text(encoding="utf-8")
                    cache.put("format", key, _unheaded(formatted, header))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def _tree(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    found = set()
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and not any(
            part.startswith(".") or part == "__pycache__" for part in rel.parts
        ):
            found.add(rel.as_posix())
    return found


def recover(output: Path, *, drop_stale: bool = False) -> None:
    """Finish a swap that a killed run left half done; with `drop_stale`, also drop the
    temporary trees of runs killed before their swap (generate is not run twice at once on
    one folder, so before rendering none of them is anyone's)."""
    old = output.with_name(output.name + ".old")
    if old.exists() and not output.exists():
        old.rename(output)
    elif old.exists():
        shutil.rmtree(old)
    if drop_stale:
        for stale in output.resolve().parent.glob(".generated.tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)


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
    try:
        os.rename(tmp, output)
    except OSError:
        if old.exists() and not output.exists():
            os.rename(old, output)  # roll back: the previous tree stays in place
        raise
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
