"""`emqx-codegen diff`: what a change to the spec breaks for clients already in the field.

    load(base) + load(revision) -> engine.compare (one registry of rules)
        -> client_impact.rate (what breaks the generated client) -> waivers -> report

The library under the CLI; nothing here prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.diagnostics import Findings
from generator.diff.client_impact import rate
from generator.diff.engine import compare
from generator.diff.inputs import read_spec
from generator.diff.model import Change, Direction, Level, Policy
from generator.diff.report import DiffReport
from generator.diff.waivers import Waiver, apply_waivers, load_waivers

__all__ = [
    "Change",
    "DiffOutcome",
    "DiffReport",
    "Direction",
    "Level",
    "Policy",
    "compare",
    "run_diff",
]


@dataclass
class DiffOutcome:
    """Findings (input errors: exit 2) or a report (exit 0 or 1)."""

    findings: Findings = field(default_factory=Findings)
    report: DiffReport | None = None

    @property
    def exit_code(self) -> int:
        if self.report is None or not self.findings.ok:
            return 2
        return self.report.exit_code


def run_diff(
    base: str,
    revision: str,
    *,
    waivers: Path | None = None,
    fail_on: Level = Level.ERR,
    include_info: bool = False,
    http_only: bool = False,
    policy: Policy | None = None,
    today: date | None = None,
    cwd: Path | None = None,
) -> DiffOutcome:
    today = today or date.today()
    outcome = DiffOutcome()
    base_spec, found = read_spec(base, cwd)
    outcome.findings.extend(found)
    rev_spec, found = read_spec(revision, cwd)
    outcome.findings.extend(found)
    accepted: list[Waiver] = []
    if waivers is not None:
        accepted, found = load_waivers(waivers)
        outcome.findings.extend(found)
    if base_spec is None or rev_spec is None or not outcome.findings.ok:
        return outcome
    changes = compare(base_spec, rev_spec, today, policy)
    if not http_only:
        changes = rate(base_spec, rev_spec, changes)
    applied = apply_waivers(changes, accepted, today)
    outcome.report = DiffReport(
        base=base,
        revision=revision,
        changes=applied.kept,
        fail_on=fail_on,
        include_info=include_info,
        http_only=http_only,
        waived=applied.waived,
        unused_waivers=applied.unused,
        expired_waivers=applied.expired,
    )
    return outcome
