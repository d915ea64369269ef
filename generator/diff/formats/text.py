"""One line per change, like `validate`'s findings: file:line: LEVEL id: operation: message,
and what it breaks in the generated client."""

from __future__ import annotations

from generator.diff.model import Change, Level
from generator.diff.report import DiffReport


def line(change: Change) -> str:
    where = str(change.location) if change.location else "<spec>"
    operation = f"{change.operation}: " if change.operation else ""
    client = f" [breaks the generated client: {change.client}]" if change.client else ""
    return f"{where}: {change.level.value} {change.id}: {operation}{change.message}{client}"


def summary(report: DiffReport) -> str:
    counts = ", ".join(f"{report.count(level)} {level.value}" for level in Level)
    text = f"{len(report.changes)} change(s): {counts}"
    client = len(report.client_breaking)
    if client:
        text += f"; {client} break the generated client"
    hidden = len(report.changes) - len(report.shown)
    if hidden:
        text += f" ({hidden} INFO not shown; --include-info shows them)"
    if report.waived:
        text += f"; {len(report.waived)} waived"
    return text


def render(report: DiffReport) -> str:
    per_op, groups = report.grouped()
    out = [line(c) for changes in per_op.values() for c in changes]
    for group in groups:
        ops = group.operations
        more = f" and {len(ops) - 1} more operation(s) using {group.first.pointer}"
        out.extend(line(c) + f" [{more.strip()}]" for c in group.sample)
    for waiver in report.unused_waivers:
        out.append(f"{waiver.location}: unused waiver: {waiver.label} matches no change; remove it")
    for waiver in report.expired_waivers:
        expiry = waiver.expires.isoformat() if waiver.expires else ""
        out.append(
            f"{waiver.location}: expired waiver ({expiry}): {waiver.label} no longer applies"
        )
    out.append(summary(report) if report.changes or report.waived else "no changes")
    return "\n".join(out) + "\n"
