"""The rules of the API lifecycle (checks/lifecycle.py): stability levels (`x-stability-level`),
deprecation periods and `x-sunset` dates of operations, parameters and properties, and the
versioning policy of `info.version`. Ids and levels are oasdiff's; the deprecation periods
are its options (`--deprecation-days-beta`, `--deprecation-days-stable`, 0 by default)."""

from __future__ import annotations

from generator.diff.model import Direction, Level

ERR, WARN, INFO = Level.ERR, Level.WARN, Level.INFO
REQ, RESP, NONE = Direction.REQUEST, Direction.RESPONSE, Direction.NONE
_E, _P, _X = "endpoints", "parameters", "schemas"

TABLE_LIFECYCLE: tuple[tuple[str, Level, Direction, str, bool], ...] = (
    # operations
    ("api-deprecated-sunset-missing", ERR, NONE, _E, False),
    ("api-sunset-date-too-small", ERR, NONE, _E, False),
    ("api-invalid-stability-level", ERR, NONE, _E, False),
    ("api-stability-decreased", ERR, NONE, _E, False),
    ("api-stability-increased", INFO, NONE, _E, False),
    ("api-version-not-bumped", INFO, NONE, _E, False),
    ("api-version-decreased", INFO, NONE, _E, False),
    ("api-major-version-not-bumped", INFO, NONE, _E, False),
    # parameters
    ("request-parameter-deprecated-sunset-missing", ERR, REQ, _P, False),
    ("request-parameter-sunset-date-too-small", ERR, REQ, _P, False),
    ("request-parameter-sunset-deleted", ERR, REQ, _P, False),
    ("request-parameter-sunset-date-changed-too-small", ERR, REQ, _P, False),
    # properties
    ("request-property-deprecated", INFO, REQ, _X, False),
    ("request-property-deprecated-with-sunset", INFO, REQ, _X, False),
    ("request-property-deprecated-sunset-missing", ERR, REQ, _X, False),
    ("request-property-deprecated-sunset-invalid", ERR, REQ, _X, False),
    ("request-property-reactivated", INFO, REQ, _X, False),
    ("request-property-sunset-date-too-small", ERR, REQ, _X, False),
    ("request-property-stability-decreased", ERR, REQ, _X, False),
    ("request-property-stability-increased", INFO, REQ, _X, False),
    ("response-property-deprecated", INFO, RESP, _X, False),
    ("response-property-deprecated-with-sunset", INFO, RESP, _X, False),
    ("response-property-deprecated-sunset-missing", ERR, RESP, _X, False),
    ("response-property-deprecated-sunset-invalid", ERR, RESP, _X, False),
    ("response-property-reactivated", INFO, RESP, _X, False),
    ("response-property-sunset-date-too-small", ERR, RESP, _X, False),
    ("response-property-stability-decreased", ERR, RESP, _X, False),
    ("response-property-stability-increased", INFO, RESP, _X, False),
)
