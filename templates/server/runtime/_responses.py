"""Turning handler results into EMQX-shaped answers, and shared route dependencies."""

from __future__ import annotations

import functools
import inspect
import json
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import Request, Response, params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30Validator
from pydantic import TypeAdapter, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from starlette.datastructures import UploadFile

from . import models
from ._schema_check import Check, SchemaCompiler
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


@dataclass(frozen=True)
class Redirect:
    """A 302 sending the browser to `location`, with the text body EMQX sends beside it."""

    location: str
    status: int = 302


class Prerendered:
    """A body that may already hold its JSON text as `to_json` writes it (a page of
    cached records): the answer then sends that text instead of serializing again."""

    def rendered_json(self) -> bytes | None:
        """The body's JSON text, or None to serialize it the usual way."""
        return None


def respond(result: Any, status: int, media_type: str | None = None) -> Response:
    if isinstance(result, Response):
        return result
    if isinstance(result, Prerendered):
        rendered = result.rendered_json()
        if rendered is not None:
            return Response(rendered, status_code=status, media_type="application/json")
    if isinstance(result, Redirect):
        moved = {"Location": result.location, "Cache-Control": "no-cache", "Pragma": "no-cache"}
        return Response(
            "Redirecting...", status_code=result.status, media_type="text/plain", headers=moved
        )
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
        text = media_type if media_type and media_type.startswith("text/") else "text/plain"
        return Response(result, status_code=status, media_type=text)
    return Response(to_json(result), status_code=status, media_type="application/json")


@functools.cache
def _adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def checked(name: str, value: Any, tp: Any) -> Any:
    """Validate a parsed parameter against its exact type (a named scalar's limits, an
    integer enum) and hand it on as parsed; a mismatch is EMQX's 400 BAD_REQUEST."""
    if value is None:
        return None
    if isinstance(value, str) and value.lstrip("-").isdigit():
        value = int(value)  # query text that is a number is a number (not a Unix-time string)
    try:
        # strict JSON semantics: a number is not taken for a Unix time, nor text for a number
        _adapter(tp).validate_json(json.dumps(value, default=str), strict=True)
        return value
    except ValidationError as exc:
        raise ApiError(400, "BAD_REQUEST", f"{name}: {exc.errors()[0]['msg']}") from exc


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


_NO_JSON: Any = object()  # no JSON body to hand on (none sent, or not parsed)


async def _checked_json(request: Request, path: str, method: str) -> Any:
    """An operation's JSON body as EMQX takes it, parsed: 415 UNSUPPORTED_MEDIA_TYPE when
    it is not sent as JSON (no body at all skips the check, as in EMQX), then the body
    checked against the spec's own schema, so what pydantic would let through (a null where
    the spec allows none) is refused with 400 BAD_REQUEST too. `path` is the operation's
    path template, with or without the base path. Answers `_NO_JSON` when there is no body
    or it is not JSON: FastAPI then reads it and answers as it does."""
    try:
        raw = await request.body()
    except Exception:  # FastAPI reads the body next and answers the failure
        return _NO_JSON
    if not raw:
        return _NO_JSON
    # EMQX takes any content type that starts with application/json, nothing else
    if not request.headers.get("content-type", "").lower().startswith("application/json"):
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "content-type:application/json Required")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return _NO_JSON  # FastAPI parses it next and answers 400 BAD_REQUEST
    _check_against_spec(request, path, method, raw, data)
    return data


class CheckedBodyRoute(APIRoute):
    """The generated routes' class: a route whose handler takes a JSON body checks it
    with `_checked_json` before FastAPI reads it into the handler's model, as a
    dependency would, without FastAPI's dependency machinery on every request.

    A handler taking only the request and its body (`publish`, most creates) is called
    directly once the body is checked: the body validated into the handler's type by the
    route's own body field, with the errors FastAPI would raise. Anything else (no body,
    a body that is not JSON, another media type) goes through FastAPI as before."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        field, methods = self.body_field, sorted(self.methods or ())
        if field is None or isinstance(field.field_info, params.Form) or len(methods) != 1:
            return handle
        path, method = self.path, methods[0].lower()
        direct = self._direct_call()

        async def checked(request: Request) -> Response:
            data = await _checked_json(request, path, method)
            if data is _NO_JSON:
                return await handle(request)
            if direct is None or not _plain_json(request):
                request._json = data  # FastAPI's request.json() takes it instead of parsing again
                return await handle(request)
            return await direct(request, data)

        return checked

    def _direct_call(self) -> Callable[[Request, Any], Awaitable[Response]] | None:
        """How to call the handler without FastAPI's dependency solving, when all it takes
        is the request and one JSON body and it answers a Response; None otherwise."""
        dependant, field = self.dependant, self.body_field
        others = (
            dependant.path_params,
            dependant.query_params,
            dependant.header_params,
            dependant.cookie_params,
            dependant.dependencies,
        )
        names = (
            dependant.websocket_param_name,
            dependant.http_connection_param_name,
            dependant.response_param_name,
            dependant.background_tasks_param_name,
            dependant.security_scopes_param_name,
        )
        endpoint = dependant.call
        if (
            field is None
            or any(others)
            or any(names)
            or len(dependant.body_params) != 1
            or self._embed_body_fields
            or dependant.request_param_name is None
            or endpoint is None
            or not inspect.iscoroutinefunction(endpoint)
            or getattr(endpoint, "__annotations__", {}).get("return") not in (Response, "Response")
        ):
            return None
        request_name, body_name = dependant.request_param_name, dependant.body_params[0].name

        async def direct(request: Request, data: Any) -> Response:
            value, errors = field.validate(data, {}, loc=("body",))
            if errors:
                raise RequestValidationError(errors, body=data)
            response = await endpoint(**{request_name: request, body_name: value})
            if not isinstance(response, Response):
                raise TypeError(
                    f"{self.path}: the handler answered {type(response).__name__}, not a Response"
                )
            return response

        return direct


def _plain_json(request: Request) -> bool:
    """Whether the body is sent as `application/json` exactly (parameters aside), the one
    media type the direct call takes; others go through FastAPI's own reading."""
    media = request.headers.get("content-type", "").partition(";")[0]
    return media.strip().lower() == "application/json"


