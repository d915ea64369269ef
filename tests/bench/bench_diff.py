"""5. Diff: `emqx-codegen diff` of the bundled spec against a copy with a hundred scattered
changes (summaries, parameters added or made required, enum values removed, property
types changed, properties removed or added as required, bounds tightened, operations
removed). Skipped with a message while the command does not exist."""

from __future__ import annotations

import copy
import json
import random
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.bench._common import (
    BUNDLED,
    ROOT,
    RUNS,
    Goal,
    Row,
    Section,
    Stats,
    run_child,
    tool,
    tool_env,
)

CHANGES = 100
GOAL = 1.0  # seconds
VERBS = ("get", "put", "post", "delete", "patch")

Mutation = Callable[[dict[str, Any], random.Random], bool]


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in spec["paths"].values() for verb, op in item.items() if verb in VERBS]


def _properties(spec: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(object schema, property name) of every component schema's properties."""
    found = []
    for schema in spec.get("components", {}).get("schemas", {}).values():
        for name in schema.get("properties", {}) if isinstance(schema, dict) else ():
            found.append((schema, name))
    return found


def _summary(spec: dict[str, Any], rng: random.Random) -> bool:
    op = rng.choice(_operations(spec))
    op["summary"] = f"{op.get('summary', '')} (changed)"
    return True


def _add_param(spec: dict[str, Any], rng: random.Random) -> bool:
    op = rng.choice(_operations(spec))
    params = op.setdefault("parameters", [])
    name = f"bench_{len(params)}_{rng.randrange(10**6)}"
    params.append({"name": name, "in": "query", "required": False, "schema": {"type": "string"}})
    return True


def _require_param(spec: dict[str, Any], rng: random.Random) -> bool:
    optional = [
        p
        for op in _operations(spec)
        for p in op.get("parameters", [])
        if "name" in p and p.get("in") == "query" and not p.get("required")
    ]
    if not optional:
        return False
    rng.choice(optional)["required"] = True
    return True


def _drop_enum(spec: dict[str, Any], rng: random.Random) -> bool:
    enums = [s for s in _walk(spec.get("components", {})) if len(s.get("enum", [])) > 2]
    if not enums:
        return False
    target = rng.choice(enums)
    target["enum"].pop(rng.randrange(len(target["enum"])))
    return True


def _retype(spec: dict[str, Any], rng: random.Random) -> bool:
    strings = [(s, n) for s, n in _properties(spec) if s["properties"][n].get("type") == "string"]
    if not strings:
        return False
    schema, name = rng.choice(strings)
    schema["properties"][name] = {"type": "integer"}
    return True


def _drop_property(spec: dict[str, Any], rng: random.Random) -> bool:
    props = _properties(spec)
    if not props:
        return False
    schema, name = rng.choice(props)
    del schema["properties"][name]
    if name in schema.get("required", []):
        schema["required"].remove(name)
        if not schema["required"]:
            del schema["required"]
    return True


def _add_required(spec: dict[str, Any], rng: random.Random) -> bool:
    schemas = [s for s, _ in _properties(spec)]
    if not schemas:
        return False
    schema = rng.choice(schemas)
    name = f"bench_required_{rng.randrange(10**6)}"
    schema["properties"][name] = {"type": "string"}
    schema.setdefault("required", []).append(name)
    return True


def _tighten(spec: dict[str, Any], rng: random.Random) -> bool:
    ints = [(s, n) for s, n in _properties(spec) if s["properties"][n].get("type") == "integer"]
    if not ints:
        return False
    schema, name = rng.choice(ints)
    schema["properties"][name]["maximum"] = 1000
    return True


def _drop_operation(spec: dict[str, Any], rng: random.Random) -> bool:
    items = [(item, verb) for item in spec["paths"].values() for verb in VERBS if verb in item]
    if len(items) < 10:
        return False
    item, verb = rng.choice(items)
    del item[verb]
    return True


def _walk(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


MUTATIONS: list[Mutation] = [
    _summary,
    _add_param,
    _require_param,
    _drop_enum,
    _retype,
    _drop_property,
    _add_required,
    _tighten,
    _summary,
    _drop_operation,
]


def changed_copy(spec: dict[str, Any], count: int = CHANGES, seed: int = 5) -> dict[str, Any]:
    """A copy of `spec` with `count` changes, spread over the kinds above."""
    rng = random.Random(seed)
    revision = copy.deepcopy(spec)
    done = attempts = 0
    while done < count:
        mutate = MUTATIONS[attempts % len(MUTATIONS)]
        attempts += 1
        if mutate(revision, rng) or _summary(revision, rng):
            done += 1
    return revision


def _has_diff(exe: str) -> bool:
    done = subprocess.run([exe, "diff", "--help"], capture_output=True, text=True, cwd=ROOT)
    return done.returncode == 0


def run(ctx: dict[str, Any]) -> Section:
    section = Section("5. Diff", f"generated/openapi.json against a copy with {CHANGES} changes")
    exe = tool("emqx-codegen")
    if exe is None or not _has_diff(exe):
        section.notes.append("skipped: `emqx-codegen diff` does not exist yet")
        section.goals.append(
            Goal("5 diff, 100 changes", "skipped (no diff command)", "< 1 s", None)
        )
        return section
    tmp: Path = ctx["tmp"] / "diff"
    tmp.mkdir()
    spec = json.loads(BUNDLED.read_text(encoding="utf-8"))
    base, revision = tmp / "base.json", tmp / "revision.json"
    base.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    revision.write_text(json.dumps(changed_copy(spec), indent=2), encoding="utf-8")
    timed: dict[str, Stats] = {}
    for label, rev, extra in (
        ("emqx-codegen diff --format json (against itself)", base, []),
        ("emqx-codegen diff --format json", revision, []),
        ("emqx-codegen diff --format json --http-only", revision, ["--http-only"]),
    ):
        cmd = [exe, "diff", str(base), str(rev), "--format", "json", *extra]
        timed[label] = _time(cmd)
        section.rows.append(Row(label, timed[label], ours=True, note=_reported(cmd)))
    for label, goal_name in (
        ("emqx-codegen diff --format json", "5 diff, 100 changes"),
        ("emqx-codegen diff --format json (against itself)", "5 diff, no change"),
    ):
        stats = timed[label]
        section.goals.append(
            Goal(goal_name, f"{stats.median:.2f} s", f"< {GOAL:.0f} s", stats.median < GOAL)
        )
    return section


def _time(cmd: list[str]) -> Stats:
    samples = []
    for i in range(RUNS + 1):
        done = run_child(cmd, cwd=ROOT, env=tool_env())
        if done.returncode not in (0, 1):
            tail = " | ".join(done.output.strip().splitlines()[-3:])
            raise RuntimeError(f"diff exited {done.returncode}: {tail}")
        if i:
            samples.append(done.seconds)
    return Stats(samples)


def _reported(cmd: list[str]) -> str:
    found = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=tool_env())
    try:
        data = json.loads(found.stdout)
        client = data["summary"].get("client_breaking", 0)
        return f"{len(data['changes'])} changes reported, {client} breaking the generated client"
    except (ValueError, KeyError, TypeError):
        return "output is not the documented JSON"
