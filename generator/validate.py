"""Validate a loaded spec: openapi-spec-validator first, then the project's own lints."""

from __future__ import annotations

import json
from typing import Any

from jsonschema.exceptions import best_match
from openapi_spec_validator import OpenAPIV30SpecValidator

from generator import lints
from generator.diagnostics import Findings, error
from generator.loader import LoadedSpec, resolve_pointer
from generator.openapi import component_refs
from generator.stagecache import StageCache, digest
from generator.yamlsource import escape


def _pointer(parts: Any) -> str:
    return "".join(f"/{escape(str(p))}" for p in parts)


def _deepest(err: Any) -> Any:
    while getattr(err, "context", None):
        err = best_match(err.context)
    return err


def _absolute(spec: LoadedSpec, pointer: str) -> str:
    """The validator checks schemas one by one and reports paths relative to the schema:
    find the one node of the document whose pointer ends that way."""
    if resolve_pointer(spec.document, pointer)[0]:
        return pointer
    matches = [p for p in spec.source_map.locations if p.endswith(pointer)]
    return matches[0] if len(matches) == 1 else pointer


def _schema_errors(document: dict[str, Any]) -> list[tuple[Any, str]]:
    """(the error's deepest cause, its message) of each validator error of `document`."""
    found = []
    for err in OpenAPIV30SpecValidator(document).iter_errors():
        message = str(getattr(err, "message", err))
        if message.startswith("Operation ID"):
            continue  # reported with its location by the operation-ids lint
        found.append((_deepest(err), message))
    return found


class _Units:
    """The document cut into parts the validator checks apart from each other: each path
    item with the components it reaches, and the rest (the top level and every component).
    A part's key digests its text and that of what it reaches, so that a part that passed
    before with the same key passes again (the validator's checks stay inside a part; the
    one check across paths, operation ids, is the operation-ids lint's)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        comps = document.get("components") or {}
        self.entries: dict[tuple[str, str], Any] = {
            (section, name): value
            for section, values in comps.items()
            if isinstance(values, dict) and not section.startswith("x-")
            for name, value in values.items()
        }
        self._digests = {k: digest(_dump(v)) for k, v in self.entries.items()}
        self._direct: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.top = {k: v for k, v in document.items() if k not in ("paths", "components")}
        self.top.setdefault("paths", {})
        self.always = {k for k in self.entries if k[0] == "securitySchemes"}

    def _refs(self, key: tuple[str, str]) -> list[tuple[str, str]]:
        if key not in self._direct:
            self._direct[key] = [k for k in component_refs(self.entries[key]) if k in self.entries]
        return self._direct[key]

    def reach(self, node: Any) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        todo = [*self.always, *(k for k in component_refs(node) if k in self.entries)]
        while todo:
            key = todo.pop()
            if key not in found:
                found.add(key)
                todo.extend(self._refs(key))
        return found

    def paths(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Path -> (the part's key, the document the validator checks for it)."""
        out = {}
        top = _dump(self.top)
        for path, item in (self.document.get("paths") or {}).items():
            reached = sorted(self.reach(item))
            key = digest("path", top, path, _dump(item), *(self._digests[k] for k in reached))
            comps: dict[str, dict[str, Any]] = {}
            for section, name in reached:
                comps.setdefault(section, {})[name] = self.entries[(section, name)]
            out[path] = (key, {**self.top, "paths": {path: item}, "components": comps})
        return out

    def rest(self) -> tuple[str, dict[str, Any]]:
        comps = self.document.get("components") or {}
        key = digest("rest", _dump(self.top), _dump(comps))
        return key, {**self.top, "paths": {}, "components": comps}


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


_STAGE = "valid"


def _cached_errors(spec: LoadedSpec, cache: StageCache) -> list[tuple[Any, str]]:
    """The validator's errors, checking again only the parts that did not pass before with
    the same text. When most parts are new (a first run), the whole document is checked
    once, which is faster than part by part; when it passes, every part is marked passed."""
    units = _Units(spec.document)
    parts = [units.rest(), *units.paths().values()]
    todo = [(key, doc) for key, doc in parts if cache.get(_STAGE, key) is None]
    if len(todo) * 4 > len(parts):
        errors = _schema_errors(spec.document)
        if not errors:
            for key, _ in parts:
                cache.put(_STAGE, key, "")
        return errors
    errors = []
    for key, doc in todo:
        found = _schema_errors(doc)
        if found:
            errors.extend(found)
        else:
            cache.put(_STAGE, key, "")
    return errors


def validate_openapi(spec: LoadedSpec, cache: StageCache | None = None) -> Findings:
    """Structural validation against the OpenAPI 3.0 schema, each error located."""
    findings = Findings()
    version = spec.document.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.0.")):
        findings.add(
            error(
                "openapi-version",
                f"expected an OpenAPI 3.0.x document, got openapi: {version!r}",
                spec.source_map.locate("/openapi"),
                "/openapi",
            )
        )
        return findings
    try:
        if cache is None:
            errors = _schema_errors(spec.document)
        else:
            errors = _cached_errors(spec, cache)
    except Exception as exc:  # the validator can trip over very broken input
        findings.add(
            error(
                "openapi-schema", f"the OpenAPI validator failed: {exc}", spec.source_map.locate("")
            )
        )
        return findings
    found: dict[str, str] = {}
    for deepest, _ in errors:
        pointer = _absolute(spec, _pointer(getattr(deepest, "absolute_path", None) or ()))
        text = str(getattr(deepest, "message", deepest)).splitlines()[0]
        found.setdefault(pointer, text if len(text) <= 160 else text[:157] + "...")
    for pointer, text in found.items():
        if any(other != pointer and other.startswith(pointer + "/") for other in found):
            continue  # a more precise finding lies below this one
        findings.add(error("openapi-schema", text, spec.source_map.locate(pointer), pointer))
    return findings


def validate(spec: LoadedSpec, cache: StageCache | None = None) -> Findings:
    """The validator's findings, then the lints'. With a cache (generate's), the parts of
    the spec that passed before unchanged are not checked again."""
    findings = validate_openapi(spec, cache)
    if findings.ok:
        try:
            findings.extend(lints.run_all(spec))
        except RecursionError:
            findings.add(
                error(
                    "nesting-too-deep",
                    "the spec nests too deeply to be checked",
                    spec.source_map.locate(""),
                )
            )
    return findings
