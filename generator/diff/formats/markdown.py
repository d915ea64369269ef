"""The pull-request comment: counts by level, then per operation a table of the changes:
level, rule, what changed (and for a break, why it breaks HTTP clients) and the client
impact (what breaks in code written against the generated client). The first line is a
marker the workflow uses to find and update its own comment."""

from __future__ import annotations

from generator.diff.model import Change, Level
from generator.diff.report import DiffReport, SharedGroup

MARKER = "<!-- emqx-codegen diff -->"
_ICON = {Level.ERR: "🔴", Level.WARN: "🟠", Level.INFO: "🔵"}


def _where(change: Change) -> str:
    return f" — `{change.location}`" if change.location else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _client(change: Change) -> str:
    return f"💥 {_cell(change.client)}" if change.client else "—"


def _row(change: Change) -> str:
    what = f"{_cell(change.message)}{_where(change)}"
    if change.level is not Level.INFO and change.why:
        what += f"<br>_Why it breaks clients:_ {_cell(change.why)}"
    level = f"{_ICON[change.level]} {change.level.value}"
    return f"| {level} | `{change.id}` | {what} | {_client(change)} |"


TABLE_HEAD = ["| Level | Rule | Change | Generated client |", "|---|---|---|---|"]


def _group(group: SharedGroup) -> list[str]:
    first = group.first
    ops = group.operations
    shown_ops = ", ".join(f"`{o}`" for o in ops[:5]) + (
        f" and {len(ops) - 5} more" if len(ops) > 5 else ""
    )
    details = [c.message for c in group.sample]
    out = [
        f"- {_ICON[first.level]} **{first.level.value}** `{first.id}` in `{first.pointer}`{_where(first)}: "
        f"{len(details)} change(s) in each of {len(ops)} operations ({shown_ops}), "
        f"as in `{first.operation}`:"
    ]
    out.extend(f"  - {d}" for d in details[:10])
    if len(details) > 10:
        out.append(f"  - … and {len(details) - 10} more")
    if first.level is not Level.INFO and first.why:
        out.append(f"  - _Why it breaks clients:_ {first.why}")
    if first.client:
        out.append(f"  - _Generated client:_ 💥 {first.client}")
    return out


def render(report: DiffReport) -> str:
    lines = [MARKER, "## API changes", ""]
    lines.append(f"`{report.base}` → `{report.revision}`")
    lines.append("")
    lines.append("| Level | Changes | Breaking the generated client |")
    lines.append("|---|---:|---:|")
    for level in Level:
        label = f"{level.value} ({level.label})"
        count = str(report.count(level))
        hidden = sum(1 for c in report.changes if c.level is level and not report.serious(c))
        if level is Level.INFO and not report.include_info and hidden:
            count += f" ({hidden} not listed)"
        client = sum(1 for c in report.changes if c.level is level and c.client)
        lines.append(f"| {label} | {count} | {client} |")
    lines.append(f"| waived | {len(report.waived)} | |")
    lines.append("")
    failing = len(report.failing)
    counted = f"at or above {report.fail_on.value}"
    if not report.http_only:
        counted += " or breaking the generated client"
    if failing:
        lines.append(f"**{failing} change(s) {counted}: this pull request breaks clients.**")
    elif report.changes:
        lines.append(f"Nothing {counted}.")
    else:
        lines.append("No changes to the API.")
    per_op, groups = report.grouped()
    for operation, changes in per_op.items():
        lines += ["", f"### `{operation}`" if operation else "### The document", ""]
        lines += TABLE_HEAD
        lines += [_row(change) for change in changes]
    if groups:
        lines += [
            "",
            "### Shared components",
            "",
            "_Each reported once for all the operations that use it._",
            "",
        ]
        for group in groups:
            lines += _group(group)
    if report.waived:
        lines += ["", "<details><summary>Waived</summary>", ""]
        for change, waiver in report.waived:
            lines.append(
                f"- `{change.id}` {change.operation}: {change.message} — _{waiver.reason}_"
            )
        lines += ["", "</details>"]
    stale = [(w, "matches no change") for w in report.unused_waivers]
    stale += [(w, f"expired {w.expires}") for w in report.expired_waivers]
    if stale:
        lines += ["", "### Stale waivers", ""]
        lines += [f"- `{w.label}` at `{w.location}`: {why}; remove it" for w, why in stale]
    return "\n".join(lines) + "\n"
