"""Report formats: each a pure function DiffReport -> str."""

from __future__ import annotations

from collections.abc import Callable

from generator.diff.formats import github, json_report, junit, markdown, text
from generator.diff.report import DiffReport

FORMATS: dict[str, Callable[[DiffReport], str]] = {
    "text": text.render,
    "markdown": markdown.render,
    "json": json_report.render,
    "github": github.render,
    "junit": junit.render,
}
