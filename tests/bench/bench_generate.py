"""1. Generation: `emqx-codegen generate` cold and with nothing changed, against the peers
on the bundled spec. Each run is a child process, timed and with its peak memory.

The peers' last outputs are kept in `ctx` for the decoding section, which imports the
clients they made.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.bench._common import (
    BUNDLED,
    ROOT,
    RUNS,
    ChildRun,
    Goal,
    Row,
    Section,
    Stats,
    mib,
    missing_reason,
    run_child,
    tool,
    tool_env,
)

NOOP_GOAL = 0.3  # seconds
MEMORY_GOAL = 150 * 2**20
SPEED_GOAL = 0.5  # of the fastest peer's time


def _operations(spec: dict[str, Any]) -> int:
    verbs = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return sum(len(verbs & set(item)) for item in spec.get("paths", {}).values())


def _error(run: ChildRun) -> str:
    """The last line of a failure that is not part of a boxed (rich) traceback."""
    lines = [ln.strip() for ln in run.output.splitlines()]
    lines = [ln for ln in lines if ln and ln[0] not in "│╭╰─┃"]
    return (lines[-1] if lines else "no output")[:200]


FALLBACK_NOTE = "a copy without the string defaults of its integer-or-string unions"


def _without_union_string_defaults(node: Any) -> int:
    """Drop `default: "infinity"` and the like from oneOf/anyOf schemas (in place): one peer
    crashes converting such a default to each member type. Returns how many it dropped."""
    dropped = 0
    if isinstance(node, dict):
        if isinstance(node.get("default"), str) and ("oneOf" in node or "anyOf" in node):
            del node["default"]
            dropped += 1
        for value in node.values():
            dropped += _without_union_string_defaults(value)
    elif isinstance(node, list):
        for value in node:
            dropped += _without_union_string_defaults(value)
    return dropped


@dataclass
class _Tool:
    """One command measured in rounds; `fresh`: a new output folder for every run."""

    label: str
    make_cmd: Callable[[Path], list[str]]
    fresh: bool = True
    key: str = ""  # the peer's executable, naming its output for the decoding section
    fallback: Callable[[Path], list[str]] | None = None  # when the bundled spec fails
    note: str = ""
    expect: str = ""  # a line every measured run must print
    out: Path | None = None  # the last output
    samples: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak: int = 0
    failed: str = ""

    @property
    def stats(self) -> Stats:
        return Stats(self.samples, self.peak, self.cpu)


def _rounds(tools: list[_Tool], tmp: Path) -> None:
    """A warm-up round, then RUNS rounds of every tool once each, the order rotating, so
    that a busy moment of the machine is shared out rather than landing on one tool."""
    for i in range(RUNS + 1):
        shift = i % len(tools)
        for t in [*tools[shift:], *tools[:shift]] if i else tools:
            if t.failed:
                continue
            if t.fresh or t.out is None:
                previous = t.out
                t.out = Path(tempfile.mkdtemp(prefix="run-", dir=tmp)) / "out"
                if previous is not None:
                    shutil.rmtree(previous.parent)
            run = run_child(t.make_cmd(t.out), cwd=ROOT, env=tool_env())
            if run.returncode != 0 and i == 0 and t.fallback is not None:
                t.note = f"fails on the bundled spec ({_error(run)}); measured on {FALLBACK_NOTE}"
                t.make_cmd, t.fallback = t.fallback, None
                run = run_child(t.make_cmd(t.out), cwd=ROOT, env=tool_env())
            if run.returncode != 0:
                t.failed = f"failed: exit {run.returncode}: {_error(run)}"
            elif i:  # round 0 warms the disk and bytecode caches
                if t.expect not in run.output:  # spec/ edited during the bench, or a bug
                    t.note = f"a run wrote files: {_error(run)}"
                t.samples.append(run.seconds)
                t.cpu.append(run.cpu)
                t.peak = max(t.peak, run.peak_rss)


def _peer_commands(spec: str) -> list[tuple[str, str, str, Callable[[Path], list[str]]]]:
    """(label, package, executable, command for an output folder) of each peer."""
    return [
        (
            "datamodel-code-generator (models only)",
            "datamodel-code-generator",
            "datamodel-codegen",
            lambda out: [
                *["datamodel-codegen", "--input", spec, "--input-file-type", "openapi"],
                *["--output-model-type", "pydantic_v2.BaseModel", "--output", str(out)],
            ],
        ),
        (
            "openapi-python-client",
            "openapi-python-client",
            "openapi-python-client",
            lambda out: [
                *["openapi-python-client", "generate", "--path", spec],
                *["--output-path", str(out / "opc_emqx"), "--meta", "none"],
            ],
        ),
        (
            "openapi-generator -g python",
            "openapi-generator-cli",
            "openapi-generator-cli",
            lambda out: [
                *["openapi-generator-cli", "generate", "-i", spec, "-g", "python"],
                *["-o", str(out / "oag"), "--package-name", "oag_emqx"],
            ],
        ),
    ]


def run(ctx: dict[str, Any]) -> Section:
    tmp: Path = ctx["tmp"] / "generate"
    tmp.mkdir()
    spec = json.loads(BUNDLED.read_text(encoding="utf-8"))
    section = Section(
        "1. Generation",
        f"spec/ ({_operations(spec)} operations, {len(spec.get('paths', {}))} paths; "
        f"peers read generated/openapi.json); {RUNS} rounds after a warm-up, one process a run, "
        "order rotating",
    )
    ours = tool("emqx-codegen")
    if ours is None:
        raise RuntimeError("emqx-codegen is not installed in the bench venv")

    def generate(out: Path) -> list[str]:
        return [ours, "generate", "--output", str(out)]

    cold = _Tool("emqx-codegen generate, cold (every artifact)", generate)
    noop = _Tool("emqx-codegen generate, nothing changed", generate, fresh=False)
    noop.expect = " 0 written,"
    # the no-op tool's first (warm-up) run writes its folder; later runs find it current
    tools = [cold, noop]
    skipped: list[Row] = []
    fallback_spec = tmp / "openapi-fallback.json"  # used only by a peer that fails without
    _without_union_string_defaults(spec)
    fallback_spec.write_text(json.dumps(spec), encoding="utf-8")
    fallbacks = {exe: cmd for _, _, exe, cmd in _peer_commands(str(fallback_spec))}
    for label, package, exe, make_cmd in _peer_commands(str(BUNDLED)):
        if tool(exe) is None:
            skipped.append(Row(label, None, note=missing_reason(package)))
        elif exe == "openapi-generator-cli" and shutil.which("java") is None:
            skipped.append(Row(label, None, note="skipped: no java on PATH"))
        else:
            tools.append(_Tool(label, make_cmd, key=exe, fallback=fallbacks[exe]))
    _rounds(tools, tmp)
    if cold.failed or noop.failed:
        raise RuntimeError(cold.failed or noop.failed)
    assert cold.out is not None
    files = sum(1 for p in cold.out.rglob("*") if p.is_file())
    peers: list[Row] = []
    for t in tools:
        if t.failed:
            section.rows.append(Row(t.label, None, note=t.failed))
            continue
        row = Row(t.label, t.stats, ours=t in (cold, noop))
        row.note = f"cpu {t.stats.cpu_median:.2f} s, peak {mib(t.peak)} MiB"
        if t.note:
            row.note += f"; {t.note}"
        if t is cold:
            row.note = f"{files} files, {row.note}"
        if not row.ours:
            row.ratio = cold.stats.median / t.stats.median
            peers.append(row)
            ctx.setdefault("peer_outputs", {})[t.key] = t.out
        section.rows.append(row)
    section.rows.extend(skipped)
    cold_s, noop_s = cold.stats, noop.stats

    if peers:
        fastest = min(peers, key=lambda r: r.stats.median if r.stats else float("inf"))
        assert fastest.stats is not None
        share = cold_s.median / fastest.stats.median
        section.goals.append(
            Goal(
                "1a whole pipeline vs fastest peer",
                f"{cold_s.median:.2f} s vs {fastest.stats.median:.2f} s "
                f"({fastest.label.split(' (')[0]}) = {share:.2f}x",
                f"<= {SPEED_GOAL:.1f}x",
                share <= SPEED_GOAL,
            )
        )
    else:
        section.goals.append(
            Goal("1a whole pipeline vs fastest peer", "no peer ran", f"<= {SPEED_GOAL}x", None)
        )
    section.goals.append(
        Goal(
            "1b no-op regeneration",
            f"{noop_s.median:.2f} s",
            f"< {NOOP_GOAL} s",
            noop_s.median < NOOP_GOAL,
        )
    )
    peak = max(cold.peak, noop.peak)
    section.goals.append(
        Goal("1c peak memory of generate", f"{mib(peak)} MiB", "< 150 MiB", peak < MEMORY_GOAL)
    )
    return section
