"""Check every request the client sends and every answer it gets against the spec.

openapi-core ships adapters for requests, aiohttp and others, not httpx: these two small
classes give it an httpx request and response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from generator.openapi import iter_operations


class HttpxRequest:
    def __init__(self, request: httpx.Request) -> None:
        self.request = request
        url = urlsplit(str(request.url))
        self._url = url
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(
                [
                    (k, v)
                    for k, vs in parse_qs(url.query, keep_blank_values=True).items()
                    for v in vs
                ]
            ),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return f"{self._url.scheme}://{self._url.netloc}"

    @property
    def path(self) -> str:
        return self._url.path

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self.request.read() or None

    @property
    def content_type(self) -> str:
        return str(self.request.headers.get("content-type", "application/json")).lower()


class HttpxResponse:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def data(self) -> bytes:
        return self.response.content

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def content_type(self) -> str:
        return str(self.response.headers.get("content-type", "")).lower()

    @property
    def headers(self) -> Headers:
        return Headers(dict(self.response.headers))


def _as_text(data: Any, **parameters: str) -> Any:
    return data.decode(parameters.get("charset", "utf-8")) if isinstance(data, bytes) else data


@dataclass
class SpecChecker:
    """An httpx response hook that validates each exchange and records what it saw."""

    document: dict[str, Any]
    failures: list[str] = field(default_factory=list)
    seen: dict[str, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # openapi-core reads text/plain as text but other text media (the SAML metadata's
        # text/xml) as bytes, which a `type: string` schema would refuse
        text = {"text/xml": _as_text}
        self.api = OpenAPI.from_dict(
            self.document, config=Config(extra_media_type_deserializers=text)
        )
        self.routes = []
        for op in iter_operations(self.document):
            pattern = re.sub(
                r"\{[^}]+\}", "[^/]+", re.escape(op.path).replace(r"\{", "{").replace(r"\}", "}")
            )
            self.routes.append(
                (op.method.upper(), re.compile(f"^/api/v5{pattern}$"), op.node["operationId"])
            )

    def operation_of(self, request: httpx.Request) -> str | None:
        path = urlsplit(str(request.url)).path
        for method, regex, op_id in self.routes:
            if method == request.method and regex.match(path):
                return op_id
        return None

    def check(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        op_id = self.operation_of(request)
        label = f"{request.method} {request.url.path} -> {response.status_code}"
        if op_id is None:
            self.failures.append(f"{label}: no operation of the spec matches")
            return
        self.seen.setdefault(op_id, set()).add(response.status_code)
        wrapped = HttpxRequest(request)
        if response.status_code not in (401, 415) and response.status_code != 400:
            try:
                self.api.validate_request(wrapped)
            except Exception as exc:
                self.failures.append(f"{label}: request: {exc} {getattr(exc, '__cause__', '')}")
        try:
            self.api.validate_response(wrapped, HttpxResponse(response))
        except Exception as exc:
            self.failures.append(f"{label}: response: {exc} {getattr(exc, '__cause__', '')}")

    async def acheck(self, response: httpx.Response) -> None:
        await response.aread()
        self.check(response)
