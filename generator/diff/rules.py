"""The registry of diff rules: id -> level, direction, family, origin; messages live apart.

Ids and default levels follow oasdiff's registry (checker/rules.go in oasdiff/oasdiff, read
at commit 4553c69d) wherever the same check exists, so ignore lists written for oasdiff keep
working. Rules marked `ours` have no oasdiff counterpart. The message and the "why it breaks
clients" line of every rule are data, in messages.yaml next to this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from generator.diff.model import Direction, Level
from generator.diff.rules_31 import ONLY_31, TABLE_31
from generator.diff.rules_lifecycle import TABLE_LIFECYCLE
from generator.diff.rules_variants import TABLE_VARIANTS

ERR, WARN, INFO = Level.ERR, Level.WARN, Level.INFO
REQ, RESP, NONE = Direction.REQUEST, Direction.RESPONSE, Direction.NONE
MESSAGES_FILE = Path(__file__).with_name("messages.yaml")


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    direction: Direction
    family: str
    ours: bool = False
    versions: str = "3.0, 3.1"  # the OpenAPI versions whose documents can show the change

    @property
    def origin(self) -> str:
        return "emqx-codegen" if self.ours else "oasdiff"

    @property
    def message(self) -> str:
        return str(messages()[self.id]["message"])

    @property
    def why(self) -> str:
        return str(messages()[self.id].get("why", ""))


_E, _S, _P, _B, _R, _X, _C = (
    "endpoints",
    "security",
    "parameters",
    "request-body",
    "responses",
    "schemas",
    "client",
)

_TABLE: tuple[tuple[str, Level, Direction, str, bool], ...] = (
    # the generated client (client_impact.py): a break of its Python surface that no HTTP
    # rule explains; INFO for HTTP, always breaking for the client
    ("client-interface-changed", INFO, NONE, _C, True),
    # endpoints: paths and operations (checks/endpoints.py)
    ("endpoint-added", INFO, NONE, _E, False),
    ("api-path-removed-without-deprecation", ERR, NONE, _E, False),
    ("api-path-removed-with-deprecation", INFO, NONE, _E, False),
    ("api-path-removed-before-sunset", ERR, NONE, _E, False),
    ("api-path-sunset-parse", ERR, NONE, _E, False),
    ("api-removed-without-deprecation", ERR, NONE, _E, False),
    ("api-removed-with-deprecation", INFO, NONE, _E, False),
    ("api-removed-before-sunset", ERR, NONE, _E, False),
    ("endpoint-deprecated", INFO, NONE, _E, False),
    ("endpoint-deprecated-with-sunset", INFO, NONE, _E, False),
    ("endpoint-reactivated", INFO, NONE, _E, False),
    ("api-deprecated-sunset-parse", ERR, NONE, _E, False),
    ("sunset-deleted", ERR, NONE, _E, False),
    ("api-sunset-date-changed-too-small", ERR, NONE, _E, False),
    ("api-operation-id-removed", INFO, NONE, _E, False),
    ("api-operation-id-added", INFO, NONE, _E, False),
    ("api-operation-id-changed", ERR, NONE, _E, True),
    ("api-tag-removed", INFO, NONE, _E, False),
    ("api-tag-added", INFO, NONE, _E, False),
    # security (checks/security.py)
    ("api-security-removed", INFO, NONE, _S, False),
    ("api-security-added", INFO, NONE, _S, False),
    ("api-security-scope-added", INFO, NONE, _S, False),
    ("api-security-scope-removed", INFO, NONE, _S, False),
    ("api-public-endpoint-secured", ERR, NONE, _S, True),
    ("api-endpoint-made-public", INFO, NONE, _S, True),
    ("api-security-component-added", INFO, NONE, _S, False),
    ("api-security-component-removed", INFO, NONE, _S, False),
    ("api-security-component-type-changed", INFO, NONE, _S, False),
    # parameters (checks/parameters.py)
    ("new-required-request-parameter", ERR, REQ, _P, False),
    ("new-optional-request-parameter", INFO, REQ, _P, False),
    ("request-parameter-removed", WARN, REQ, _P, False),
    ("request-parameter-removed-with-deprecation", INFO, REQ, _P, False),
    ("request-parameter-removed-before-sunset", ERR, REQ, _P, False),
    ("request-parameter-sunset-parse", ERR, REQ, _P, False),
    ("request-parameter-became-required", ERR, REQ, _P, False),
    ("request-parameter-became-optional", INFO, REQ, _P, False),
    ("request-parameter-deprecated", INFO, REQ, _P, False),
    ("request-parameter-reactivated", INFO, REQ, _P, False),
    ("request-parameter-in-changed", ERR, REQ, _P, True),
    ("request-parameter-renamed", ERR, REQ, _P, True),
    ("request-path-parameter-renamed", WARN, REQ, _P, True),
    # parameter schemas (checks/values.py, checks/constraints.py)
    ("request-parameter-type-changed", ERR, REQ, _P, False),
    ("request-parameter-type-generalized", INFO, REQ, _P, False),
    ("request-parameter-list-of-types-widened", INFO, REQ, _P, False),
    ("request-parameter-list-of-types-narrowed", ERR, REQ, _P, False),
    ("request-parameter-property-type-changed", WARN, REQ, _P, False),
    ("request-parameter-property-type-generalized", INFO, REQ, _P, False),
    ("request-parameter-property-type-specialized", ERR, REQ, _P, False),
    ("request-parameter-became-nullable", INFO, REQ, _P, False),
    ("request-parameter-became-not-nullable", ERR, REQ, _P, False),
    ("request-parameter-property-became-nullable", INFO, REQ, _P, False),
    ("request-parameter-property-became-not-nullable", ERR, REQ, _P, False),
    ("request-parameter-became-enum", ERR, REQ, _P, False),
    ("request-parameter-enum-value-added", INFO, REQ, _P, False),
    ("request-parameter-enum-value-removed", ERR, REQ, _P, False),
    ("request-parameter-property-enum-value-added", INFO, REQ, _P, False),
    ("request-parameter-property-enum-value-removed", ERR, REQ, _P, False),
    ("request-parameter-max-set", WARN, REQ, _P, False),
    ("request-parameter-max-decreased", ERR, REQ, _P, False),
    ("request-parameter-max-increased", INFO, REQ, _P, False),
    ("request-parameter-min-set", WARN, REQ, _P, False),
    ("request-parameter-min-increased", ERR, REQ, _P, False),
    ("request-parameter-min-decreased", INFO, REQ, _P, False),
    ("request-parameter-max-length-set", WARN, REQ, _P, False),
    ("request-parameter-max-length-decreased", ERR, REQ, _P, False),
    ("request-parameter-max-length-increased", INFO, REQ, _P, False),
    ("request-parameter-min-length-increased", ERR, REQ, _P, False),
    ("request-parameter-min-length-decreased", INFO, REQ, _P, False),
    ("request-parameter-max-items-decreased", ERR, REQ, _P, False),
    ("request-parameter-max-items-increased", INFO, REQ, _P, False),
    ("request-parameter-min-items-set", WARN, REQ, _P, False),
    ("request-parameter-min-items-increased", ERR, REQ, _P, False),
    ("request-parameter-min-items-decreased", INFO, REQ, _P, False),
    ("request-parameter-pattern-added", ERR, REQ, _P, False),
    ("request-parameter-pattern-removed", INFO, REQ, _P, False),
    ("request-parameter-pattern-changed", WARN, REQ, _P, False),
    ("request-parameter-default-value-added", ERR, REQ, _P, False),
    ("request-parameter-default-value-removed", ERR, REQ, _P, False),
    ("request-parameter-default-value-changed", ERR, REQ, _P, False),
    # request bodies (checks/request_body.py)
    ("request-body-added-required", ERR, REQ, _B, False),
    ("request-body-added-optional", INFO, REQ, _B, False),
    ("request-body-removed", ERR, REQ, _B, False),
    ("request-body-became-required", ERR, REQ, _B, False),
    ("request-body-became-optional", INFO, REQ, _B, False),
    ("request-body-media-type-added", INFO, REQ, _B, False),
    ("request-body-media-type-removed", ERR, REQ, _B, False),
    ("request-body-media-type-schema-added", ERR, REQ, _B, False),
    ("request-body-media-type-schema-removed", INFO, REQ, _B, False),
    # responses (checks/responses.py)
    ("response-success-status-removed", ERR, RESP, _R, False),
    ("response-success-status-added", INFO, RESP, _R, False),
    ("response-non-success-status-removed", INFO, RESP, _R, False),
    ("response-non-success-status-added", INFO, RESP, _R, False),
    ("response-media-type-removed", ERR, RESP, _R, False),
    ("response-media-type-added", INFO, RESP, _R, False),
    ("response-body-media-type-schema-added", INFO, RESP, _R, False),
    ("response-body-media-type-schema-removed", WARN, RESP, _R, False),
    ("required-response-header-removed", ERR, RESP, _R, False),
    ("optional-response-header-removed", WARN, RESP, _R, False),
    ("response-header-added", INFO, RESP, _R, False),
    ("response-header-became-optional", ERR, RESP, _R, False),
    ("response-header-type-changed", ERR, RESP, _R, False),
    ("response-header-type-generalized", ERR, RESP, _R, False),
    ("response-header-type-specialized", INFO, RESP, _R, False),
    ("response-header-became-nullable", ERR, RESP, _R, False),
    ("response-header-became-not-nullable", INFO, RESP, _R, False),
    # request schemas: bodies (top level) and properties (checks/schemas.py and friends)
    ("request-body-type-changed", ERR, REQ, _X, False),
    ("request-body-type-generalized", INFO, REQ, _X, False),
    ("request-property-type-changed", ERR, REQ, _X, False),
    ("request-property-type-generalized", INFO, REQ, _X, False),
    ("request-body-list-of-types-widened", INFO, REQ, _X, False),
    ("request-body-list-of-types-narrowed", ERR, REQ, _X, False),
    ("request-property-list-of-types-widened", INFO, REQ, _X, False),
    ("request-property-list-of-types-narrowed", ERR, REQ, _X, False),
    ("request-body-became-nullable", INFO, REQ, _X, False),
    ("request-body-became-not-nullable", ERR, REQ, _X, False),
    ("request-property-became-nullable", INFO, REQ, _X, False),
    ("request-property-became-not-nullable", ERR, REQ, _X, False),
    ("request-body-became-enum", ERR, REQ, _X, False),
    ("request-property-became-enum", ERR, REQ, _X, False),
    ("request-body-enum-value-removed", ERR, REQ, _X, False),
    ("request-property-enum-value-removed", ERR, REQ, _X, False),
    ("request-property-enum-value-added", INFO, REQ, _X, False),
    ("request-body-default-value-added", INFO, REQ, _X, False),
    ("request-body-default-value-removed", INFO, REQ, _X, False),
    ("request-body-default-value-changed", INFO, REQ, _X, False),
    ("request-property-default-value-added", INFO, REQ, _X, False),
    ("request-property-default-value-removed", INFO, REQ, _X, False),
    ("request-property-default-value-changed", INFO, REQ, _X, False),
    ("request-body-max-set", WARN, REQ, _X, False),
    ("request-body-max-decreased", ERR, REQ, _X, False),
    ("request-body-max-increased", INFO, REQ, _X, False),
    ("request-body-min-set", WARN, REQ, _X, False),
    ("request-body-min-increased", ERR, REQ, _X, False),
    ("request-body-min-decreased", INFO, REQ, _X, False),
    ("request-body-max-length-set", WARN, REQ, _X, False),
    ("request-body-max-length-decreased", ERR, REQ, _X, False),
    ("request-body-max-length-increased", INFO, REQ, _X, False),
    ("request-body-min-length-increased", ERR, REQ, _X, False),
    ("request-body-min-length-decreased", INFO, REQ, _X, False),
    ("request-body-max-items-set", ERR, REQ, _X, True),
    ("request-body-max-items-decreased", ERR, REQ, _X, True),
    ("request-body-max-items-increased", INFO, REQ, _X, True),
    ("request-body-min-items-set", WARN, REQ, _X, False),
    ("request-body-min-items-increased", ERR, REQ, _X, False),
    ("request-property-max-set", WARN, REQ, _X, False),
    ("request-property-max-decreased", ERR, REQ, _X, False),
    ("request-property-max-increased", INFO, REQ, _X, False),
    ("request-property-min-set", WARN, REQ, _X, False),
    ("request-property-min-increased", ERR, REQ, _X, False),
    ("request-property-min-decreased", INFO, REQ, _X, False),
    ("request-property-max-length-set", WARN, REQ, _X, False),
    ("request-property-max-length-decreased", ERR, REQ, _X, False),
    ("request-property-max-length-increased", INFO, REQ, _X, False),
    ("request-property-min-length-increased", ERR, REQ, _X, False),
    ("request-property-min-length-decreased", INFO, REQ, _X, False),
    ("request-property-max-items-set", ERR, REQ, _X, True),
    ("request-property-max-items-decreased", ERR, REQ, _X, True),
    ("request-property-max-items-increased", INFO, REQ, _X, True),
    ("request-property-min-items-set", WARN, REQ, _X, False),
    ("request-property-min-items-increased", ERR, REQ, _X, False),
    ("request-property-pattern-added", ERR, REQ, _X, False),
    ("request-property-pattern-removed", INFO, REQ, _X, False),
    ("request-property-pattern-changed", WARN, REQ, _X, False),
    ("new-required-request-property", ERR, REQ, _X, False),
    ("new-optional-request-property", INFO, REQ, _X, False),
    ("request-property-removed", WARN, REQ, _X, False),
    ("request-property-became-required", ERR, REQ, _X, False),
    ("request-property-became-optional", INFO, REQ, _X, False),
    ("request-optional-property-became-read-only", INFO, REQ, _X, False),
    ("request-optional-property-became-not-read-only", INFO, REQ, _X, False),
    ("request-optional-property-became-write-only", INFO, REQ, _X, False),
    ("request-optional-property-became-not-write-only", INFO, REQ, _X, False),
    ("request-required-property-became-read-only", INFO, REQ, _X, False),
    ("request-required-property-became-not-read-only", INFO, REQ, _X, False),
    ("request-required-property-became-write-only", INFO, REQ, _X, False),
    ("request-required-property-became-not-write-only", INFO, REQ, _X, False),
    ("request-body-one-of-added", INFO, REQ, _X, False),
    ("request-body-one-of-removed", ERR, REQ, _X, False),
    ("request-body-any-of-added", INFO, REQ, _X, False),
    ("request-body-any-of-removed", ERR, REQ, _X, False),
    ("request-body-all-of-added", ERR, REQ, _X, False),
    ("request-body-all-of-removed", WARN, REQ, _X, False),
    ("request-body-discriminator-added", INFO, REQ, _X, False),
    ("request-body-discriminator-removed", INFO, REQ, _X, False),
    ("request-body-discriminator-property-name-changed", INFO, REQ, _X, False),
    ("request-body-discriminator-mapping-added", INFO, REQ, _X, False),
    ("request-body-discriminator-mapping-deleted", INFO, REQ, _X, False),
    ("request-body-discriminator-mapping-changed", INFO, REQ, _X, False),
    ("request-property-one-of-added", INFO, REQ, _X, False),
    ("request-property-one-of-removed", ERR, REQ, _X, False),
    ("request-property-any-of-added", INFO, REQ, _X, False),
    ("request-property-any-of-removed", ERR, REQ, _X, False),
    ("request-property-all-of-added", ERR, REQ, _X, False),
    ("request-property-all-of-removed", WARN, REQ, _X, False),
    ("request-property-discriminator-added", INFO, REQ, _X, False),
    ("request-property-discriminator-removed", INFO, REQ, _X, False),
    ("request-property-discriminator-property-name-changed", INFO, REQ, _X, False),
    ("request-property-discriminator-mapping-added", INFO, REQ, _X, False),
    ("request-property-discriminator-mapping-deleted", INFO, REQ, _X, False),
    ("request-property-discriminator-mapping-changed", INFO, REQ, _X, False),
    ("request-additional-properties-disallowed", ERR, REQ, _X, True),
    # response schemas: bodies (top level) and properties
    ("response-body-type-changed", ERR, RESP, _X, False),
    ("response-body-type-generalized", ERR, RESP, _X, False),
    ("response-body-type-specialized", INFO, RESP, _X, False),
    ("response-body-list-of-types-widened", ERR, RESP, _X, False),
    ("response-body-list-of-types-narrowed", INFO, RESP, _X, False),
    ("response-body-became-nullable", ERR, RESP, _X, False),
    ("response-body-became-not-nullable", INFO, RESP, _X, False),
    ("response-property-type-changed", ERR, RESP, _X, False),
    ("response-property-type-generalized", ERR, RESP, _X, False),
    ("response-property-type-specialized", INFO, RESP, _X, False),
    ("response-property-list-of-types-widened", ERR, RESP, _X, False),
    ("response-property-list-of-types-narrowed", INFO, RESP, _X, False),
    ("response-property-became-nullable", ERR, RESP, _X, False),
    ("response-property-became-not-nullable", INFO, RESP, _X, False),
    ("response-property-enum-value-added", WARN, RESP, _X, False),
    ("response-property-enum-value-removed", INFO, RESP, _X, False),
    ("response-mediatype-enum-value-removed", INFO, RESP, _X, False),
    ("response-body-default-value-added", INFO, RESP, _X, False),
    ("response-body-default-value-removed", INFO, RESP, _X, False),
    ("response-body-default-value-changed", INFO, RESP, _X, False),
    ("response-property-default-value-added", INFO, RESP, _X, False),
    ("response-property-default-value-removed", INFO, RESP, _X, False),
    ("response-property-default-value-changed", INFO, RESP, _X, False),
    ("response-body-max-increased", ERR, RESP, _X, False),
    ("response-body-min-decreased", ERR, RESP, _X, False),
    ("response-body-max-length-increased", ERR, RESP, _X, False),
    ("response-body-max-length-unset", ERR, RESP, _X, False),
    ("response-body-min-length-decreased", ERR, RESP, _X, False),
    ("response-body-min-items-decreased", ERR, RESP, _X, False),
    ("response-body-min-items-unset", ERR, RESP, _X, False),
    ("response-body-max-items-increased", ERR, RESP, _X, True),
    ("response-property-max-increased", ERR, RESP, _X, False),
    ("response-property-min-decreased", ERR, RESP, _X, False),
    ("response-property-max-length-increased", ERR, RESP, _X, False),
    ("response-property-max-length-unset", ERR, RESP, _X, False),
    ("response-property-min-length-decreased", ERR, RESP, _X, False),
    ("response-property-min-items-decreased", ERR, RESP, _X, False),
    ("response-property-min-items-unset", ERR, RESP, _X, False),
    ("response-property-max-items-increased", ERR, RESP, _X, True),
    ("response-property-pattern-added", INFO, RESP, _X, False),
    ("response-property-pattern-changed", INFO, RESP, _X, False),
    ("response-property-pattern-removed", INFO, RESP, _X, False),
    ("response-required-property-removed", ERR, RESP, _X, False),
    ("response-optional-property-removed", WARN, RESP, _X, False),
    ("response-required-write-only-property-removed", INFO, RESP, _X, False),
    ("response-optional-write-only-property-removed", INFO, RESP, _X, False),
    ("response-required-property-added", INFO, RESP, _X, False),
    ("response-optional-property-added", INFO, RESP, _X, False),
    ("response-required-write-only-property-added", INFO, RESP, _X, False),
    ("response-optional-write-only-property-added", INFO, RESP, _X, False),
    ("response-property-became-optional", ERR, RESP, _X, False),
    ("response-write-only-property-became-optional", INFO, RESP, _X, False),
    ("response-property-became-required", INFO, RESP, _X, False),
    ("response-write-only-property-became-required", INFO, RESP, _X, False),
    ("response-optional-property-became-read-only", INFO, RESP, _X, False),
    ("response-optional-property-became-not-read-only", INFO, RESP, _X, False),
    ("response-optional-property-became-write-only", INFO, RESP, _X, False),
    ("response-optional-property-became-not-write-only", INFO, RESP, _X, False),
    ("response-required-property-became-read-only", INFO, RESP, _X, False),
    ("response-required-property-became-not-read-only", INFO, RESP, _X, False),
    ("response-required-property-became-write-only", INFO, RESP, _X, False),
    ("response-required-property-became-not-write-only", WARN, RESP, _X, False),
    ("response-body-one-of-added", ERR, RESP, _X, False),
    ("response-body-one-of-removed", INFO, RESP, _X, False),
    ("response-body-any-of-added", INFO, RESP, _X, False),
    ("response-body-any-of-removed", INFO, RESP, _X, False),
    ("response-body-all-of-added", INFO, RESP, _X, False),
    ("response-body-all-of-removed", INFO, RESP, _X, False),
    ("response-body-discriminator-added", INFO, RESP, _X, False),
    ("response-body-discriminator-removed", INFO, RESP, _X, False),
    ("response-body-discriminator-property-name-changed", INFO, RESP, _X, False),
    ("response-body-discriminator-mapping-added", INFO, RESP, _X, False),
    ("response-body-discriminator-mapping-deleted", INFO, RESP, _X, False),
    ("response-body-discriminator-mapping-changed", INFO, RESP, _X, False),
    ("response-property-one-of-added", ERR, RESP, _X, False),
    ("response-property-one-of-removed", INFO, RESP, _X, False),
    ("response-property-any-of-added", INFO, RESP, _X, False),
    ("response-property-any-of-removed", INFO, RESP, _X, False),
    ("response-property-all-of-added", INFO, RESP, _X, False),
    ("response-property-all-of-removed", INFO, RESP, _X, False),
    ("response-property-discriminator-added", INFO, RESP, _X, False),
    ("response-property-discriminator-removed", INFO, RESP, _X, False),
    ("response-property-discriminator-property-name-changed", INFO, RESP, _X, False),
    ("response-property-discriminator-mapping-added", INFO, RESP, _X, False),
    ("response-property-discriminator-mapping-deleted", INFO, RESP, _X, False),
    ("response-property-discriminator-mapping-changed", INFO, RESP, _X, False),
    ("response-additional-properties-allowed", WARN, RESP, _X, True),
)


@cache
def registry() -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    tables = (
        (_TABLE, "3.0, 3.1"),
        (TABLE_LIFECYCLE, "3.0, 3.1"),
        (TABLE_VARIANTS, "3.0, 3.1"),
        (TABLE_31, "3.1"),
    )
    for table, versions in tables:
        for rule_id, level, direction, family, ours in table:
            assert rule_id not in out, f"duplicate rule {rule_id}"
            only_31 = versions == "3.1" or rule_id in ONLY_31
            out[rule_id] = Rule(
                rule_id, level, direction, family, ours, "3.1" if only_31 else versions
            )
    return out


@cache
def messages() -> dict[str, dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(MESSAGES_FILE.read_text(encoding="utf-8"), Loader=loader)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def rule(rule_id: str) -> Rule:
    return registry()[rule_id]


def exists(rule_id: str) -> bool:
    return rule_id in registry()
