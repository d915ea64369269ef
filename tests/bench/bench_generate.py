"""1. Generation: `emqx-codegen generate` cold, with nothing changed and after an edit of
one path file, against the peers on the bundled spec; then the scaling table (cold at a
quarter and half of the operations, beside openapi-python-client on the same cut) and the
stages of a cold generate in CPU time. Each run is a child process, timed and with its
peak memory (the largest of the process and its children).

The peers' last outputs are kept in `ctx` for the decoding section, which imports the
clients they made.
"""

from __future__ import annotations

import json
import shutil
import sys
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
from tests.bench._cut import Cut
from tests.bench._cut import write as write_cut

NOOP_GOAL = 0.2  # seconds (issue 19)
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


FALLBACK_NOTE = (
    "a copy without the string defaults of its integer-or-string unions (and of the "
    "allOf wrappers of such unions)"
)


def _without_union_string_defaults(node: Any) -> int:
    """Drop `default: "infinity"` and the like from oneOf/anyOf/allOf schemas (in place): one
    peer crashes converting such a default to each member type. Returns how many it dropped."""
    dropped = 0
    if isinstance(node, dict):
        if isinstance(node.get("default"), str) and ({"oneOf", "anyOf", "allOf"} & set(node)):
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
    before: Callable[[int], None] | None = None  # called with the round before each run
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
            if t.before is not None:
                t.before(i)
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


SHARES = (0.25, 0.5)  # of the operations, for the scaling table
EDIT_FILE = "paths/alarms.yaml"  # the path file the edit rows change before every run
EDIT_GOAL = 1.0  # seconds


def _ours(spec: Path | None = None) -> Callable[[Path], list[str]]:
    """Our generator from this checkout (not an installed copy of another one)."""

    def cmd(out: Path) -> list[str]:
        return [
            *[sys.executable, "-m", "generator", "generate"],
            *([str(spec)] if spec else []),
            *["--output", str(out)],
        ]

    return cmd


def _editor(spec_dir: Path) -> Callable[[int], None]:
    """Before run i: one path file's first summary says `(edit i)`, so every run sees a
    changed spec (a new spec digest in every header) and no changed schema."""
    path = spec_dir / EDIT_FILE
    original = path.read_text(encoding="utf-8")
    if "summary: " not in original:
        raise RuntimeError(f"{EDIT_FILE} has no summary to edit")

    def edit(i: int) -> None:
        path.write_text(original.replace("summary: ", f"summary: (edit {i}) ", 1), encoding="utf-8")

    return edit


def _stage_profile(tmp: Path) -> str:
    """One cold generate's stages in CPU seconds (tests/bench/_stages.py)."""
    out = tmp / "stages" / "out"
    run = run_child(
        [sys.executable, "-m", "tests.bench._stages", str(ROOT / "spec"), str(out)],
        cwd=ROOT,
        env=tool_env(),
    )
    if run.returncode != 0:
        return f"stage profile failed: {_error(run)}"
    times: dict[str, float] = json.loads(run.output.strip().splitlines()[-1])
    total = sum(times.values())
    parts = ", ".join(f"{name} {sec:.2f}" for name, sec in times.items())
    return (
        f"Where a cold generate's time goes (CPU seconds, each stage once in one process, "
        f"{total:.1f} s in all): {parts}. generate runs datamodel-code-generator in a child "
        "process beside the validation and the templates, so its wall time "
        "is about the longest chain: load, then the models run, then ruff."
    )