_SURROGATE_ESCAPE = re.compile(rb"\\[uU][dD][89a-fA-F]")


def _refuse_lone_surrogates(raw: bytes, data: Any) -> None:
    """A JSON body whose strings hold a `\\uD800`-style escape that is not half of a pair is
    not Unicode text: EMQX's JSON decoder refuses it (400 BAD_REQUEST), and nothing could
    show such a string again. Only a body with such an escape is looked at twice."""
    if _SURROGATE_ESCAPE.search(raw) is None:
        return
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        message = "body: JSON decode error, a string holds a lone UTF-16 surrogate"
        raise ApiError(400, "BAD_REQUEST", message) from None


def _check_against_spec(request: Request, path: str, method: str, raw: bytes, data: Any) -> None:
    """A JSON body (`raw`, parsed as `data`) as EMQX takes it: Unicode text, then the
    spec's schema of the operation's body."""
    _refuse_lone_surrogates(raw, data)
    bodies: SpecBodies = request.app.state.bodies
    checks = bodies.get(path.removeprefix(bodies.prefix), method)
    if checks is None or checks.quick(data):
        return
    validator = checks.validator
    try:
        problem = best_match(validator.iter_errors(data))
    except Exception:  # the validator itself trips over some shapes (a list as discriminator)
        raise ApiError(400, "BAD_REQUEST", "body: does not match the schema") from None
    if problem is not None:
        where = "/".join(str(p) for p in problem.absolute_path) or "body"
        raise ApiError(400, "BAD_REQUEST", f"{where}: {problem.message}")


@dataclass(frozen=True)
class Sent:
    """What came with an operation that takes a JSON body or a multipart upload: the
    parsed body, or the parts of the form (files read into memory, text fields as text)."""

    body: Any = None
    parts: dict[str, Any] = field(default_factory=dict)


async def json_or_upload(
    request: Request, path: str, method: str, annotation: Any, file_field: str
) -> Sent:
    """Read the body of an operation that takes JSON or a multipart upload of `file_field`,
    as EMQX does: a body sent as JSON is checked against the spec and parsed into
    `annotation`; anything else must be a form carrying the file, or it is a 400."""
    media = request.headers.get("content-type", "").lower()
    if not media.startswith("application/json"):
        parts: dict[str, Any] = {}
        if media.startswith("multipart/form-data"):
            for name, value in (await request.form()).multi_items():
                parts[name] = await read_upload(value) if isinstance(value, UploadFile) else value
        if not isinstance(parts.get(file_field), UploadedFile):
            raise ApiError(400, "BAD_REQUEST", f"Missing required parameter: {file_field}")
        return Sent(parts=parts)
    raw = await request.body()
    try:
        data = json.loads(raw)
    except ValueError:
        raise ApiError(400, "BAD_REQUEST", "the body is not JSON") from None
    _check_against_spec(request, path, method, raw, data)
    try:
        return Sent(body=_adapter(annotation).validate_python(data))
    except ValidationError as exc:
        raise ApiError(400, "BAD_REQUEST", f"body: {exc.errors()[0]['msg']}") from exc


@dataclass(frozen=True)
class BodyChecks:
    """An operation's JSON body schema, as a quick compiled check that answers most bodies
    (`_schema_check`) and the validator that decides the rest and words the error."""

    quick: Check
    validator: Any


class SpecBodies:
    """The JSON body checks of a spec's operations, each made on first use (refs resolved
    in the spec); one per app, whose routes live under `prefix`."""

    def __init__(self, spec: dict[str, Any], prefix: str = "") -> None:
        self.spec = spec
        self.prefix = prefix
        self._compiler = SchemaCompiler(spec)
        self._registry: Registry[Any] | None = None
        self._checks: dict[tuple[str, str], BodyChecks | None] = {}

    def get(self, path: str, method: str) -> BodyChecks | None:
        """The checks of `method path`; None when it declares no JSON body schema."""
        key = (path, method)
        if key not in self._checks:
            self._checks[key] = self._make(path, method)
        return self._checks[key]

    def _make(self, path: str, method: str) -> BodyChecks | None:
        spec = self.spec
        body = spec["paths"][path][method].get("requestBody") or {}
        pointer = "/paths/" + path.replace("~", "~0").replace("/", "~1") + f"/{method}/requestBody"
        if "$ref" in body:
            pointer = body["$ref"].lstrip("#")
            body = spec["components"]["requestBodies"][pointer.rsplit("/", 1)[-1]]
        media = (body.get("content") or {}).get("application/json") or {}
        if "schema" not in media:
            return None
        if self._registry is None:
            resource = Resource.from_contents(spec, default_specification=DRAFT4)
            self._registry = Registry().with_resource("urn:emqx-spec", resource)
        ref = f"urn:emqx-spec#{pointer}/content/application~1json/schema"
        validator = OAS30Validator({"$ref": ref}, registry=self._registry)
        return BodyChecks(self._compiler.compile(media["schema"]).check, validator)


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
