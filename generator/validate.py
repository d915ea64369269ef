"""Validate a loaded spec: openapi-spec-validator first, then the project's own lints."""

from __future__ import annotations

from typing import Any

from jsonschema.exceptions import best_match
from openapi_spec_validator import OpenAPIV30SpecValidator

from generator import lints
from generator.diagnostics import Findings, error
from generator.loader import LoadedSpec, resolve_pointer
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


def validate_openapi(spec: LoadedSpec) -> Findings:
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
        errors = list(OpenAPIV30SpecValidator(spec.document).iter_errors())
    except Exception as exc:  # the validator can trip over very broken input
        findings.add(
            error(
                "openapi-schema", f"the OpenAPI validator failed: {exc}", spec.source_map.locate("")
            )
        )
        return findings
    found: dict[str, str] = {}
    for err in errors:
        message = str(getattr(err, "message", err))
        if message.startswith("Operation ID"):
            continue  # reported with its location by the operation-ids lint
        deepest = _deepest(err)
        pointer = _absolute(spec, _pointer(getattr(deepest, "absolute_path", None) or ()))
        text = str(getattr(deepest, "message", deepest)).splitlines()[0]
        found.setdefault(pointer, text if len(text) <= 160 else text[:157] + "...")
    for pointer, text in found.items():
        if any(other != pointer and other.startswith(pointer + "/") for other in found):
            continue  # a more precise finding lies below this one
        findings.add(error("openapi-schema", text, spec.source_map.locate(pointer), pointer))
    return findings


def validate(spec: LoadedSpec) -> Findings:
    findings = validate_openapi(spec)
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
