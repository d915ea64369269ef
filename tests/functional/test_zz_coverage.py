"""Runs last among the functional tests (pytest takes files in name order): every
operation of the spec must have been called through the client by some test, and no
exchange may have broken the spec. It judges the whole functional suite, so it skips
itself (saying why) when the session does not run every file of it, or (pytest-xdist)
runs part of it in another worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.functional.conftest import RAN
from tests.functional.openapi_check import SpecChecker

HERE = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def whole_suite(request: pytest.FixtureRequest) -> None:
    files = {path.name for path in HERE.glob("test_*.py")}
    mine = [item for item in request.session.items if item.path.resolve().parent == HERE]
    ran = {item.path.name for item in mine}
    if ran != files:
        pytest.skip(
            f"judges the whole functional suite; this session leaves out {len(files - ran)} "
            f"of its {len(files)} files"
        )
    # Under pytest-xdist every worker collects everything but runs its share: `make test`
    # keeps the folder on one worker (tests/conftest.py); another split is refused here.
    here = request.config.stash.get(RAN, set())
    this = Path(__file__).resolve()
    elsewhere = [i.nodeid for i in mine if i.nodeid not in here and i.path.resolve() != this]
    if elsewhere:
        pytest.skip(
            f"judges the whole functional suite; {len(elsewhere)} of its tests ran in another "
            "process (run pytest-xdist with --dist loadgroup, as `make test` does)"
        )


def test_zz_every_operation_was_exercised(checker: SpecChecker, bundled: dict[str, Any]) -> None:
    from generator.openapi import iter_operations

    every = {op.node["operationId"] for op in iter_operations(bundled)}
    assert sorted(every - set(checker.seen)) == []
    assert checker.failures == []


# Operations whose error answers the stub cannot be made to give, and why.
NO_ERROR_CASE = {
    "get_status": "503 only while the node is not running; the stub's node always is",
    "list_error_codes": "public, without parameters: it has no error answer",
    "list_running_sso_backends": "public, without parameters: it has no error answer",
}


def test_zz_every_operation_has_a_success_and_an_error_case(
    checker: SpecChecker, bundled: dict[str, Any]
) -> None:
    """Each operation was answered with a 2xx (or, for one that declares no 2xx, its 3xx
    redirect) and with an error (4xx/5xx) at least once."""
    from generator.openapi import iter_operations

    missing = []
    for op in iter_operations(bundled):
        statuses = checker.seen.get(op.node["operationId"], set())
        successes = range(200, 300) if _has_2xx(op.node) else range(300, 400)
        if not any(s in successes for s in statuses):
            missing.append((op.node["operationId"], "success", sorted(statuses)))
        if op.node["operationId"] not in NO_ERROR_CASE and not any(s >= 400 for s in statuses):
            missing.append((op.node["operationId"], "error", sorted(statuses)))
    assert missing == []


def _has_2xx(node: dict[str, Any]) -> bool:
    return any(str(status).startswith("2") for status in node.get("responses") or {})
