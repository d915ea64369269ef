"""Validate a loaded spec: openapi-spec-validator first, then the project's own lints."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator

from generator import lints
from generator.diagnostics import Findings, error
from generator.loader import LoadedSpec
from generator.yamlsource import escape


def _pointer(parts: Any) -> str:
    return "".join(f"/{escape(str(p))}" for p in parts)


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
    seen: set[tuple[str, str]] = set()
    try:
        errors = list(OpenAPIV30SpecValidator(spec.document).iter_errors())
    except Exception as exc:  # the validator can trip over very broken input
        findings.add(error("openapi-schema", f"the OpenAPI validator failed: {exc}"))
        return findings
    for err in errors:
        path = getattr(err, "absolute_path", None) or getattr(err, "path", ())
        pointer = _pointer(path)
        message = str(getattr(err, "message", err)).splitlines()[0]
        if (pointer, message) in seen:
            continue
        seen.add((pointer, message))
        findings.add(error("openapi-schema", message, spec.source_map.locate(pointer), pointer))
    return findings


def validate(spec: LoadedSpec) -> Findings:
    findings = validate_openapi(spec)
    if findings.ok:
        findings.extend(lints.run_all(spec))
    return findings
