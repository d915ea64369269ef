"""The datamodel-code-generator run (the models module), made in a child process while the
parent loads, validates, lints and renders the templates. (The request-body TypedDicts are
written in the parent, by generator/typeddicts.py.)

It depends only on the document's `components` (datamodel-code-generator reads the
schemas, the model-name table lives there too), so its text is cached by a digest of the
components: an edit of a path file reuses it. It is made with a fixed header line which is
then replaced by the run's own (the header names the spec's digest, which every edit
changes).

The child (`_main`) imports the model generator, then reads a line on its standard input:
a work folder holding `components.json`; the text is written as `models.py` in it.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.stagecache import StageCache

_STAGE = "models"  # the stage cache's name for the text
_HEADER = "@emqx-codegen-header@"
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])
# this generator's package first, whatever the working folder holds
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from generator.modeljobs import _main; sys.exit(_main())"
)


def scope(document: dict[str, Any]) -> dict[str, Any]:
    """What the model runs read of the document."""
    return {"openapi": document.get("openapi"), "components": document.get("components") or {}}


def make(scoped: dict[str, Any]) -> str:
    """The models text, with the placeholder header (in this process)."""
    from generator.models import render_models

    return render_models(scoped, _HEADER)


def _with_header(text: str, header: str) -> str:
    first, _, rest = text.partition("\n")
    if first != f"# {_HEADER}":
        raise ValueError("the model generator's text does not start with the header line")
    return f"# {header}\n{rest}"


class ModelJobs:
    """The models text of one document: from the cache, or from the child. On a first run
    (no text kept), the child starts before the spec is loaded, so that its imports
    overlap the loading; it waits for its input, which `start` gives. `cancel` ends the
    child (a validation error, a failed render)."""

    def __init__(self, cache: StageCache, *, parallel: bool = True) -> None:
        self._cache = cache
        self._parallel = parallel
        self._scoped: dict[str, Any] = {}
        self._key = ""
        self._text: str | None = None
        self._child: subprocess.Popen[bytes] | None = None
        self._work: Path | None = None
        self._finished = False  # the child was waited for
        self._error = ""
        if parallel and not cache.has_entries(_STAGE):
            self._child = self._spawn()

    @staticmethod
    def _spawn() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-c", _CHILD, _PACKAGE_ROOT],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=os.name == "posix",  # its own group, which `cancel` ends
        )

    def start(self, document: dict[str, Any]) -> ModelJobs:
        """Take the text the cache has for `document`, or give the child the work."""
        self._scoped = scope(document)
        self._key = json.dumps(self._scoped, sort_keys=True, ensure_ascii=False)
        self._text = self._cache.get(_STAGE, self._key)
        if self._text is not None or not self._parallel:
            self.cancel()
            return self
        # in the cache's folder when there is one: a killed run's folder goes with its prune
        self._work = Path(tempfile.mkdtemp(prefix="models-", dir=self._cache.folder_of("input")))
        (self._work / "components.json").write_text(self._key, encoding="utf-8")
        child = self._child or self._spawn()
        self._child = child
        assert child.stdin is not None
        try:
            child.stdin.write(str(self._work).encode() + b"\n")
            child.stdin.close()
        except OSError:  # the child is gone: its error is read in `text`
            pass
        child.stdin = None  # given: communicate() must not flush it again
        return self

    def _wait(self) -> Path:
        """The work folder once the child has made the text."""
        if self._child is None or self._work is None:
            raise RuntimeError("the model runs were cancelled")
        if not self._finished:
            _, err = self._child.communicate()
            self._finished = True
            if self._child.returncode != 0:
                lines = err.decode("utf-8", "replace").strip().splitlines()
                self._error = "datamodel-code-generator failed: " + (
                    lines[-1] if lines else f"exit {self._child.returncode}"
                )
        if self._error:
            raise RuntimeError(self._error)
        return self._work

    def text(self, header: str) -> str:
        """The models text with `header`, waiting for the child if it is still at work."""
        if self._text is None:
            if self._parallel:
                text = (self._wait() / "models.py").read_text(encoding="utf-8")
            else:
                text = make(self._scoped)
            self._cache.put(_STAGE, self._key, text)
            self._text = text
        return _with_header(self._text, header)

    def cancel(self) -> None:
        child, self._child = self._child, None
        if child is not None and not self._finished:
            _kill(child)
            child.communicate()
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None

    def __enter__(self) -> ModelJobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


def _kill(child: subprocess.Popen[bytes]) -> None:
    """End the child (its process group, on POSIX)."""
    try:
        if os.name == "posix":
            os.killpg(child.pid, signal.SIGKILL)
        else:
            child.kill()
    except (ProcessLookupError, PermissionError):
        pass


def _write(folder: Path, scoped: dict[str, Any]) -> None:
    tmp = folder / "models.py.tmp"
    tmp.write_text(make(scoped), encoding="utf-8")
    tmp.replace(folder / "models.py")


def _main() -> int:
    """Import the model generator, wait for the work folder on stdin, make the text."""
    import generator.models  # noqa: F401 - imported while the parent loads the spec

    line = sys.stdin.readline().strip()
    if not line:
        return 0  # not needed after all
    folder = Path(line)
    scoped = json.loads((folder / "components.json").read_text(encoding="utf-8"))
    # A short-lived process making millions of objects: collect garbage far less often.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    _write(folder, scoped)
    return 0
