"""The client's exceptions: one class per HTTP status, each carrying the EMQX error code."""

from __future__ import annotations

from typing import Any

import httpx

from .models import ErrorCode


class EmqxError(Exception):
    """The base of every error this client raises."""


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
    """The broker answered with an error status. `code` is the EMQX error code."""

    status_code: int = 0

    def __init__(self, response: httpx.Response, body: Any) -> None:
        self.response = response
        self.status_code = response.status_code
        self.body = body
        raw_code = body.get("code") if isinstance(body, dict) else None
        self.code: ErrorCode | str | None = (
            ErrorCode(raw_code) if isinstance(raw_code, str) else None
        )
        raw_message = body.get("message") if isinstance(body, dict) else None
        self.message: Any = raw_message
        super().__init__(
            f"{self.status_code} {self.code or ''}: {raw_message or response.reason_phrase}".strip()
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, code={self.code!r}, message={self.message!r})"


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
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    return InternalServerError if status >= 500 else APIStatusError
