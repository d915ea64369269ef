"""The project's own rules on top of OpenAPI validity (spec/README.md says why each exists).

Each rule is a function over the loaded spec yielding findings; RULES names them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import referencing
import referencing.jsonschema
from openapi_schema_validator import OAS30Validator

from generator import discriminator_defaults, naming
from generator.diagnostics import Finding, error, warning
from generator.loader import LoadedSpec
from generator.openapi import (
    EDITION_KEY,
    ENTERPRISE,
    RawOperation,
    client_method_names,
    deref,
    error_code_schema,
    is_public,
    iter_operations,
    operation_parameters,
    operation_tag,
)
from generator.yamlsource import escape

Rule = Callable[[LoadedSpec], Iterator[Finding]]
_OPERATION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PAGINATION_STYLES = ("page", "cursor", "position")


def _at(spec: LoadedSpec, id: str, message: str, pointer: str, level: str = "error") -> Finding:
    make = error if level == "error" else warning
    return make(id, message, spec.source_map.locate(pointer), pointer)


def check_operation_ids(spec: LoadedSpec) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for op in iter_operations(spec.document):
        op_id = op.node.get("operationId")
        pointer = f"{op.pointer}/operationId"
        if not isinstance(op_id, str) or not op_id:
            yield _at(spec, "operation-id-missing", f"{op.label} has no operationId", op.pointer)
            continue
        if not _OPERATION_ID.match(op_id):
            yield _at(
                spec, "operation-id-style", f"operationId {op_id!r} is not snake_case", pointer
            )
        if op_id in seen:
            yield _at(
                spec,
                "operation-id-duplicate",
                f"operationId {op_id!r} is also used by {seen[op_id]}",
                pointer,
            )
        else:
            seen[op_id] = op.label


def check_tags_and_summary(spec: LoadedSpec) -> Iterator[Finding]:
    declared = {t.get("name") for t in spec.document.get("tags") or [] if isinstance(t, dict)}
    for op in iter_operations(spec.document):
        tags = op.node.get("tags") or []
        if len(tags) != 1:
            yield _at(
                spec,
                "tag-count",
                f"{op.label} must have exactly one tag, has {len(tags)}",
                op.pointer,
            )
        elif tags[0] not in declared:
            yield _at(
                spec,
                "tag-undeclared",
                f"tag {tags[0]!r} is not in the root's tags",
                f"{op.pointer}/tags/0",
            )
        if not str(op.node.get("summary") or "").strip():
            yield _at(spec, "summary-missing", f"{op.label} has no summary", op.pointer)


def _named(schema: Any) -> bool:
    """A body schema generators can name: a $ref, an array of one, a union of them, or a scalar."""
    if not isinstance(schema, dict):
        return False
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return _named(schema.get("items"))
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return all(_named(s) for s in schema[key])
    return schema.get("type") in ("string", "integer", "number", "boolean")


def _media(op: RawOperation, spec: LoadedSpec) -> Iterator[tuple[str, dict[str, Any]]]:
    body = deref(spec.document, op.node.get("requestBody"))
    if isinstance(body, dict):
        for media, content in (body.get("content") or {}).items():
            yield f"{op.pointer}/requestBody/content/{escape(media)}", content
    for status, response in (op.node.get("responses") or {}).items():
        resolved = deref(spec.document, response)
        if isinstance(resolved, dict):
            for media, content in (resolved.get("content") or {}).items():
                yield f"{op.pointer}/responses/{status}/content/{escape(media)}", content


def check_named_bodies(spec: LoadedSpec) -> Iterator[Finding]:
    for op in iter_operations(spec.document):
        for pointer, content in _media(op, spec):
            schema = content.get("schema") if isinstance(content, dict) else None
            if schema is not None and not _named(schema):
                yield _at(
                    spec,
                    "inline-body-schema",
                    f"{op.label}: body schemas must be a $ref to a named component (or an array of one)",
                    f"{pointer}/schema",
                )


def check_error_responses(spec: LoadedSpec) -> Iterator[Finding]:
    for op in iter_operations(spec.document):
        responses = op.node.get("responses") or {}
        if not any(str(s).startswith(("2", "3")) for s in responses):
            yield _at(
                spec,
                "success-response-missing",
                f"{op.label} declares no 2xx (or 3xx redirect) response",
                op.pointer,
            )
        body = deref(spec.document, op.node.get("requestBody")) or {}
        if any("json" in media for media in body.get("content") or {}) and "415" not in responses:
            yield _at(
                spec,
                "unsupported-media-type-missing",
                f"{op.label} takes a JSON body but declares no 415 (EMQX answers 415 to any other media type)",
                f"{op.pointer}/responses",
            )
        if not is_public(spec.document, op) and "401" not in responses:
            yield _at(
                spec,
                "unauthorized-missing",
                f"{op.label} needs credentials but declares no 401 response",
                f"{op.pointer}/responses",
            )


def check_error_codes(spec: LoadedSpec) -> Iterator[Finding]:
    schema = error_code_schema(spec.document)
    enum_ptr = "/components/schemas/ErrorCode"
    if schema is None:
        yield _at(
            spec,
            "error-enum-missing",
            "components/schemas/ErrorCode is missing",
            "/components/schemas",
        )
        return
    members = schema.get("enum") or []
    table = schema.get("x-emqx-error-codes") or {}
    if set(members) != set(table):
        missing = sorted(set(members) - set(table))
        extra = sorted(set(table) - set(members))
        yield _at(
            spec,
            "error-enum-table",
            f"x-emqx-error-codes must describe exactly the enum; missing {missing}, extra {extra}",
            f"{enum_ptr}/x-emqx-error-codes",
        )
    for code, info in table.items():
        ptr = f"{enum_ptr}/x-emqx-error-codes/{escape(code)}"
        if not isinstance(info, dict) or not info.get("description") or not info.get("statuses"):
            yield _at(
                spec, "error-code-incomplete", f"{code} needs a description and statuses", ptr
            )
    for op in iter_operations(spec.document):
        for status, response in (op.node.get("responses") or {}).items():
            resolved = deref(spec.document, response)
            codes = resolved.get("x-error-codes") if isinstance(resolved, dict) else None
            ptr = f"{op.pointer}/responses/{status}"
            if str(status)[0] in "45" and not codes and _is_error_body(resolved):
                yield _at(
                    spec, "error-codes-missing", f"{op.label} {status}: no x-error-codes", ptr
                )
            for code in codes or []:
                info = table.get(code) if isinstance(code, str) else None
                if not isinstance(info, dict):
                    yield _at(
                        spec,
                        "error-code-unknown",
                        f"{op.label} {status}: {code} is not in ErrorCode",
                        f"{ptr}/x-error-codes",
                    )
                elif int(status) not in (info.get("statuses") or []):
                    yield _at(
                        spec,
                        "error-code-status",
                        f"{op.label}: {code} is answered with {status}, but ErrorCode lists {info.get('statuses')}",
                        ptr,
                    )


def _is_error_body(response: Any) -> bool:
    content = (response or {}).get("content") or {}
    schema = (content.get("application/json") or {}).get("schema") or {}
    return schema.get("$ref") == "#/components/schemas/ErrorResponse"


def check_pagination(spec: LoadedSpec) -> Iterator[Finding]:
    for op in iter_operations(spec.document):
        pag = op.node.get("x-pagination")
        if pag is None:
            continue
        ptr = f"{op.pointer}/x-pagination"
        if not isinstance(pag, dict) or pag.get("style") not in _PAGINATION_STYLES:
            yield _at(
                spec,
                "pagination-style",
                f"x-pagination.style must be one of {_PAGINATION_STYLES}",
                ptr,
            )
            continue
        ok = deref(spec.document, (op.node.get("responses") or {}).get("200"))
        schema = deref(
            spec.document,
            ((ok or {}).get("content") or {}).get("application/json", {}).get("schema"),
        )
        props = (schema or {}).get("properties") or {}
        for key in ("items", "meta"):
            if pag.get(key) not in props:
                yield _at(
                    spec,
                    "pagination-field",
                    f"x-pagination.{key} {pag.get(key)!r} is not a property of the 200 body",
                    ptr,
                )
        names = {
            p["name"] for p in operation_parameters(spec.document, op) if p.get("in") == "query"
        }
        wanted = {
            "page": ("page", "limit"),
            "cursor": ("cursor", "limit"),
            "position": ("position", "limit"),
        }
        for name in wanted[pag["style"]]:
            if name not in names:
                yield _at(
                    spec,
                    "pagination-parameter",
                    f"{op.label}: {pag['style']} pagination needs query parameter {name!r}",
                    ptr,
                )


def _example_sites(spec: LoadedSpec) -> Iterator[tuple[str, Any, str]]:
    """(pointer of the schema, example, pointer of the example) for every example."""
    doc = spec.document
    for name, schema in ((doc.get("components") or {}).get("schemas") or {}).items():
        if isinstance(schema, dict) and "example" in schema:
            ptr = f"/components/schemas/{escape(name)}"
            yield ptr, schema["example"], f"{ptr}/example"
    for name, param in ((doc.get("components") or {}).get("parameters") or {}).items():
        if isinstance(param, dict) and "example" in param and "schema" in param:
            ptr = f"/components/parameters/{escape(name)}"
            yield f"{ptr}/schema", param["example"], f"{ptr}/example"
    for section in ("responses", "requestBodies"):
        for name, node in ((doc.get("components") or {}).get(section) or {}).items():
            yield from _content_examples(node, f"/components/{section}/{escape(name)}")
    for op in iter_operations(doc):
        for i, param in enumerate(op.node.get("parameters") or []):
            if isinstance(param, dict) and "example" in param and "schema" in param:
                ptr = f"{op.pointer}/parameters/{i}"
                yield f"{ptr}/schema", param["example"], f"{ptr}/example"
        yield from _content_examples(op.node.get("requestBody"), f"{op.pointer}/requestBody")
        for status, response in (op.node.get("responses") or {}).items():
            yield from _content_examples(response, f"{op.pointer}/responses/{status}")


def _content_examples(node: Any, pointer: str) -> Iterator[tuple[str, Any, str]]:
    """Examples of the media types of an inline request body or response (refs are skipped:
    they are checked where they are defined)."""
    if not isinstance(node, dict) or "$ref" in node:
        return
    for media, content in (node.get("content") or {}).items():
        if isinstance(content, dict) and "example" in content and "schema" in content:
            ptr = f"{pointer}/content/{escape(media)}"
            yield f"{ptr}/schema", content["example"], f"{ptr}/example"


def check_examples(spec: LoadedSpec) -> Iterator[Finding]:
    resource = referencing.Resource.from_contents(
        spec.document, default_specification=referencing.jsonschema.DRAFT4
    )
    registry: referencing.Registry[Any] = referencing.Registry().with_resource("urn:spec", resource)
    for schema_ptr, example, example_ptr in _example_sites(spec):
        validator = OAS30Validator({"$ref": f"urn:spec#{schema_ptr}"}, registry=registry)
        problem = next(
            iter(sorted(validator.iter_errors(example), key=lambda e: list(e.path))), None
        )
        if problem is not None:
            where = "".join(f"/{p}" for p in problem.path)
            yield _at(
                spec,
                "example-invalid",
                f"example does not fit its schema at {where or '/'}: {problem.message}",
                example_ptr,
            )


def _edition_sites(node: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    """Every `x-emqx-edition` in the document, with the pointer to its value."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{pointer}/{escape(str(key))}"
            if key == EDITION_KEY:
                yield value, child
            else:
                yield from _edition_sites(value, child)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _edition_sites(value, f"{pointer}/{index}")


