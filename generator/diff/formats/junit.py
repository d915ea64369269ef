"""JUnit XML for CI dashboards: one test case per change; those at or above --fail-on fail."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.diff.report import DiffReport


def render(report: DiffReport) -> str:
    shown = report.shown
    failing = [c for c in shown if report.fails(c)]
    suite = ET.Element(
        "testsuite",
        name="emqx-codegen diff",
        tests=str(max(len(shown), 1)),
        failures=str(len(failing)),
        errors="0",
        skipped="0",
    )
    ET.SubElement(suite, "properties")
    for change in shown:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"api.{change.operation or 'spec'}",
            name=f"{change.id} {change.fingerprint}",
        )
        where = str(change.location) if change.location else ""
        body = f"{change.message}\n{where}\n{change.pointer}"
        if change.client:
            body += f"\nbreaks the generated client: {change.client}"
        if report.fails(change):
            failure = ET.SubElement(case, "failure", message=change.message, type=change.id)
            failure.text = f"{change.level.value}: {body}" + (
                f"\n{change.why}" if change.why else ""
            )
        else:
            ET.SubElement(case, "system-out").text = f"{change.level.value}: {body}"
    if not shown:
        ET.SubElement(suite, "testcase", classname="api", name="no breaking changes")
    ET.indent(suite)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
    )
