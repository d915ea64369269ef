"""Time `emqx-codegen diff` on the real spec against a copy with ~100 scattered changes.

    .venv/bin/python -m tests.diff.bench [SPEC_DIR]

The copy is made by `mutate`: seeded, so the same spec always gets the same changes.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
Mutation = Callable[[], None]


def _sites(data: dict[str, Any]) -> list[Mutation]:
    """Every small edit this file allows, as closures over its parsed data."""
    out: list[Mutation] = []
    schemas = data.get("schemas") if isinstance(data.get("schemas"), dict) else {}
    for schema in schemas.values():
        props = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(props, dict):
            continue
        for name, prop in props.items():
            if not isinstance(prop, dict) or "$ref" in prop:
                continue
            if prop.get("type") == "string" and "enum" not in prop:
                out.append(lambda p=prop: p.update(maxLength=8))
                out.append(lambda p=prop: p.update(type="integer"))
            if isinstance(prop.get("enum"), list):
                out.append(lambda p=prop: p["enum"].append("bench_value"))
            out.append(lambda ps=props, n=name: ps.pop(n, None))
    for item in data.values():
        if not isinstance(item, dict):
            continue
        for method in ("get", "put", "post", "delete"):
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            param = {"name": "bench", "in": "query", "required": True, "schema": {"type": "string"}}
            out.append(lambda o=op, p=param: o.setdefault("parameters", []).append(p))
            out.append(lambda o=op: o.update(operationId=f"{o.get('operationId')}_v2"))
            responses = op.get("responses")
            if isinstance(responses, dict) and len(responses) > 1:
                last = list(responses)[-1]
                out.append(lambda r=responses, k=last: r.pop(k, None))
    return out


def mutate(spec_dir: Path, out_dir: Path, changes: int = 100, seed: int = 5) -> int:
    """Copy spec_dir to out_dir with `changes` edits spread over its files; returns how many."""
    shutil.copytree(spec_dir, out_dir)
    files = sorted(p for p in out_dir.rglob("*.yaml") if p.name != "openapi.yaml")
    parsed = {p: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.SafeLoader) for p in files}
    sites = [(p, site) for p in files for site in _sites(parsed[p])]
    picked = random.Random(seed).sample(sites, min(changes, len(sites)))
    for _, site in picked:
        site()
    for path in {p for p, _ in picked}:
        path.write_text(yaml.safe_dump(parsed[path], sort_keys=False), encoding="utf-8")
    return len(picked)


def run(spec_dir: Path) -> tuple[float, float, int, int]:
    from generator.diff import run_diff

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "spec"
        edits = mutate(spec_dir, copy)
        started, cpu = time.perf_counter(), time.process_time()
        outcome = run_diff(str(spec_dir), str(copy), include_info=True)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert outcome.report is not None, [f.format() for f in outcome.findings]
    return elapsed, cpu, edits, len(outcome.report.changes)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "spec"
    elapsed, cpu, edits, found = run(target)
    print(
        f"diff of {target} against a copy with {edits} edits: {found} changes "
        f"in {elapsed:.3f}s ({cpu:.3f}s of CPU)"
    )
