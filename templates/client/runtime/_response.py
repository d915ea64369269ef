"""Raw answers: `client.<resource>.with_raw_response.<method>(...)`.

The method runs as usual (its body is parsed, errors raise as usual); the wrapper returns
an APIResponse holding the HTTP answer beside the parsed value. The request code records
each answer in a context variable that only a raw call sets, so ordinary calls pay nothing.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable
from typing import Generic, ParamSpec, TypeVar

import httpx

P = ParamSpec("P")
R = TypeVar("R")

_answers: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "emqx_client_answers", default=None
)


def record(response: httpx.Response) -> None:
    """Called by the request code with each answer it parses (a no-op outside a raw call)."""
    answers = _answers.get()
    if answers is not None:
        answers.append(response)


class APIResponse(Generic[R]):
    """An answer with its parsed value: `status_code`, `headers`, `parsed`, and the
    `http_response` itself (an httpx.Response)."""

    def __init__(self, http_response: httpx.Response, parsed: R) -> None:
        self.http_response = http_response
        self.parsed = parsed

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def url(self) -> httpx.URL:
        return self.http_response.request.url

    def __repr__(self) -> str:
        return f"APIResponse({self.method} {self.url.path}: {self.status_code}, parsed={self.parsed!r})"


def _last(answers: list[httpx.Response], name: str) -> httpx.Response:
    if not answers:
        raise RuntimeError(f"{name} sent no request")
    return answers[-1]


def to_raw(method: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        answers: list[httpx.Response] = []
        token = _answers.set(answers)
        try:
            parsed = method(*args, **kwargs)
        finally:
            _answers.reset(token)
        return APIResponse(_last(answers, method.__name__), parsed)

    return call


def to_raw_async(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[APIResponse[R]]]:
    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        answers: list[httpx.Response] = []
        token = _answers.set(answers)
        try:
            parsed = await method(*args, **kwargs)
        finally:
            _answers.reset(token)
        return APIResponse(_last(answers, method.__name__), parsed)

    return call
