"""The two datamodel-code-generator runs (the models module and the request-body
TypedDicts), started as soon as the spec is loaded and made in child processes while the
parent validates, lints and renders the templates.

Both depend only on the document's `components` (datamodel-code-generator reads the
schemas, the model-name table lives there too), so their texts are cached by a digest of
the components: an edit of a path file reuses them. They are made with a fixed header line
which is then replaced by the run's own (the header names the spec's digest, which every
edit changes).

Run as `python -m generator.modeljobs KIND INPUT` (a JSON file of the components), a child
writes the text of KIND to its standard output.
"""

from __future__ import annotations

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
    process each. `cancel` ends the children (a validation error, a failed render)."""

    def __init__(
        self, document: dict[str, Any], cache: StageCache, *, parallel: bool = True
    ) -> None:
        self._scoped = scope(document)
        self._cache = cache
        self._key = json.dumps(self._scoped, sort_keys=True, ensure_ascii=False)
        self._texts: dict[str, str] = {}
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._input: Path | None = None
        for kind in KINDS:
            cached = cache.get(kind, self._key)
            if cached is not None:
                self._texts[kind] = cached
        missing = [k for k in KINDS if k not in self._texts]
        if parallel and missing:
            self._start(missing)

    def _start(self, kinds: list[str]) -> None:
        fd, name = tempfile.mkstemp(prefix="emqx-codegen-components-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(self._key)
        self._input = Path(name)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
        for kind in kinds:
            self._children[kind] = subprocess.Popen(
                [sys.executable, "-m", "generator.modeljobs", kind, name],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )

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
            if child.poll() is None:
                child.kill()
            child.communicate()
        self._children.clear()
        if self._input is not None:
            self._input.unlink(missing_ok=True)
            self._input = None

    def __enter__(self) -> ModelJobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


def _main(argv: list[str]) -> int:
    kind, source = argv
    scoped = json.loads(Path(source).read_text(encoding="utf-8"))
    sys.stdout.buffer.write(make(kind, scoped).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
