"""Runs last among the functional tests (pytest takes files in name order): every
operation of the spec must have been called through the client by some test, and no
exchange may have broken the spec."""

from __future__ import annotations

from typing import Any

from tests.functional.openapi_check import SpecChecker


def test_zz_every_operation_was_exercised(checker: SpecChecker, bundled: dict[str, Any]) -> None:
    from generator.openapi import iter_operations

    every = {op.node["operationId"] for op in iter_operations(bundled)}
    assert sorted(every - set(checker.seen)) == []
    assert checker.failures == []
