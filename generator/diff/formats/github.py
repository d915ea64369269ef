"""GitHub Actions workflow commands: one annotation per change at the revision's file:line.

A rule firing on one shared component for many operations is one annotation (GitHub shows
only the first few annotations of a kind per step, so repeating it would hide the others).
"""

from __future__ import annotations

from generator.diff.model import Change, Level
from generator.diff.report import DiffReport

_COMMAND = {Level.ERR: "error", Level.WARN: "warning", Level.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(change: Change, message: str, failing: bool = False) -> str:
    """`failing` raises a change below `error` that fails the run (a client break) to one."""
    props = [f"title={_prop(change.id)}"]
    if change.client:
        message += f"\nBreaks the generated client: {change.client}"
    if change.location is not None:
        props.insert(0, f"file={_prop(change.location.file)}")
        if change.location.line:
            props.insert(1, f"line={change.location.line}")
    command = "error" if failing else _COMMAND[change.level]
    return f"::{command} {','.join(props)}::{_data(message)}"


def render(report: DiffReport) -> str:
    per_op, groups = report.grouped()
    lines: list[str] = []
    for changes in per_op.values():
        for change in changes:
            operation = f"{change.operation}: " if change.operation else ""
            lines.append(annotation(change, f"{operation}{change.message}", report.fails(change)))
    for group in groups:
        first = group.first
        ops = len(group.operations)
        sample = "\n".join(c.message for c in group.sample)
        text = f"{first.operation} and {ops - 1} more operation(s) using {first.pointer}:\n{sample}"
        lines.append(annotation(first, text, report.fails(first)))
    for waiver in report.unused_waivers:
        where = waiver.location
        lines.append(
            f"::warning file={_prop(where.file)},line={where.line},title=unused-waiver::"
            + _data(f"{waiver.label} matches no change; remove it")
        )
    lines.append(
        f"{len(report.changes)} change(s), {len(report.failing)} at or above {report.fail_on.value}"
        + ("" if report.http_only else " or breaking the generated client")
    )
    return "\n".join(lines) + "\n"
