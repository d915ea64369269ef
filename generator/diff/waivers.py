"""Waivers: accepted breaks, each with a rule id, what it applies to and a written reason.

```yaml
- id: request-parameter-removed        # required: a rule id
  operation: GET /clients              # or method: GET and path: /clients
  pointer: /paths/~1clients/get/parameters/3   # optional
  fingerprint: 1a2b3c4d5e6f7a8b        # optional: exactly one change
  reason: The filter never worked; EMQX 5.8 ignores it.   # required
  expires: 2026-06-30                  # optional: after it, the waiver no longer applies
```

A waiver matches a change when every field it gives matches. A waiver that matches
nothing is reported (so stale ones get cleaned), and so is an expired one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from generator.diagnostics import Findings, Location, error
from generator.diff.model import Change
from generator.diff.rules import exists
from generator.yamlsource import YamlDocument, parse_yaml

_FIELDS = ("id", "operation", "method", "path", "pointer", "fingerprint", "reason", "expires")


@dataclass(frozen=True)
class Waiver:
    id: str
    reason: str
    location: Location
    method: str = ""
    path: str = ""
    pointer: str = ""
    fingerprint: str = ""
    expires: date | None = None

    def matches(self, change: Change) -> bool:
        return (
            change.id == self.id
            and (not self.method or change.method == self.method)
            and (not self.path or change.path == self.path)
            and (not self.pointer or change.pointer == self.pointer)
            and (not self.fingerprint or change.fingerprint == self.fingerprint)
        )

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today

    @property
    def label(self) -> str:
        target = " ".join(p for p in (self.method, self.path) if p)
        return f"{self.id} {target}".strip()


def load_waivers(path: Path) -> tuple[list[Waiver], Findings]:
    findings = Findings()
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        findings.add(error("waivers-unreadable", f"cannot read {name}: {exc}"))
        return [], findings
    doc, problems = parse_yaml(text, name)
    findings.extend(problems)
    if doc is None:
        return [], findings
    if doc.data is None:
        return [], findings
    if not isinstance(doc.data, list):
        findings.add(
            error("waivers-not-a-list", "the waivers file is a YAML list", doc.location(""))
        )
        return [], findings
    waivers: list[Waiver] = []
    for i, entry in enumerate(doc.data):
        where = doc.location(f"/{i}")
        waiver = _one(entry, where, findings, partial(_at, doc, i))
        if waiver is not None:
            waivers.append(waiver)
    return waivers, findings


def _at(doc: YamlDocument, index: int, key: str) -> Location:
    return doc.location(f"/{index}/{key}")


def _one(
    entry: Any, where: Location, findings: Findings, at: Callable[[str], Location]
) -> Waiver | None:
    if not isinstance(entry, dict):
        findings.add(error("waiver-invalid", "each waiver is a mapping", where))
        return None
    ok = True
    for key in entry:
        if key not in _FIELDS:
            findings.add(
                error(
                    "waiver-invalid", f"unknown key {key!r} (known: {', '.join(_FIELDS)})", at(key)
                )
            )
            ok = False
    rule_id, reason = entry.get("id"), entry.get("reason")
    if not isinstance(rule_id, str) or not exists(rule_id):
        findings.add(
            error(
                "waiver-invalid",
                f"{rule_id!r} is not a rule id",
                at("id") if "id" in entry else where,
            )
        )
        ok = False
    if not isinstance(reason, str) or not reason.strip():
        findings.add(error("waiver-invalid", "a waiver needs a written reason", where))
        ok = False
    method = str(entry.get("method") or "").upper()
    path = str(entry.get("path") or "")
    operation = entry.get("operation")
    if operation is not None:
        parts = str(operation).split(None, 1)
        if len(parts) != 2:
            findings.add(error("waiver-invalid", "operation is 'METHOD /path'", at("operation")))
            ok = False
        else:
            method, path = parts[0].upper(), parts[1]
    expires = None
    if "expires" in entry:
        try:
            expires = date.fromisoformat(str(entry["expires"]))
        except ValueError:
            findings.add(error("waiver-invalid", "expires is a date, YYYY-MM-DD", at("expires")))
            ok = False
    if not ok:
        return None
    return Waiver(
        id=str(rule_id),
        reason=str(reason).strip(),
        location=where,
        method=method,
        path=path,
        pointer=str(entry.get("pointer") or ""),
        fingerprint=str(entry.get("fingerprint") or ""),
        expires=expires,
    )


@dataclass(frozen=True)
class Applied:
    kept: list[Change]
    waived: list[tuple[Change, Waiver]]
    unused: list[Waiver]
    expired: list[Waiver]


def apply_waivers(changes: list[Change], waivers: list[Waiver], today: date) -> Applied:
    live = [w for w in waivers if not w.expired(today)]
    expired = [w for w in waivers if w.expired(today)]
    used: set[int] = set()
    kept: list[Change] = []
    waived: list[tuple[Change, Waiver]] = []
    for change in changes:
        hit = next((i for i, w in enumerate(live) if w.matches(change)), None)
        if hit is None:
            kept.append(change)
        else:
            used.add(hit)
            waived.append((change, live[hit]))
    unused = [w for i, w in enumerate(live) if i not in used]
    return Applied(kept, waived, unused, expired)
