"""Pages of a paginated list. Iterating a page walks every item of every later page.

`page.items` is that one page's items and `page.meta` its typed `meta` (a page has no
`len()`: iterating yields more than one page holds). An async list method returns an
AsyncPager: `await` it for the first page, or `async for` over it for every item.

EMQX pages three ways (`x-pagination.style` in the spec): `page` numbers with
`meta.hasnext`; an opaque `cursor` returned in `meta.cursor` (`/clients_v2`); and a
`position` returned in `meta.position` until it reads `end_of_data` (a client's queued
and in-flight messages).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic

from typing_extensions import TypeVar

T = TypeVar("T")
M = TypeVar("M", default=Any)  # the type of `meta`
_END = (None, "", "end_of_data")


class _PageBase(Generic[T, M]):
    items: list[T]
    """This page's items (iterating the page walks the later pages too)."""
    meta: M
    """This page's `meta`: counts, and where the next page starts."""

    def __init__(
        self, body: Any, *, items_field: str, meta_field: str, style: str, token: Any
    ) -> None:
        self.body = body
        self.items = list(getattr(body, items_field))
        self.meta = getattr(body, meta_field)
        self.style = style
        self.token = token

    def next_token(self) -> Any:
        """What the next request sends as its page, cursor or position; None at the end."""
        meta = self.meta
        if self.style == "cursor":
            # /clients_v2 sends `cursor` only while more remain (and no `hasnext`).
            cursor = getattr(meta, "cursor", None)
            hasnext = getattr(meta, "hasnext", None)
            return cursor if cursor not in _END and hasnext is not False else None
        if self.style == "position":
            position = getattr(meta, "position", None)
            position = getattr(position, "root", position)
            return position if self.items and position not in _END else None
        hasnext = getattr(meta, "hasnext", None)
        if hasnext is None:
            count, limit = getattr(meta, "count", None), getattr(meta, "limit", None)
            hasnext = bool(count is not None and limit and int(self.token) * limit < count)
        return int(self.token) + 1 if hasnext and self.items else None

    def has_next_page(self) -> bool:
        return self.next_token() is not None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.style}={self.token!r}, items on this page="
            f"{len(self.items)}, has_next={self.has_next_page()})"
        )


class SyncPage(_PageBase[T, M]):
    """One page; `for item in page` fetches later pages as it goes."""

    def __init__(self, body: Any, *, fetch: Callable[[Any], SyncPage[T, M]], **kwargs: Any) -> None:
        super().__init__(body, **kwargs)
        self._fetch = fetch

    def next_page(self) -> SyncPage[T, M]:
        token = self.next_token()
        if token is None:
            raise LookupError("no further page")
        return self._fetch(token)

    def iter_pages(self) -> Iterator[SyncPage[T, M]]:
        page: SyncPage[T, M] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_PageBase[T, M]):
    """One page; `async for item in page` fetches later pages as it goes."""

    def __init__(
        self, body: Any, *, fetch: Callable[[Any], Awaitable[AsyncPage[T, M]]], **kwargs: Any
    ) -> None:
        super().__init__(body, **kwargs)
        self._fetch = fetch

    async def next_page(self) -> AsyncPage[T, M]:
        token = self.next_token()
        if token is None:
            raise LookupError("no further page")
        return await self._fetch(token)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T, M]]:
        page: AsyncPage[T, M] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPager(Generic[T, M]):
    """What an async list method returns: `await` it for the first page, or iterate it
    with `async for` for every item of every page (no `await` needed)."""

    def __init__(self, first: Callable[[], Awaitable[AsyncPage[T, M]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[T, M]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item
