"""Page/limit slicing as EMQX's query helpers do it, with the `meta` they answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from ... import errors, models

T = TypeVar("T")

MAX_LIMIT = 10000


def check_pager(page: int, limit: int) -> None:
    """The parameter schema's bounds: page >= 1, 1 <= limit <= 10000."""
    if page < 1:
        raise errors.bad_request("page: must be at least 1", status=400)
    if limit < 1 or limit > MAX_LIMIT:
        raise errors.bad_request(f"limit: must be between 1 and {MAX_LIMIT}", status=400)


def paginate(
    items: Sequence[T], page: int, limit: int, *, with_count: bool = True
) -> tuple[list[T], models.PageMeta]:
    """One page of `items` and its meta; `count` (all matching items) only if `with_count`."""
    check_pager(page, limit)
    start = (page - 1) * limit
    chunk = list(items[start : start + limit])
    hasnext = len(items) > start + limit
    if with_count:
        meta = models.PageMeta(page=page, limit=limit, count=len(items), hasnext=hasnext)
    else:
        meta = models.PageMeta(page=page, limit=limit, hasnext=hasnext)
    return chunk, meta
