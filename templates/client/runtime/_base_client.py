"""The HTTP core shared by Client and AsyncClient: options, requests, retries, errors,
parsing.

Options: an argument given wins, then the environment (`EMQX_BASE_URL`, `EMQX_API_KEY`,
`EMQX_SECRET_KEY`), then the defaults. A client made with its own `http_client` keeps that
client's timeout, headers and other settings unless `timeout=` is given too.

Retries are written here rather than with a retry library: the rules are few (idempotent
methods only; connection errors, 429, 502, 503, 504; honour Retry-After) and the sync and
async paths must make the same decision, so one small function decides for both.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import email.utils
import functools
import json
import logging
import os
import random
import time
from collections.abc import Mapping, Sequence
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from . import _error_codes
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ClientOptionsError,
    RequestValidationError,
)
from ._lenient import Reader, extras
from ._logs import log, redact, redact_headers, setup_from_env, tolerated
from ._request_body import merge_extra_body
from ._response import record
from ._types import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    IDEMPOTENT_METHODS,
    RETRY_STATUSES,
    FileInput,
    Redirect,
    Timeout,
)

T = TypeVar("T")
_MAX_BACKOFF = 8.0
_logged: set[tuple[str, str]] = set()  # (operation, field) pairs already logged


def _auth_headers(api_key: str | None, secret_key: str | None, token: str | None) -> dict[str, str]:
    """The Authorization header: a bearer token, else HTTP Basic with the API key and its
    secret (from the arguments, else EMQX_API_KEY and EMQX_SECRET_KEY). A key without its
    secret, or a secret without its key, is refused here rather than on the first call."""
    if token is not None:
        return {"Authorization": f"Bearer {token}"}
    api_key = api_key if api_key is not None else os.environ.get("EMQX_API_KEY") or None
    secret_key = secret_key if secret_key is not None else os.environ.get("EMQX_SECRET_KEY") or None
    if (api_key is None) != (secret_key is None):
        given, missing = (
            ("api_key", "secret_key") if secret_key is None else ("secret_key", "api_key")
        )
        raise ClientOptionsError(
            f"{given} was given without {missing}: give both (or set EMQX_API_KEY and"
            " EMQX_SECRET_KEY), or a bearer token="
        )
    if api_key is not None and secret_key is not None:
        credentials = base64.b64encode(f"{api_key}:{secret_key}".encode()).decode("ascii")
        return {"Authorization": f"Basic {credentials}"}
    return {}


def build_path(template: str, params: Mapping[str, Any]) -> str:
    """Fill a path template, URL-encoding every value (client ids and topics hold `/#+`)."""
    return template.format(**{k: quote(_scalar(v), safe="") for k, v in params.items()})


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value.value if hasattr(value, "value") else value)


def join_csv(values: Sequence[Any] | None) -> str | None:
    """A list sent as one comma-separated value (a parameter with `explode: false`)."""
    return None if values is None else ",".join(_scalar(v) for v in values)


def build_query(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Query pairs; None means not given, lists repeat the name."""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            pairs.extend((name, _scalar(v)) for v in value)
        else:
            pairs.append((name, _scalar(value)))
    return pairs