def check_editions(spec: LoadedSpec) -> Iterator[Finding]:
    """`x-emqx-edition` marks what only the enterprise build has; its one value is
    `enterprise` (what both builds have carries no mark)."""
    for value, pointer in _edition_sites(spec.document, ""):
        if value != ENTERPRISE:
            yield _at(
                spec,
                "edition-value",
                f"{EDITION_KEY} is {value!r}; the only value is {ENTERPRISE!r}"
                " (leave it out for what both editions serve)",
                pointer,
            )


def check_discriminator_defaults(spec: LoadedSpec) -> Iterator[Finding]:
    """`x-emqx-discriminator` (a union whose discriminator may be absent): an `anyOf` of
    the mapped branches; its `default` names mapped values, and each branch
    it may pick takes its discriminator as optional, with that value as its default."""
    for name, message in discriminator_defaults.check(spec.document):
        yield _at(spec, "discriminator-default", message, f"/components/schemas/{name}")


def check_method_names(spec: LoadedSpec) -> Iterator[Finding]:
    """Client method names (generator/naming.py): no two operations of a resource share
    one, and a name that still repeats its resource's name says why (`x-emqx-method-reason`)."""
    pointers = {
        str(op.node.get("operationId")): op.pointer for op in iter_operations(spec.document)
    }
    try:
        names = client_method_names(spec.document)
    except naming.NamingError as exc:
        where = pointers.get(exc.operation_id, "/paths")
        yield _at(spec, "method-name", str(exc), where)
        return
    nouns = {
        str(t.get("name")): tuple(t.get(naming.NOUNS_KEY) or ())
        for t in spec.document.get("tags") or []
        if isinstance(t, dict)
    }
    for op in iter_operations(spec.document):
        op_id = str(op.node.get("operationId"))
        tag = operation_tag(op.node)
        name = names.get(op_id)
        if name is None or op.node.get(naming.METHOD_REASON_KEY):
            continue
        if naming.repeats_resource(name.call, naming.resource_phrases(tag, nouns.get(tag, ()))):
            yield _at(
                spec,
                "method-name-stutter",
                f"{op_id}'s client method `{naming.tag_module(tag)}.{name.call}` repeats its "
                f"resource's name; rename it ({naming.METHOD_KEY}) or say why "
                f"({naming.METHOD_REASON_KEY})",
                op.pointer,
            )


RULES: dict[str, Rule] = {
    "operation-ids": check_operation_ids,
    "tags-and-summary": check_tags_and_summary,
    "named-bodies": check_named_bodies,
    "error-responses": check_error_responses,
    "error-codes": check_error_codes,
    "pagination": check_pagination,
    "examples": check_examples,
    "editions": check_editions,
    "method-names": check_method_names,
    "discriminator-defaults": check_discriminator_defaults,
}


def run_all(spec: LoadedSpec) -> list[Finding]:
    """Every rule's findings. A rule that trips over a shape the OpenAPI schema allows but
    it did not expect reports that as a finding instead of stopping the run."""
    findings: list[Finding] = []
    for name, rule in RULES.items():
        try:
            findings.extend(rule(spec))
        except RecursionError:
            raise
        except Exception as exc:
            findings.append(
                error(
                    "lint-failed",
                    f"rule {name} could not check this spec: {type(exc).__name__}: {exc}",
                )
            )
    return findings