def run(ctx: dict[str, Any]) -> Section:
    tmp: Path = ctx["tmp"] / "generate"
    tmp.mkdir()
    spec = json.loads(BUNDLED.read_text(encoding="utf-8"))
    section = Section(
        "1. Generation",
        f"spec/ ({_operations(spec)} operations, {len(spec.get('paths', {}))} paths, "
        f"{len(spec.get('components', {}).get('schemas', {}))} schemas; peers read "
        f"generated/openapi.json); {RUNS} rounds after a warm-up, one process a run, "
        "order rotating",
    )
    cold = _Tool("emqx-codegen generate, cold (every artifact)", _ours())
    noop = _Tool("emqx-codegen generate, nothing changed", _ours(), fresh=False)
    noop.expect = "is up to date"  # the fingerprint matched: nothing loaded or written
    # the no-op tool's first (warm-up) run writes its folder; later runs find it current
    edit_spec = tmp / "edit-spec"
    shutil.copytree(ROOT / "spec", edit_spec)
    edit = _Tool(
        f"emqx-codegen generate, {EDIT_FILE} edited (no schema)",
        _ours(edit_spec / "openapi.yaml"),
        fresh=False,
        before=_editor(edit_spec),
    )
    edit.expect = " written,"
    tools = [cold, noop, edit]
    skipped: list[Row] = []
    fallback_spec = tmp / "openapi-fallback.json"  # used only by a peer that fails without
    fallback_doc = json.loads(json.dumps(spec))
    _without_union_string_defaults(fallback_doc)
    fallback_spec.write_text(json.dumps(fallback_doc), encoding="utf-8")
    fallbacks = {exe: cmd for _, _, exe, cmd in _peer_commands(str(fallback_spec))}
    for label, package, exe, make_cmd in _peer_commands(str(BUNDLED)):
        if tool(exe) is None:
            skipped.append(Row(label, None, note=missing_reason(package)))
        elif exe == "openapi-generator-cli" and shutil.which("java") is None:
            skipped.append(Row(label, None, note="skipped: no java on PATH"))
        else:
            tools.append(_Tool(label, make_cmd, key=exe, fallback=fallbacks[exe]))
    scaling = _scaling_tools(spec, tmp)
    _rounds([*tools, *(t for pair in scaling for t in pair[1:] if t is not None)], tmp)
    if cold.failed or noop.failed or edit.failed:
        raise RuntimeError(cold.failed or noop.failed or edit.failed)
    assert cold.out is not None
    files = sum(1 for p in cold.out.rglob("*") if p.is_file())
    peers: list[Row] = []
    for t in tools:
        if t.failed:
            section.rows.append(Row(t.label, None, note=t.failed))
            continue
        row = Row(t.label, t.stats, ours=t in (cold, noop, edit))
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
    section.rows.extend(_scaling_rows(scaling, cold, peers))
    section.notes.append(_stage_profile(tmp))
    cold_s, noop_s, edit_s = cold.stats, noop.stats, edit.stats

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
    peak = max(cold.peak, noop.peak, edit.peak)
    section.goals.append(
        Goal("1c peak memory of generate", f"{mib(peak)} MiB", "< 150 MiB", peak < MEMORY_GOAL)
    )
    section.goals.append(
        Goal(
            "1d edit of one path file",
            f"{edit_s.median:.2f} s (cpu {edit_s.cpu_median or 0:.2f} s)",
            f"< {EDIT_GOAL:.0f} s",
            edit_s.median < EDIT_GOAL,
        )
    )
    return section


_Scale = tuple[Cut, "_Tool", "_Tool | None"]


def _scaling_tools(spec: dict[str, Any], tmp: Path) -> list[_Scale]:
    """Cold generate of a share of the spec, and openapi-python-client on the same share."""
    found = []
    release = ROOT / "spec" / "release.yaml"
    peer = next((c for _, _, exe, c in _peer_commands("") if exe == "openapi-python-client"), None)
    for share in SHARES:
        cut = write_cut(spec, share, tmp / f"cut-{share}", release)
        ours = _Tool(f"cold, {share:.0%} of the operations", _ours(cut.spec))
        theirs = None
        if peer is not None and tool("openapi-python-client") is not None:
            fallback = tmp / f"cut-{share}" / "openapi-fallback.json"
            doc = json.loads(cut.bundled.read_text(encoding="utf-8"))
            _without_union_string_defaults(doc)
            fallback.write_text(json.dumps(doc), encoding="utf-8")
            by_spec = {exe: c for _, _, exe, c in _peer_commands(str(cut.bundled))}
            by_fallback = {exe: c for _, _, exe, c in _peer_commands(str(fallback))}
            theirs = _Tool(
                f"openapi-python-client, {share:.0%} of the operations",
                by_spec["openapi-python-client"],
                fallback=by_fallback["openapi-python-client"],
            )
        found.append((cut, ours, theirs))
    return found


def _scaling_rows(scaling: list[_Scale], cold: _Tool, peers: list[Row]) -> list[Row]:
    """The scaling table: ours at each share and the whole spec, with the peer's ratio."""
    whole_peer = next((r for r in peers if r.label == "openapi-python-client"), None)
    rows = []
    shares = [(c.operations, c.schemas, o, t) for c, o, t in scaling]
    rows.append(Row("scaling: cold generate by share of the spec", None, note=""))
    for operations, schemas, ours, theirs in shares:
        if ours.failed:
            rows.append(Row(ours.label, None, note=ours.failed))
            continue
        row = Row(
            ours.label,
            ours.stats,
            ours=True,
            note=f"{operations} operations, {schemas} schemas, cpu "
            f"{ours.stats.cpu_median:.2f} s, peak {mib(ours.peak)} MiB",
        )
        rows.append(row)
        if theirs is not None:
            if theirs.failed:
                rows.append(Row(theirs.label, None, note=theirs.failed))
            else:
                rows.append(
                    Row(
                        theirs.label,
                        theirs.stats,
                        ratio=ours.stats.median / theirs.stats.median,
                        note=f"cpu {theirs.stats.cpu_median:.2f} s, peak {mib(theirs.peak)} MiB"
                        + (f"; {theirs.note}" if theirs.note else ""),
                    )
                )
    note = "the whole spec: the cold row above"
    if whole_peer is not None and whole_peer.ratio is not None:
        note += f" ({whole_peer.ratio:.2f}x openapi-python-client)"
    rows.append(Row(f"cold, 100% of the operations ({cold.stats.median:.2f} s)", None, note=note))
    return rows