def _retry_after(response: httpx.Response | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date); None when absent or
    unreadable, so that the backoff applies."""
    if response is None:
        return None
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, float(parsed.timestamp()) - time.time()) if parsed else None


def retry_delay(attempt: int, response: httpx.Response | None) -> float:
    """Seconds to wait before retry number `attempt` (from 1): Retry-After, else backoff."""
    after = _retry_after(response)
    if after is not None and after <= 60:
        return after
    backoff: float = min(_MAX_BACKOFF, 0.5 * 2.0 ** (attempt - 1))
    return backoff * (0.75 + random.random() / 4)


def should_retry(
    method: str, attempt: int, max_retries: int, response: httpx.Response | None
) -> bool:
    if method not in IDEMPOTENT_METHODS or attempt > max_retries:
        return False
    return response is None or response.status_code in RETRY_STATUSES


def error_from_response(response: httpx.Response) -> APIStatusError:
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    code = body.get("code") if isinstance(body, dict) else None
    return _error_codes.error_class(code, response.status_code)(response, body)


def parse_response(
    response: httpx.Response,
    adapter: TypeAdapter[Any] | None,
    *,
    strict: bool = False,
    method: str = "",
    route: str = "",
) -> Any:
    """JSON through the operation's adapter, text as str, anything else (a file) as bytes;
    a 3xx (not followed) as a Redirect to its Location.

    JSON is validated in pydantic-core's strict mode first. An answer that fails it is read
    tolerantly (`_lenient`) and what was tolerated is logged, or, for a client made with
    `strict_response_validation=True`, raises APIResponseValidationError.
    """
    if 300 <= response.status_code < 400:
        return Redirect(response.status_code, response.headers.get("location", ""))
    if response.status_code == 204 or (not response.content and adapter is None):
        return None
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media.startswith("text/"):
        return response.text
    if adapter is None or not (media == "application/json" or media.endswith("+json")):
        return response.content
    route = route or response.request.url.path
    try:
        result = adapter.validate_json(response.content, strict=True)
    except ValidationError as exc:
        if strict:
            raise APIResponseValidationError(
                response, method=method, path=route, errors=_disagreements(exc)
            ) from exc
        return _tolerate(response, adapter, method, route, exc)
    if strict:
        unknown = list(extras(result))
        if unknown:
            errors = [f"{p}: not in the spec" for p in unknown]
            raise APIResponseValidationError(response, method=method, path=route, errors=errors)
    return result


def _disagreements(exc: ValidationError, limit: int = 10) -> list[str]:
    found = []
    for error in exc.errors()[:limit]:
        where = ".".join(str(part) for part in error["loc"]) or "(answer)"
        found.append(f"{where}: {error['msg']}")
    more = exc.error_count() - len(found)
    return found + ([f"... {more} more"] if more > 0 else [])


def _tolerate(
    response: httpx.Response,
    adapter: TypeAdapter[Any],
    method: str,
    route: str,
    refused: ValidationError,
) -> Any:
    """The tolerant read of an answer the fast path refused; JSON that does not parse is
    returned as bytes (a 2xx answer is never lost)."""
    try:
        data = json.loads(response.content)
    except ValueError:
        log.debug("%s %s: the answer is not JSON; returned as bytes", method, route)
        return response.content
    reader = Reader(refused)
    try:
        result = reader.construct(_result_type(adapter), data)
    except Exception:
        log.debug("%s %s: the answer could not be typed; returned as JSON", method, route)
        return data
    operation = f"{method} {route}"
    for field, what in reader.issues.items():
        if (operation, field) not in _logged:
            _logged.add((operation, field))
            log.debug("%s: tolerated %s: %s", operation, field, tolerated(field, what))
    return result


def file_part(name: str, value: FileInput) -> tuple[str, bytes, str]:
    """A multipart file from bytes, (filename, bytes) or (filename, bytes, media type)."""
    if isinstance(value, bytes | bytearray):
        return (name, bytes(value), "application/octet-stream")
    if len(value) == 2:
        return (value[0], bytes(value[1]), "application/octet-stream")
    return (value[0], bytes(value[1]), value[2])


def form_parts(fields: Mapping[str, Any], files: Mapping[str, FileInput | None]) -> dict[str, Any]:
    """httpx arguments for a multipart body; fields left None are not sent."""
    return {
        "data": {k: _scalar(v) for k, v in fields.items() if v is not None},
        "files": {k: file_part(k, v) for k, v in files.items() if v is not None},
    }


def either_body(body: Any, upload: Mapping[str, Any], *, required: bool) -> None:
    """An operation that takes a JSON body or a file upload gets one of them, not both
    (and, when it needs a body, not neither)."""
    sent = [name for name, value in upload.items() if value is not None]
    names = " / ".join(f"{name}=" for name in upload)
    if body is not None and sent:
        raise RequestValidationError(
            "", [f"give either body= (JSON) or {names} (an upload), not both"]
        )
    if required and body is None and not sent:
        raise RequestValidationError("", [f"give body= (JSON) or {names} (an upload)"])


def _or_default(timeout: Timeout | None) -> Timeout:
    return DEFAULT_TIMEOUT if timeout is None else timeout


class _BaseClient:
    _http: httpx.Client | httpx.AsyncClient

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        api_key: str | None = None,
        secret_key: str | None = None,
        token: str | None = None,
        timeout: Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        strict_response_validation: bool = False,
    ) -> None:
        setup_from_env()
        self.strict = strict_response_validation
        if base_url is None:
            base_url = os.environ.get("EMQX_BASE_URL") or DEFAULT_BASE_URL
        self.base_url = httpx.URL(str(base_url).rstrip("/") + "/")
        # None: the http client's own timeout (a client made here has DEFAULT_TIMEOUT)
        self.timeout: Timeout | None = timeout
        self.max_retries = max_retries
        self._headers = {"Accept": "application/json", **dict(headers or {})}
        self._headers.update(_auth_headers(api_key, secret_key, token))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r})"

    def _bind_resources(self) -> None:
        """Give the client its resources (the generated Client does; see with_options)."""

    def with_options(
        self,
        *,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A copy of this client with other defaults, sharing its connection pool (closing
        either closes the pool): `client.with_options(timeout=5).nodes.list()`."""
        new = copy.copy(self)
        if timeout is not None:
            new.timeout = timeout
        if max_retries is not None:
            new.max_retries = max_retries
        if headers:
            new._headers = {**self._headers, **headers}
        new._bind_resources()
        return new

    def _request(
        self,
        method: str,
        path: str,
        *,
        query: list[tuple[str, str]] | None = None,
        json: Any = None,
        content: str | bytes | None = None,
        content_type: str | None = None,
        form: Mapping[str, Any] | None = None,
        accept: str | None = None,
        timeout: Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        route: str | None = None,
    ) -> httpx.Request:
        url = self.base_url.join(path.lstrip("/"))
        headers = dict(self._headers)
        if accept is not None:
            headers["Accept"] = accept
        if extra_body:
            json = merge_extra_body(json, extra_body, f"{method} {route or path}")
        query = list(query or ()) + build_query(extra_query or {})
        kwargs: dict[str, Any] = {"params": query or None}
        if json is not None:
            kwargs["json"] = json
        if content is not None:
            kwargs["content"] = content.encode("utf-8") if isinstance(content, str) else content
            headers["Content-Type"] = content_type or "application/octet-stream"
        if form is not None:
            kwargs.update(form)
        headers.update(extra_headers or {})
        chosen = timeout if timeout is not None else self.timeout
        if chosen is not None:
            kwargs["timeout"] = chosen
        request = self._http.build_request(method, url, headers=headers, **kwargs)
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "request %s %s headers=%s json=%s",
                method,
                request.url,
                redact_headers(request.headers),
                redact(json),
            )
        return request

    def _answered(self, request: httpx.Request, response: httpx.Response, started: float) -> None:
        log.info(
            "%s %s -> %s (%.0f ms)",
            request.method,
            request.url,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )


