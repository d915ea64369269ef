"""Every ```python block of README.md and of the generated packages' READMEs runs against
a live stub (the conventions are in tests/docs/snippets.py): a renamed method, a changed
model or a removed option in a snippet fails here."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from tests.docs.snippets import Snippet, SnippetError, snippets

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "generated" / "packages").glob("*/README.md"))]
SNIPPET_URL = "http://localhost:18083"
USERS_CSV = "user_id,password\nuser1,password1\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _stub() -> Iterator[str]:
    """A fresh in-memory stub with the snippets' credentials; yields its root URL."""
    from emqx_server_stub import create_app
    from emqx_server_stub.backend import InMemoryBackend

    backend = InMemoryBackend(api_key="KEY", secret_key="SECRET")
    port = _free_port()
    config = uvicorn.Config(
        create_app(backend.handlers()), host="127.0.0.1", port=port, log_level="error"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the stub did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


def _run(snippet: Snippet, namespace: dict[str, object], url: str) -> None:
    code = compile(snippet.code.replace(SNIPPET_URL, url), str(snippet.path), "exec")
    if snippet.skipped is None:
        exec(code, namespace)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_snippets_run_against_the_stub(
    document: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = snippets(document)
    assert found, f"{document}: no python block"
    for name in [n for n in __import__("os").environ if n.startswith("EMQX_")]:
        monkeypatch.delenv(name)  # the snippets' own defaults, not the caller's broker
    monkeypatch.chdir(tmp_path)
    (tmp_path / "users.csv").write_text(USERS_CSV)
    namespace: dict[str, object] = {"__name__": "readme_snippet"}
    with _stub() as url:
        for snippet in found:
            try:
                _run(snippet, namespace, url)
            except Exception as err:
                where = f"{snippet.path.relative_to(ROOT)}:{snippet.line}"
                raise AssertionError(f"the snippet at {where} fails: {err!r}") from err


def test_the_documents_are_every_readme_with_python() -> None:
    names = {str(p.relative_to(ROOT)) for p in DOCUMENTS}
    assert names >= {
        "README.md",
        "generated/packages/emqx-client/README.md",
        "generated/packages/emqx-server-stub/README.md",
    }


def _markdown(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.md"
    path.write_text(text)
    return path


def test_an_indented_block_continues_the_one_before(tmp_path: Path) -> None:
    doc = _markdown(
        tmp_path,
        "intro\n```python\nwith open('x') as fh:\n    a = 1\n```\nthen\n"
        "```python\n    b = 2\n```\n```python\nc = 3\n```\n",
    )
    first, second = snippets(doc)
    assert first.line == 2 and second.line == 10
    assert first.code.splitlines()[2:4] == ["with open('x') as fh:", "    a = 1"]
    assert first.code.splitlines()[7] == "    b = 2"  # at its own Markdown line, 8
    compile(first.code, str(doc), "exec")


def test_a_skip_marker_needs_a_reason(tmp_path: Path) -> None:
    ok = _markdown(tmp_path, "<!-- snippet: skip needs a broker -->\n```python\nx = 1\n```\n")
    assert snippets(ok)[0].skipped == "needs a broker"
    bad = _markdown(tmp_path, "<!-- snippet: skip -->\n```python\nx = 1\n```\n")
    with pytest.raises(SnippetError, match=r"doc.md:1: a skipped snippet needs a reason"):
        snippets(bad)
    typo = _markdown(tmp_path, "<!-- snippet: skipp x -->\n```python\nx = 1\n```\n")
    with pytest.raises(SnippetError, match="unknown snippet marker"):
        snippets(typo)


def test_a_stale_name_in_a_snippet_fails(tmp_path: Path) -> None:
    doc = _markdown(
        tmp_path,
        "```python\nfrom emqx_client import Client\n\n"
        'with Client(base_url="http://localhost:18083/api/v5", api_key="KEY", '
        'secret_key="SECRET") as emqx:\n    emqx.clients.no_such_method()\n```\n',
    )
    (snippet,) = snippets(doc)
    with _stub() as url, pytest.raises(AttributeError, match="no_such_method"):
        _run(snippet, {"__name__": "readme_snippet"}, url)
