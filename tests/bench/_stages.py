"""Where a cold generate's time goes: each stage run once, one after the other, in this
process (ruff in its own), timed in CPU seconds so that other work on the machine counts
little. Prints one JSON object {stage: seconds}.

    python -m tests.bench._stages SPEC OUTPUT
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from pathlib import Path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(spec_path: str, output: str) -> int:
    times: dict[str, float] = {}
    last = [time.process_time(), _children_cpu()]

    def mark(stage: str) -> None:
        now = [time.process_time(), _children_cpu()]
        times[stage] = round(now[0] - last[0] + now[1] - last[1], 3)
        last[:] = now

    from generator import lints, pipeline, render, validate, writer
    from generator.clientmodels import client_models
    from generator.config import Config
    from generator.loader import load
    from generator.modeljobs import make, scope
    from generator.stagecache import StageCache
    from generator.typeddicts import render_typeddicts
    from generator.viewmodel import build_view

    mark("imports")
    root = Path(spec_path)
    base = Config()
    config = Config(spec=root, output=Path(output), templates=base.templates)
    spec, findings = load(config.spec)
    assert spec is not None, findings
    mark("load and bundle")
    validate.validate_openapi(spec)
    mark("OpenAPI validation")
    lints.run_all(spec)
    mark("lints")
    view = build_view(spec)
    mark("view model")
    scoped = scope(spec.document)
    models = make(scoped)
    mark("datamodel-code-generator: models")
    client_models(models, spec.document)
    mark("client models (open enums, unions)")
    render_typeddicts(spec.document, "header")
    mark("params TypedDicts (generator/typeddicts.py)")

    class Made:
        def text(self, kind: str, header: str) -> str:
            text = {"models": models}[kind]
            return f"# {header}\n" + text.partition("\n")[2]

    files = render.render_all(view, spec.document, config, Made())  # type: ignore[arg-type]
    mark("templates (and client models again)")
    tmp = writer.materialize(files, config.output.resolve().parent, StageCache(None), view.header)
    mark("write and ruff (fix, format)")
    writer.swap_in(tmp, config.output)
    mark("swap into place")
    del pipeline
    shutil.rmtree(config.output, ignore_errors=True)
    print(json.dumps(times))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