class SyncAPIClient(_BaseClient):
    _http: httpx.Client

    def __init__(self, *, http_client: httpx.Client | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._http = http_client or httpx.Client(timeout=_or_default(self.timeout))

    def close(self) -> None:
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        adapter: TypeAdapter[Any] | None,
        route: str | None = None,
        **kwargs: Any,
    ) -> Any:
        request = self._request(method, path, route=route, **kwargs)
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            started = time.monotonic()
            try:
                response = self._http.send(request)
            except httpx.TimeoutException as exc:
                log.info("%s %s: timed out (attempt %d)", method, request.url, attempt)
                if not should_retry(method, attempt, self.max_retries, None):
                    raise APITimeoutError(request=request) from exc
            except httpx.TransportError as exc:
                log.info("%s %s: %s (attempt %d)", method, request.url, exc, attempt)
                if not should_retry(method, attempt, self.max_retries, None):
                    raise APIConnectionError(
                        str(exc) or type(exc).__name__, request=request
                    ) from exc
            if response is not None:
                self._answered(request, response, started)
                if response.status_code < 400:
                    record(response)
                    return parse_response(
                        response, adapter, strict=self.strict, method=method, route=route or path
                    )
                if not should_retry(method, attempt, self.max_retries, response):
                    raise error_from_response(response)
            time.sleep(retry_delay(attempt, response))


class AsyncAPIClient(_BaseClient):
    _http: httpx.AsyncClient

    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._http = http_client or httpx.AsyncClient(timeout=_or_default(self.timeout))

    async def close(self) -> None:
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        adapter: TypeAdapter[Any] | None,
        route: str | None = None,
        **kwargs: Any,
    ) -> Any:
        request = self._request(method, path, route=route, **kwargs)
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            started = time.monotonic()
            try:
                response = await self._http.send(request)
            except httpx.TimeoutException as exc:
                log.info("%s %s: timed out (attempt %d)", method, request.url, attempt)
                if not should_retry(method, attempt, self.max_retries, None):
                    raise APITimeoutError(request=request) from exc
            except httpx.TransportError as exc:
                log.info("%s %s: %s (attempt %d)", method, request.url, exc, attempt)
                if not should_retry(method, attempt, self.max_retries, None):
                    raise APIConnectionError(
                        str(exc) or type(exc).__name__, request=request
                    ) from exc
            if response is not None:
                self._answered(request, response, started)
                if response.status_code < 400:
                    record(response)
                    return parse_response(
                        response, adapter, strict=self.strict, method=method, route=route or path
                    )
                if not should_retry(method, attempt, self.max_retries, response):
                    raise error_from_response(response)
            await asyncio.sleep(retry_delay(attempt, response))


_ADAPTED: dict[int, Any] = {}


# The JSON reading settings of EmqxModel (see there), for a result that is not a model
# itself (a list or a union of models), which pydantic takes from its TypeAdapter.
_READ = ConfigDict(cache_strings="keys")


@functools.cache
def adapter(tp: Any) -> TypeAdapter[Any]:
    """One TypeAdapter per result type, made on first use."""
    is_model = isinstance(tp, type) and issubclass(tp, BaseModel)
    made: TypeAdapter[Any] = TypeAdapter(tp) if is_model else TypeAdapter(tp, config=_READ)
    _ADAPTED[id(made)] = tp
    return made


def _result_type(made: TypeAdapter[Any]) -> Any:
    return _ADAPTED.get(id(made), getattr(made, "_type", Any))
