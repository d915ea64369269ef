"""Rules that tell apart variants of changes the main table already judges (a read-only
property, a loosely typed media type, an annotation-only allOf member, a header's object
properties, a media type renamed), and the document-level ones (webhooks, component
schemas, global security, OAuth flows). Ids and levels are oasdiff's."""

from __future__ import annotations

from generator.diff.model import Direction, Level

ERR, WARN, INFO = Level.ERR, Level.WARN, Level.INFO
REQ, RESP, NONE = Direction.REQUEST, Direction.RESPONSE, Direction.NONE
_E, _S, _P, _R, _X = "endpoints", "security", "parameters", "responses", "schemas"

TABLE_VARIANTS: tuple[tuple[str, Level, Direction, str, bool], ...] = (
    ("api-security-component-oauth-url-changed", INFO, NONE, _S, False),
    ("api-security-component-oauth-token-url-changed", INFO, NONE, _S, False),
    ("api-security-component-oauth-scope-added", INFO, NONE, _S, False),
    ("api-security-component-oauth-scope-removed", INFO, NONE, _S, False),
    ("api-security-component-oauth-scope-changed", INFO, NONE, _S, False),
    ("api-global-security-removed", INFO, NONE, _S, False),
    ("api-global-security-added", INFO, NONE, _S, False),
    ("api-global-security-scope-added", INFO, NONE, _S, False),
    ("api-global-security-scope-removed", INFO, NONE, _S, False),
    ("new-required-request-default-parameter-to-existing-path", ERR, REQ, _P, False),
    ("new-optional-request-default-parameter-to-existing-path", INFO, REQ, _P, False),
    ("new-request-path-parameter", ERR, REQ, _P, False),
    ("new-required-request-header-property", ERR, REQ, _P, False),
    ("request-header-property-became-enum", ERR, REQ, _P, False),
    ("request-header-property-became-required", ERR, REQ, _P, False),
    ("request-parameter-pattern-generalized", INFO, REQ, _P, False),
    ("request-parameter-x-extensible-enum-value-removed", ERR, REQ, _P, False),
    ("request-body-all-of-added-annotation-only", INFO, REQ, _X, False),
    ("request-body-all-of-removed-annotation-only", INFO, REQ, _X, False),
    ("request-property-all-of-added-annotation-only", INFO, REQ, _X, False),
    ("request-property-all-of-removed-annotation-only", INFO, REQ, _X, False),
    ("request-read-only-property-enum-value-removed", INFO, REQ, _X, False),
    ("request-read-only-property-max-decreased", INFO, REQ, _X, False),
    ("request-read-only-property-exclusive-max-decreased", INFO, REQ, _X, False),
    ("request-read-only-property-max-length-decreased", INFO, REQ, _X, False),
    ("request-read-only-property-min-increased", INFO, REQ, _X, False),
    ("request-read-only-property-exclusive-min-increased", INFO, REQ, _X, False),
    ("request-property-pattern-generalized", INFO, REQ, _X, False),
    ("request-property-became-required-with-default", ERR, REQ, _X, False),
    ("request-body-type-compatible", INFO, REQ, _X, False),
    ("request-property-type-compatible", INFO, REQ, _X, False),
    ("new-required-request-property-with-default", ERR, REQ, _X, False),
    ("request-body-wrapped-in-one-of", ERR, REQ, _X, False),
    ("request-property-x-extensible-enum-value-removed", ERR, REQ, _X, False),
    ("response-header-type-compatible", INFO, RESP, _X, False),
    ("response-media-type-name-changed", INFO, RESP, _R, False),
    ("response-media-type-name-generalized", ERR, RESP, _R, False),
    ("response-media-type-name-specialized", INFO, RESP, _R, False),
    ("response-body-all-of-added-annotation-only", INFO, RESP, _X, False),
    ("response-body-all-of-removed-annotation-only", INFO, RESP, _X, False),
    ("response-property-all-of-added-annotation-only", INFO, RESP, _X, False),
    ("response-property-all-of-removed-annotation-only", INFO, RESP, _X, False),
    ("response-write-only-property-enum-value-added", INFO, RESP, _X, False),
    ("response-body-type-compatible", INFO, RESP, _X, False),
    ("response-property-type-compatible", INFO, RESP, _X, False),
    ("response-body-wrapped-in-one-of", ERR, RESP, _X, False),
    ("webhook-added", INFO, NONE, _E, False),
    ("webhook-removed", ERR, NONE, _E, False),
    ("api-schema-removed", INFO, NONE, _E, False),
    ("request-parameter-property-list-of-types-widened", INFO, REQ, _P, False),
    ("request-parameter-property-list-of-types-narrowed", ERR, REQ, _P, False),
)
