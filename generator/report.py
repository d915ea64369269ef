"""Printing findings for people (grouped by file, the offending line shown, colour on a
terminal) and for scripts (JSON). Counting lives in diagnostics; this module only formats."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import click

from generator.diagnostics import Finding, Findings, Level

_COLOURS = {Level.ERROR: "red", Level.WARNING: "yellow"}


def _source_line(file: str, line: int, cache: dict[str, list[str]]) -> str | None:
    if not line:
        return None
    if file not in cache:
        try:
            cache[file] = Path(file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            cache[file] = []
    lines = cache[file]
    return lines[line - 1].rstrip() if 0 < line <= len(lines) else None


def format_human(findings: Findings) -> str:
    """One line per finding, `file:line: level: id: message [pointer]`, grouped by file,
    each followed by the line of the file it points at."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[finding.location.file if finding.location else "<spec>"].append(finding)
    cache: dict[str, list[str]] = {}
    out: list[str] = []
    for file, items in groups.items():
        for f in items:
            line = f.location.line if f.location else 0
            where = click.style(f"{file}:{line}" if line else file, bold=True)
            level = click.style(f.level.value, fg=_COLOURS[f.level], bold=True)
            pointer = click.style(f" [{f.pointer}]", dim=True) if f.pointer else ""
            out.append(f"{where}: {level}: {f.id}: {f.message}{pointer}")
            source = _source_line(file, line, cache)
            if source is not None and source.strip():
                out.append(click.style(f"    {line:>5} | {source.rstrip()[:160]}", dim=True))
    out.append(f"{len(findings.errors)} error(s), {len(findings.warnings)} warning(s)")
    return "\n".join(out) + "\n"


def format_json(findings: Findings, **extra: object) -> str:
    items = [
        {
            "level": f.level.value,
            "id": f.id,
            "message": f.message,
            "file": f.location.file if f.location else None,
            "line": f.location.line if f.location else None,
            "pointer": f.pointer,
        }
        for f in findings
    ]
    summary = {"errors": len(findings.errors), "warnings": len(findings.warnings)}
    return json.dumps({"findings": items, "summary": summary, **extra}, indent=2) + "\n"
