"""Pages of a paginated list. Iterating a page walks every item of every later page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class _PageBase(Generic[T]):
    def __init__(self, body: Any, *, items_field: str, meta_field: str, page: int) -> None:
        self.body = body
        self.items: list[T] = list(getattr(body, items_field))
        self.meta: Any = getattr(body, meta_field)
        self.page = page

    def has_next_page(self) -> bool:
        hasnext = getattr(self.meta, "hasnext", None)
        if hasnext is not None:
            return bool(hasnext)
        count, limit = getattr(self.meta, "count", None), getattr(self.meta, "limit", None)
        if count is None or not limit:
            return False
        return bool(self.page * limit < count)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(page={self.page}, items={len(self.items)}, has_next={self.has_next_page()})"


class SyncPage(_PageBase[T]):
    """One page; `for item in page` fetches later pages as it goes."""

    def __init__(self, body: Any, *, fetch: Callable[[int], SyncPage[T]], **kwargs: Any) -> None:
        super().__init__(body, **kwargs)
        self._fetch = fetch

    def next_page(self) -> SyncPage[T]:
        return self._fetch(self.page + 1)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        page: SyncPage[T] = self
        while True:
            yield page
            if not page.items or not page.has_next_page():
                return
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_PageBase[T]):
    """One page; `async for item in page` fetches later pages as it goes."""

    def __init__(
        self, body: Any, *, fetch: Callable[[int], Awaitable[AsyncPage[T]]], **kwargs: Any
    ) -> None:
        super().__init__(body, **kwargs)
        self._fetch = fetch

    async def next_page(self) -> AsyncPage[T]:
        return await self._fetch(self.page + 1)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        page: AsyncPage[T] = self
        while True:
            yield page
            if not page.items or not page.has_next_page():
                return
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item
