"""The two datamodel-code-generator runs (the models module and the request-body
TypedDicts), started as soon as the spec is loaded and made in child processes while the
parent validates, lints and renders the templates.

Both depend only on the document's `components` (datamodel-code-generator reads the
schemas, the model-name table lives there too), so their texts are cached by a digest of
the components: an edit of a path file reuses them. They are made with a fixed header line
which is then replaced by the run's own (the header names the spec's digest, which every
edit changes).

Run as `_main([KIND])` in a child, it imports the model generator, reads the
path of a JSON file of the components on its standard input and writes the text of KIND to
its standard output.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.stagecache import StageCache

KINDS = ("models", "params")
_HEADER = "@emqx-codegen-header@"
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])
# this generator's package first, whatever the working folder holds
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from generator.modeljobs import _main; sys.exit(_main(sys.argv[2:]))"
)


def scope(document: dict[str, Any]) -> dict[str, Any]:
    """What the model runs read of the document."""
    return {"openapi": document.get("openapi"), "components": document.get("components") or {}}


def make(kind: str, scoped: dict[str, Any]) -> str:
    """The text of one kind, with the placeholder header (in this process)."""
    if kind == "models":
        from generator.models import render_models

        return render_models(scoped, _HEADER)
    if kind == "params":
        from generator.params import render_params

        return render_params(scoped, _HEADER)
    raise ValueError(f"unknown model kind {kind!r}")


def _with_header(text: str, header: str) -> str:
    first, _, rest = text.partition("\n")
    if first != f"# {_HEADER}":
        raise ValueError("the model generator's text does not start with the header line")
    return f"# {header}\n{rest}"


class ModelJobs:
    """The models and params texts of one document: from the cache, or from a child
    process each. On a first run (no text of either kind kept), the children start before
    the spec is loaded, so that their imports overlap the loading; they wait for their
    input, which `start` gives. `cancel` ends the children (a validation error, a failed
    render)."""

    def __init__(self, cache: StageCache, *, parallel: bool = True) -> None:
        self._cache = cache
        self._parallel = parallel
        self._scoped: dict[str, Any] = {}
        self._key = ""
        self._texts: dict[str, str] = {}
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._input: Path | None = None
        if parallel and not any(cache.has_entries(kind) for kind in KINDS):
            for kind in KINDS:
                self._children[kind] = self._spawn(kind)

    @staticmethod
    def _spawn(kind: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-c", _CHILD, _PACKAGE_ROOT, kind],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def start(self, document: dict[str, Any]) -> ModelJobs:
        """Take the texts the cache has for `document`; give the others' children their
        input (starting them if they are not yet)."""
        self._scoped = scope(document)
        self._key = json.dumps(self._scoped, sort_keys=True, ensure_ascii=False)
        for kind in KINDS:
            cached = self._cache.get(kind, self._key)
            if cached is not None:
                self._texts[kind] = cached
                self._end(self._children.pop(kind, None))
        missing = [k for k in KINDS if k not in self._texts]
        if self._parallel and missing:
            # in the cache's folder when there is one: a killed run's file goes with its prune
            where = self._cache.folder_of("input")
            fd, name = tempfile.mkstemp(prefix="components-", suffix=".json", dir=where)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self._key)
            self._input = Path(name)
            for kind in missing:
                child = self._children.get(kind) or self._spawn(kind)
                self._children[kind] = child
                assert child.stdin is not None
                try:
                    child.stdin.write(f"{name}\n".encode())
                    child.stdin.close()
                except OSError:  # the child is gone: its error is read in `text`
                    pass
                child.stdin = None  # given: communicate() must not flush it again
        return self

    @staticmethod
    def _end(child: subprocess.Popen[bytes] | None) -> None:
        if child is not None:
            if child.poll() is None:
                child.kill()
            child.communicate()

    def text(self, kind: str, header: str) -> str:
        """The text of `kind` with `header`, waiting for its child if it is still at work."""
        if kind not in self._texts:
            child = self._children.pop(kind, None)
            if child is None:
                text = make(kind, self._scoped)
            else:
                out, err = child.communicate()
                if child.returncode != 0:
                    lines = err.decode("utf-8", "replace").strip().splitlines()
                    raise RuntimeError(
                        f"the {kind} run of datamodel-code-generator failed: "
                        + (lines[-1] if lines else f"exit {child.returncode}")
                    )
                text = out.decode("utf-8")
            self._cache.put(kind, self._key, text)
            self._texts[kind] = text
        return _with_header(self._texts[kind], header)

    def cancel(self) -> None:
        for child in self._children.values():
            self._end(child)
        self._children.clear()
        if self._input is not None:
            self._input.unlink(missing_ok=True)
            self._input = None

    def __enter__(self) -> ModelJobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


def _main(argv: list[str]) -> int:
    """Import the model generator, wait for the input's path on stdin, write the text."""
    (kind,) = argv
    import generator.models
    import generator.params  # noqa: F401 - imported while the parent loads the spec

    source = sys.stdin.readline().strip()
    if not source:
        return 0  # not needed after all
    scoped = json.loads(Path(source).read_text(encoding="utf-8"))
    # A short-lived process making millions of objects: collect garbage far less often.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    sys.stdout.buffer.write(make(kind, scoped).encode("utf-8"))
    return 0
