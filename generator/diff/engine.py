"""Run every check family over two loaded specs and return the changes, sorted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from generator.diff.checks import (
    document,
    endpoints,
    lifecycle,
    parameters,
    request_body,
    responses,
    security,
)
from generator.diff.context import Context, OpPair, Side
from generator.diff.model import Change, Policy
from generator.loader import LoadedSpec

OperationCheck = Callable[[Context, OpPair], None]

# One entry per family; a new family adds its check here. Spec-wide checks run once;
# operation checks run for every operation present in both documents; content checks
# only read the operation (and its path item), so they are skipped when its content,
# refs resolved, is the same on both sides.
SPEC_CHECKS: tuple[Callable[[Context], None], ...] = (security.check_spec, document.check_spec)
OPERATION_CHECKS: tuple[OperationCheck, ...] = (
    endpoints.check_operation,
    lifecycle.check_operation,
    security.check_operation,
)
CONTENT_CHECKS: tuple[OperationCheck, ...] = (
    parameters.check_operation,
    request_body.check_operation,
    responses.check_operation,
)


def compare(
    base: LoadedSpec, revision: LoadedSpec, today: date | None = None, policy: Policy | None = None
) -> list[Change]:
    """All changes from `base` to `revision`. `today` decides whether a sunset has passed,
    `policy` how long a deprecation must last before it."""
    ctx = Context(Side(base), Side(revision), today or date.today(), policy or Policy())
    for spec_check in SPEC_CHECKS:
        spec_check(ctx)
    for op in endpoints.matched_operations(ctx):
        for check in OPERATION_CHECKS:
            check(ctx, op)
        if not _same_content(ctx, op):
            for check in CONTENT_CHECKS:
                check(ctx, op)
    lifecycle.check_version(ctx)
    return ctx.result()


def _same_content(ctx: Context, op: OpPair) -> bool:
    return (
        op.path == op.base_path
        and ctx.base.digest(op.base) == ctx.rev.digest(op.rev)
        and ctx.base.digest(op.base_item.get("parameters"))
        == ctx.rev.digest(op.rev_item.get("parameters"))
    )
