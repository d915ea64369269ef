"""Turning handler results into EMQX-shaped answers, and shared route dependencies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request, Response, UploadFile
from pydantic import TypeAdapter, ValidationError

from . import models
from .errors import ApiError

if TYPE_CHECKING:
    from .handlers import Handlers

ERROR_MODEL = models.ErrorResponse
_ANY: TypeAdapter[Any] = TypeAdapter(Any)


def handlers_of(request: Request) -> Handlers:
    handlers: Handlers = request.app.state.handlers
    return handlers


def to_json(value: Any) -> bytes:
    """Models by their wire names, leaving out fields the handler did not set."""
    return _ANY.dump_json(value, by_alias=True, exclude_unset=True)


@dataclass(frozen=True)
class UploadedFile:
    """A file of a multipart upload, read into memory."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Download:
    """A file to answer with; the route adds Content-Disposition when a name is given."""

    content: bytes
    filename: str | None = None
    media_type: str | None = None


class Answer:
    """A success body with a status other than the operation's first 2xx (EMQX's 202)."""

    def __init__(self, body: Any, status: int) -> None:
        self.body = body
        self.status = status


def respond(result: Any, status: int, media_type: str | None = None) -> Response:
    if isinstance(result, Response):
        return result
    if isinstance(result, Answer):
        return respond(result.body, result.status, media_type)
    if isinstance(result, Download):
        headers = (
            {"Content-Disposition": f'attachment; filename="{result.filename}"'}
            if result.filename
            else None
        )
        media = result.media_type or media_type or "application/octet-stream"
        return Response(result.content, status_code=status, media_type=media, headers=headers)
    if isinstance(result, bytes):
        return Response(
            result, status_code=status, media_type=media_type or "application/octet-stream"
        )
    if status == 204 or result is None:
        return Response(status_code=status if status == 204 else 200)
    if isinstance(result, str):
        return Response(result, status_code=status, media_type="text/plain")
    return Response(to_json(result), status_code=status, media_type="application/json")


def split_csv(value: str | None, tp: Any) -> Any:
    """Parse a comma-separated query value (`fields=a,b`) into the handler's list type."""
    if value is None:
        return None
    try:
        return TypeAdapter(tp).validate_python(value.split(","))
    except ValidationError as exc:
        raise ApiError(
            400, "BAD_REQUEST", f"invalid list {value!r}: {exc.errors()[0]['msg']}"
        ) from exc


async def require_json(request: Request) -> None:
    """EMQX answers 415 when a body is not sent as JSON."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "content-type:application/json Required")


def require_media(expected: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency answering 415 unless the body comes as `expected` (a text, a file)."""

    async def dependency(request: Request) -> None:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != expected.lower():
            raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", f"content-type:{expected} Required")

    return dependency


async def read_upload(upload: UploadFile) -> UploadedFile:
    content = await upload.read()
    return UploadedFile(
        upload.filename or "", content, upload.content_type or "application/octet-stream"
    )
