"""The stub's Swagger UI: `/api-docs` and `/api-docs/` redirect to `/api-docs/index.html`,
without credentials, in either edition; the routes are not part of the served spec."""

from __future__ import annotations

import asyncio

import httpx
import pytest


async def _get(edition: str, path: str, follow: bool = False) -> httpx.Response:
    from emqx_server_stub import create_app
    from emqx_server_stub.backend import InMemoryBackend

    backend = InMemoryBackend(api_key="k", secret_key="s", edition=edition)
    transport = httpx.ASGITransport(app=create_app(backend.handlers()))
    async with httpx.AsyncClient(transport=transport, base_url="http://stub") as http:
        return await http.get(path, follow_redirects=follow)


@pytest.mark.parametrize("edition", ["ce", "ee"])
@pytest.mark.parametrize("path", ["/api-docs", "/api-docs/"])
def test_the_folder_redirects_to_the_page(edition: str, path: str) -> None:
    answer = asyncio.run(_get(edition, path))
    assert answer.status_code == 302
    assert answer.headers["location"] == "/api-docs/index.html"
    page = asyncio.run(_get(edition, path, follow=True))
    assert page.status_code == 200 and str(page.url) == "http://stub/api-docs/index.html"
    assert "swagger" in page.text.lower()


def test_the_redirects_are_not_operations_of_the_served_spec() -> None:
    served = asyncio.run(_get("ee", "/api-docs/swagger.json")).json()
    assert not [p for p in served["paths"] if p.startswith("/api-docs")]
    assert asyncio.run(_get("ce", "/api-docs/elsewhere")).status_code == 404
