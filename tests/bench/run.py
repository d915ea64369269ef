"""`make bench`: speed and memory of the toolkit and what it generates, beside the tools
people use today, measured in one run on the same input.

    .venv-bench/bin/python -m tests.bench.run [SECTION ...] [--results FILE]

SECTION is any of generate, decode, client, stub, diff (default: all). BENCH_RUNS sets the
runs per measurement (default 5). The report is printed and written as Markdown to
tests/bench/results.md (or FILE), with the machine and the versions.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from tests.bench import bench_client, bench_decode, bench_diff, bench_generate, bench_stub
from tests.bench._common import ROOT, RUNS, Goal, Row, Section

SECTIONS: dict[str, Callable[[dict[str, Any]], Section]] = {
    "generate": bench_generate.run,
    "decode": bench_decode.run,
    "client": bench_client.run,
    "stub": bench_stub.run,
    "diff": bench_diff.run,
}
PACKAGES = [
    "emqx-codegen",
    "pydantic",
    "pydantic-core",
    "httpx",
    "fastapi",
    "starlette",
    "uvicorn",
    "datamodel-code-generator",
    "openapi-python-client",
    "openapi-generator-cli",
]
RATIO_NOTE = (
    "ours/this: how many times as long ours takes as this row (per request for req/s); "
    "below 1.00x ours is faster."
)


def _value(seconds_or_rate: float, unit: str) -> str:
    if unit == "req/s":
        return f"{seconds_or_rate:,.0f}"
    scale = {"s": 1.0, "ms": 1e3, "us": 1e6}[unit]
    return f"{seconds_or_rate * scale:,.{2 if unit == 's' else 1}f}"


def _row_cells(row: Row) -> list[str]:
    if row.stats is None:
        return [row.label, "-", "-", "-", "", "-", row.note]
    s = row.stats
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
    cells = [_value(s.median, row.unit), _value(s.min, row.unit), _value(s.max, row.unit)]
    return [row.label, *cells, row.unit, ratio, row.note]


def _result(goal: Goal) -> str:
    return "SKIP" if goal.ok is None else ("PASS" if goal.ok else "MISS")


def _text_table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        out = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  " + "  ".join(out).rstrip()

    return [line(header), *(line(r) for r in rows)]


ROW_HEADER = ["what", "median", "min", "max", "unit", "ours/this", "note"]
GOAL_HEADER = ["goal", "measured", "target", "result"]


def render_text(sections: list[Section]) -> str:
    lines: list[str] = []
    for section in sections:
        lines += ["", f"{section.title}: {section.input}"]
        if section.rows:
            cells = [_row_cells(r) for r in section.rows]
            lines += _text_table(ROW_HEADER, cells, right={1, 2, 3, 5})
        lines += [f"  {note}" for note in section.notes]
    lines += ["", RATIO_NOTE, "", "Goals (issue 7)"]
    goals = [g for s in sections for g in s.goals]
    cells = [[g.name, g.measured, g.target, _result(g)] for g in goals]
    lines += _text_table(GOAL_HEADER, cells, right=set())
    return "\n".join(lines)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").strip() for c in cells) + " |"

    return [line(header), "|" + "---|" * len(header), *(line(r) for r in rows)]


def _machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{mem_kib / 2**20:.0f} GiB"
    except OSError:
        memory = "?"
    java = "not found"
    if shutil.which("java"):
        done = subprocess.run(["java", "-version"], capture_output=True, text=True)
        java = (done.stderr or done.stdout).splitlines()[0]
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "spec", "generator", "templates"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return [
        f"- machine: {platform.system()} {platform.release()}, {cpu}, "
        f"{os.cpu_count()} cores, {memory}",
        f"- Python {platform.python_version()}; {java}",
        f"- commit {commit or '?'}{' with local changes to spec/generator/templates' if dirty else ''}",
        f"- {', '.join(versions)}",
        f"- {RUNS} runs per measurement (BENCH_RUNS)",
    ]


def _load_note(before: tuple[float, ...], after: tuple[float, ...]) -> str:
    note = (
        f"load average {before[0]:.1f} at the start, {after[0]:.1f} at the end "
        f"({os.cpu_count()} cores)"
    )
    if max(before[0], after[0]) > (os.cpu_count() or 1) / 2:
        note += (
            "; the machine was busy with other work, so absolute times are inflated: "
            "the ratios, taken from interleaved runs, hold better"
        )
    return note


def render_markdown(sections: list[Section], seconds: float, load: str) -> str:
    lines = [
        "# Benchmarks (`make bench`)",
        "",
        "Written by `make bench` (tests/bench/run.py); issue 7 lists what is measured and why.",
        "",
        *_machine(),
        f"- the whole bench took {seconds:.0f} s; {load}",
    ]
    for section in sections:
        lines += ["", f"## {section.title}", "", section.input, ""]
        if section.rows:
            lines += _md_table(ROW_HEADER, [_row_cells(r) for r in section.rows])
        lines += [f"\n{note}" for note in section.notes]
    lines += ["", RATIO_NOTE, "", "## Goals", ""]
    goals = [[g.name, g.measured, g.target, _result(g)] for s in sections for g in s.goals]
    lines += _md_table(GOAL_HEADER, goals)
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", metavar="SECTION", help=", ".join(SECTIONS))
    parser.add_argument("--results", type=Path, default=Path(__file__).with_name("results.md"))
    args = parser.parse_args(argv)
    chosen = args.sections or list(SECTIONS)
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    started = time.perf_counter()
    load_before = os.getloadavg()
    sections: list[Section] = []
    with tempfile.TemporaryDirectory(prefix="emqx-bench-") as tmp:
        ctx: dict[str, Any] = {"tmp": Path(tmp)}
        for name in chosen:
            if name == "decode" and "generate" not in chosen:
                print("decode: the peers' clients come from the generate section", flush=True)
            print(f"[bench] {name} ...", flush=True)
            began = time.perf_counter()
            try:
                section = SECTIONS[name](ctx)
            except Exception as exc:
                traceback.print_exc()
                section = Section(name, notes=[f"failed: {type(exc).__name__}: {exc}"])
            print(f"[bench] {name}: {time.perf_counter() - began:.0f} s", flush=True)
            sections.append(section)
    elapsed = time.perf_counter() - started
    load = _load_note(load_before, os.getloadavg())
    print(render_text(sections))
    print(f"\n[bench] {elapsed:.0f} s in all; {load}\n[bench] written to {args.results}")
    args.results.write_text(render_markdown(sections, elapsed, load), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
