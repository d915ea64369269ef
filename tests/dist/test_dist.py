"""The published distributions: `make dist` twice gives byte-identical files; the wheels
install into a fresh virtual environment (dependencies from the index, nothing from this
repository), the installed stub serves on 127.0.0.1 and the installed client talks to it,
sync and async, and the Python examples of both READMEs run against it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ROOT / "generated" / "packages"
API_KEY, SECRET = "dist-test-key", "dist-test-secret"
# Only these in pip's output mean "the index cannot be reached", not "a bad requirement".
_OFFLINE = re.compile(
    r"Failed to establish a new connection|Temporary failure in name resolution|"
    r"Network is unreachable|Name or service not known|ProxyError|ConnectTimeoutError|"
    r"Could not fetch URL"
)


def _version(dist: str) -> str:
    with (PACKAGES / dist / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def _clean_env() -> dict[str, str]:
    """The caller's environment without anything that could reach into this repository."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two runs of `make dist`, each into a folder of its own."""
    outs = []
    for run in ("first", "second"):
        out = tmp_path_factory.mktemp(f"dist-{run}")
        done = subprocess.run(
            ["make", "--no-print-directory", "dist", f"DIST_DIR={out}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "PASSED" in done.stdout and "FAILED" not in done.stdout
        outs.append(out)
    return outs


def test_make_dist_is_reproducible(builds: list[Path]) -> None:
    client, stub = _version("emqx-client"), _version("emqx-server-stub")
    expected = {
        f"emqx_client-{client}-py3-none-any.whl",
        f"emqx_client-{client}.tar.gz",
        f"emqx_server_stub-{stub}-py3-none-any.whl",
        f"emqx_server_stub-{stub}.tar.gz",
    }
    first, second = ({p.name: p.read_bytes() for p in out.iterdir()} for out in builds)
    assert set(first) == expected
    assert set(second) == expected
    assert [name for name in sorted(expected) if first[name] != second[name]] == []


@pytest.fixture(scope="module")
def venv(builds: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the two wheels and their dependencies."""
    home = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(home / "env")], check=True, timeout=120)
    python = home / "env" / "bin" / "python"
    wheels = sorted(str(p) for p in builds[0].glob("*.whl"))
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *wheels],
        cwd=home,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if _OFFLINE.search(output):
            pytest.skip(f"pip cannot reach the package index: {_OFFLINE.search(output)}")
        pytest.fail(f"pip install of the wheels failed:\n{output[-4000:]}")
    return python


def _run(python: Path, code: str, cwd: Path, timeout: float = 60) -> str:
    """Run `code` in the venv's python, isolated (-I: no PYTHONPATH, no cwd on sys.path)."""
    script = cwd / "script.py"
    script.write_text(code, encoding="utf-8")
    runner = "import runpy, sys; runpy.run_path(sys.argv[1], run_name='example')"
    done = subprocess.run(
        [str(python), "-I", "-c", runner, str(script)],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{code}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def stub_url(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m emqx_server_stub` from the installed wheel, on a free port of 127.0.0.1."""
    port = _free_port()
    cwd = tmp_path_factory.mktemp("stub-cwd")
    args = ["--port", str(port), "--api-key", API_KEY, "--secret-key", SECRET]
    proc = subprocess.Popen(
        [str(venv), "-I", "-m", "emqx_server_stub", *args],
        cwd=cwd,
        env=_clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/api/v5"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"the stub exited: {proc.stdout and proc.stdout.read()}"
            try:
                with urllib.request.urlopen(f"{base}/status", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the stub did not answer within 30 s"
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


_INSTALLED = """
import importlib.metadata as md, json, pathlib, sys
import emqx_client, emqx_server_stub
out = {}
for mod, dist in ((emqx_client, "emqx-client"), (emqx_server_stub, "emqx-server-stub")):
    here = pathlib.Path(mod.__file__).parent
    out[dist] = {
        "version": mod.__version__,
        "metadata": md.version(dist),
        "in_venv": here.is_relative_to(sys.prefix),
        "py_typed": (here / "py.typed").is_file(),
        "requires": sorted(md.requires(dist) or []),
        "license": md.metadata(dist)["License-Expression"],
    }
out["openapi"] = (pathlib.Path(emqx_server_stub.__file__).parent / "openapi.json").is_file()
out["toolkit"] = [n for n in ("generator", "emqx_codegen") if __import__("importlib.util").util.find_spec(n)]
print(json.dumps(out))
"""


def test_wheels_install_and_import_on_their_own(venv: Path, tmp_path: Path) -> None:
    found = json.loads(_run(venv, _INSTALLED, tmp_path))
    for dist in ("emqx-client", "emqx-server-stub"):
        info = found[dist]
        assert info["version"] == info["metadata"] == _version(dist)
        assert info["in_venv"] and info["py_typed"]
        assert info["license"] == "Apache-2.0"
        assert not any("codegen" in req for req in info["requires"])
    assert found["emqx-client"]["requires"] == [
        "httpx>=0.23.1",
        "pydantic>=2.7",
        "typing-extensions>=4.6",
    ]
    assert found["openapi"] is True
    assert found["toolkit"] == []


_CALLS = """
import asyncio, json
from emqx_client import AsyncClient, AuthenticationError, Client, NotFoundError

BASE, KEY, SECRET = {base!r}, {key!r}, {secret!r}
out = {{}}
with Client(base_url=BASE, api_key=KEY, secret_key=SECRET, max_retries=0) as emqx:
    out["nodes"] = [n.node for n in emqx.nodes.list()]
    result = emqx.publish.message(body={{"topic": "t/1", "payload": "hi"}})
    out["published"] = [type(result).__name__, getattr(result, "reason_code", None)]
    try:
        emqx.clients.get(clientid="nobody/here")
    except NotFoundError as err:
        out["not_found"] = [err.status_code, str(err.code)]
    for who in ("dist-a", "dist-b", "dist-c"):
        emqx.banned.create(body={{"as": "clientid", "who": who}})
    out["sync_pages"] = len(list(emqx.banned.list(limit=1).iter_pages()))
with Client(base_url=BASE, api_key=KEY, secret_key="wrong", max_retries=0) as bad:
    try:
        bad.nodes.list()
    except AuthenticationError as err:
        out["bad_secret"] = err.status_code

async def main() -> None:
    async with AsyncClient(base_url=BASE, api_key=KEY, secret_key=SECRET) as emqx:
        nodes, _ = await asyncio.gather(emqx.nodes.list(), emqx.metrics.get_stats())
        out["async_nodes"] = [n.node for n in nodes]
        out["async_banned"] = sorted([b.who async for b in await emqx.banned.list(limit=1)])
        try:
            await emqx.clients.get(clientid="nobody/here")
        except NotFoundError as err:
            out["async_not_found"] = err.status_code

asyncio.run(main())
print(json.dumps(out))
"""


def test_installed_client_calls_installed_stub(venv: Path, stub_url: str, tmp_path: Path) -> None:
    code = _CALLS.format(base=stub_url, key=API_KEY, secret=SECRET)
    out = json.loads(_run(venv, code, tmp_path))
    assert out["nodes"] and out["nodes"] == out["async_nodes"]
    assert out["published"] == ["PublishError", 16]  # no subscriber: EMQX answers 202, 16
    assert out["not_found"] == [404, "CLIENTID_NOT_FOUND"]
    assert out["async_not_found"] == 404
    assert out["bad_secret"] == 401
    assert out["sync_pages"] == 3  # limit=1: one ban per page
    assert out["async_banned"] == ["dist-a", "dist-b", "dist-c"]


def _readme_blocks(python: Path, dist: str, cwd: Path) -> list[str]:
    """The ```python blocks of the README that the installed metadata carries (PyPI's page)."""
    code = f"import importlib.metadata as m; print(m.metadata({dist!r}).get_payload())"
    readme = _run(python, code, cwd)
    return re.findall(r"^```python\n(.*?)^```", readme, flags=re.M | re.S)


def test_readme_examples_run(venv: Path, stub_url: str, tmp_path: Path) -> None:
    client_blocks = _readme_blocks(venv, "emqx-client", tmp_path)
    stub_blocks = _readme_blocks(venv, "emqx-server-stub", tmp_path)
    assert len(client_blocks) >= 6 and len(stub_blocks) >= 3
    for block in client_blocks:  # each block stands alone, against the live stub
        code = block.replace("http://localhost:18083/api/v5", stub_url)
        _run(venv, code.replace('"KEY"', repr(API_KEY)).replace('"SECRET"', repr(SECRET)), tmp_path)
    # The stub's blocks build on each other: a handler, the app with it, a client in-process.
    _run(venv, "\n".join(stub_blocks), tmp_path)
