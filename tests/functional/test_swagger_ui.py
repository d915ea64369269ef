"""Swagger UI on the stub, in a real headless Chromium: authorize with Basic credentials,
expand GET /nodes, "Try it out", execute, and see the stub's 200. A screenshot is kept
in .artifacts/swagger-ui.png.

Chromium and ChromeDriver are Debian's packages (`chromium`, `chromium-driver`), which
.ci/run installs; the browser is driven over the W3C WebDriver protocol with httpx, so
no browser-automation package (and no browser download) is needed.
"""

from __future__ import annotations

import base64
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.functional.conftest import API_KEY, SECRET, LiveStub

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
    reason="Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Browser:
    def __init__(self, base: str, session: str) -> None:
        self.http = httpx.Client(base_url=f"{base}/session/{session}", timeout=30)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, path, json=body)
        response.raise_for_status()
        return response.json()["value"]

    def find(self, css: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            found = self.http.post(
                "/elements", json={"using": "css selector", "value": css}
            ).json()["value"]
            if found:
                return str(found[0][ELEMENT])
            if time.monotonic() > deadline:
                raise AssertionError(f"no element {css!r} on the page")
            time.sleep(0.2)

    def click(self, css: str) -> None:
        self.call("POST", f"/element/{self.find(css)}/click", {})

    def type(self, css: str, text: str) -> None:
        self.call("POST", f"/element/{self.find(css)}/value", {"text": text})

    def text(self, css: str) -> str:
        return str(self.call("GET", f"/element/{self.find(css)}/text"))


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[Browser]:
    port = _free_port()
    driver = subprocess.Popen(
        [DRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/status", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1280,2000",
        ]
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
                }
            }
        }
        session = httpx.post(f"{base}/session", json=caps, timeout=60).json()["value"]["sessionId"]
        browser = Browser(base, session)
        yield browser
        browser.http.delete("")
    finally:
        driver.terminate()
        driver.wait(10)


def test_try_it_out_on_get_nodes(stub: LiveStub, browser: Browser) -> None:
    origin = stub.base_url.removesuffix("/api/v5")
    browser.call("POST", "/url", {"url": f"{origin}/api-docs/index.html"})
    browser.click("button.authorize")
    browser.type("input[name='username']", API_KEY)
    browser.type("input[name='password']", SECRET)
    browser.click(".auth-btn-wrapper button.authorize")
    browser.click("button.btn-done")
    browser.click("#operations-Nodes-list_nodes .opblock-summary")
    browser.click("#operations-Nodes-list_nodes button.try-out__btn")
    browser.click("#operations-Nodes-list_nodes button.execute")
    status = browser.text(
        "#operations-Nodes-list_nodes .live-responses-table tr.response td.response-col_status"
    )
    body = browser.text(
        "#operations-Nodes-list_nodes .live-responses-table tr.response td.response-col_description"
    )
    shot = ROOT / ".artifacts" / "swagger-ui.png"
    shot.parent.mkdir(exist_ok=True)
    shot.write_bytes(base64.b64decode(browser.call("GET", "/screenshot")))
    assert status.strip().startswith("200")
    assert stub.backend.node in body
