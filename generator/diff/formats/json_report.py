"""Stable JSON for machines: {"changes": [...], "summary": {...}}."""

from __future__ import annotations

import json

from generator.diff.report import DiffReport


def render(report: DiffReport) -> str:
    data = {
        "changes": [c.as_json() for c in report.shown],
        "summary": report.summary(),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
