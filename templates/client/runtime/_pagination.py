"""Pages of a paginated list. Iterating a page walks every item of every later page.

EMQX pages three ways (`x-pagination.style` in the spec): `page` numbers with
`meta.hasnext`; an opaque `cursor` returned in `meta.cursor` (`/clients_v2`); and a
`position` returned in `meta.position` until it reads `end_of_data` (a client's queued
and in-flight messages).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_END = (None, "", "end_of_data")


class _PageBase(Generic[T]):
    def __init__(
        self, body: Any, *, items_field: str, meta_field: str, style: str, token: Any
    ) -> None:
        self.body = body
        self.items: list[T] = list(getattr(body, items_field))
        self.meta: Any = getattr(body, meta_field)
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

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.style}={self.token!r}, items={len(self.items)}, has_next={self.has_next_page()})"


class SyncPage(_PageBase[T]):
    """One page; `for item in page` fetches later pages as it goes."""

    def __init__(self, body: Any, *, fetch: Callable[[Any], SyncPage[T]], **kwargs: Any) -> None:
        super().__init__(body, **kwargs)
        self._fetch = fetch

    def next_page(self) -> SyncPage[T]:
        token = self.next_token()
        if token is None:
            raise LookupError("no further page")
        return self._fetch(token)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        page: SyncPage[T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_PageBase[T]):
    """One page; `async for item in page` fetches later pages as it goes."""

    def __init__(
        self, body: Any, *, fetch: Callable[[Any], Awaitable[AsyncPage[T]]], **kwargs: Any
    ) -> None:
        super().__init__(body, **kwargs)
        self._fetch = fetch

    async def next_page(self) -> AsyncPage[T]:
        token = self.next_token()
        if token is None:
            raise LookupError("no further page")
        return await self._fetch(token)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        page: AsyncPage[T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item
