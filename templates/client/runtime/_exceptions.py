"""The client's exceptions: one class per HTTP status, each carrying the EMQX error code.

Every error the client raises is an `EmqxError`: a request it refuses to send
(`RequestValidationError`), options it cannot work with (`ClientOptionsError`), no answer
(`APIConnectionError`), an answer off the spec (`APIResponseValidationError`) or an error
status (`APIStatusError` and its subclasses)."""

from __future__ import annotations

from typing import Any

import httpx

from .models import ErrorCode


class EmqxError(Exception):
    """The base of every error this client raises."""


class ClientOptionsError(EmqxError, ValueError):
    """The client was made with options it cannot work with (an API key without its
    secret, or a secret without its key)."""


class RequestValidationError(EmqxError, ValueError):
    """A request the client refused to send: its body or arguments do not match the spec.
    `errors` lists the problems as `where: what` lines; the message shows the first ones."""

    def __init__(self, operation: str, errors: list[str]) -> None:
        self.operation = operation
        self.errors = errors
        shown = "; ".join(errors[:3]) + (f"; and {len(errors) - 3} more" if len(errors) > 3 else "")
        super().__init__(f"{operation}: not sent: {shown}" if operation else f"not sent: {shown}")


class APIConnectionError(EmqxError):
    """The request did not get an answer: the connection failed or broke."""

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request took longer than its timeout."""

    def __init__(self, *, request: httpx.Request) -> None:
        super().__init__("request timed out", request=request)


class APIResponseValidationError(EmqxError):
    """A 2xx answer that does not match the spec, raised only by a client made with
    `strict_response_validation=True` (by default the client reads such an answer
    tolerantly). `errors` lists what disagreed, as `path: what` lines."""

    def __init__(
        self, response: httpx.Response, *, method: str, path: str, errors: list[str]
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.method = method
        self.path = path
        self.errors = errors
        shown = "; ".join(errors[:5]) + (f"; and {len(errors) - 5} more" if len(errors) > 5 else "")
        super().__init__(f"{method} {path}: the answer does not match the spec: {shown}")


class APIStatusError(EmqxError):
    """The broker answered with an error status. `code` is the EMQX error code (None when
    the body has none), `message` EMQX's message, `method` and `path` the request's."""

    status_code: int = 0

    def __init__(self, response: httpx.Response, body: Any) -> None:
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.method = response.request.method
        self.path = response.request.url.path
        raw_code = body.get("code") if isinstance(body, dict) else None
        self.code: ErrorCode | str | None = (
            ErrorCode(raw_code) if isinstance(raw_code, str) else None
        )
        raw_message = body.get("message") if isinstance(body, dict) else None
        self.message: Any = raw_message
        super().__init__(self._describe(body))

    def _describe(self, body: Any) -> str:
        head = f"{self.method} {self.path}: {self.status_code}"
        if self.code is not None:
            head += f" {self.code}"
        elif self.response.reason_phrase:
            head += f" {self.response.reason_phrase}"
        detail = self.message
        if detail is None and isinstance(body, str) and body.strip():
            detail = " ".join(body.split())[:200]
        text = f"{head}: {detail}" if detail not in (None, "") else head
        hint = _missing_prefix_hint(self)
        return f"{text} ({hint})" if hint else text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(method={self.method!r}, path={self.path!r}, "
            f"status_code={self.status_code}, code={self.code!r}, message={self.message!r})"
        )


def _missing_prefix_hint(error: APIStatusError) -> str:
    """A 404 that is not one of EMQX's own (no code, or the router's bare `Not Found`) on a
    URL without `/api/v5`: the usual cause is a base_url without the API prefix."""
    if error.status_code != 404 or "/api/v5" in error.path:
        return ""
    if error.code is not None and error.message not in (None, "", "Not Found"):
        return ""
    return "is /api/v5 missing from base_url? The API is served under http://host:18083/api/v5"


class BadRequestError(APIStatusError):
    status_code = 400


class AuthenticationError(APIStatusError):
    status_code = 401


class PermissionDeniedError(APIStatusError):
    status_code = 403


class NotFoundError(APIStatusError):
    status_code = 404


class ConflictError(APIStatusError):
    status_code = 409


class PayloadTooLargeError(APIStatusError):
    status_code = 413


class UnsupportedMediaTypeError(APIStatusError):
    status_code = 415


class UnprocessableEntityError(APIStatusError):
    status_code = 422


class RateLimitError(APIStatusError):
    status_code = 429


class InternalServerError(APIStatusError):
    """Any 5xx answer."""

    status_code = 500


class ServiceUnavailableError(InternalServerError):
    status_code = 503


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    return InternalServerError if status >= 500 else APIStatusError
