"""What every bench module shares: samples and their summary, timed child processes with
their peak memory, a free loopback port, a server in a child process, and the result rows.

Hand-written rather than pyperf: pyperf calibrates loops and spawns workers per
benchmark, which does not fit commands that take seconds or a server in a child.
"""

from __future__ import annotations

import gc
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
BUNDLED = GENERATED / "openapi.json"
VENV_BIN = Path(sys.executable).parent
RUNS = max(1, int(os.environ.get("BENCH_RUNS", "5")))
LOOPBACK = "127.0.0.1"


@dataclass
class Stats:
    """Samples of one measurement (seconds, or requests per second for throughput)."""

    samples: list[float]
    peak_rss: int | None = None  # bytes, the largest of the runs
    cpu: list[float] = field(default_factory=list)  # CPU seconds (user + system) per run

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None


@dataclass
class Row:
    """One line of a section's table; `ours` rows are what peers' ratios are taken against."""

    label: str
    stats: Stats | None
    unit: str = "s"  # s, ms, us (per call) or req/s
    ours: bool = False
    note: str = ""
    ratio: float | None = None  # ours / this in time (filled by the section)


@dataclass
class Goal:
    name: str
    measured: str
    target: str
    ok: bool | None  # None: not measured (skipped)
    why: str = ""


@dataclass
class Section:
    title: str
    input: str = ""
    rows: list[Row] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def time_ratio(ours: Stats, other: Stats, unit: str) -> float:
    """How many times as long ours takes as `other` (below 1: ours is faster)."""
    if unit == "req/s":
        return other.median / ours.median
    return ours.median / other.median


def measure(fn: Callable[[], object], runs: int = RUNS, warmup: int = 1) -> Stats:
    """Wall time of `fn` over `runs` runs after `warmup`; garbage collected before each."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
        del result
    return Stats(samples)


@dataclass
class ChildRun:
    seconds: float
    cpu: float  # user + system seconds of the child and its children
    peak_rss: int  # bytes: the largest resident set of the child or of any of its children
    returncode: int
    output: str


def run_child(
    cmd: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> ChildRun:
    """Run a command, timing it and reading its peak memory from wait4's rusage."""
    log = tempfile.TemporaryFile()  # a pipe left unread could block a chatty child
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    log.seek(0)
    output = log.read().decode("utf-8", "replace")
    log.close()
    cpu = usage.ru_utime + usage.ru_stime
    return ChildRun(seconds, cpu, usage.ru_maxrss * 1024, proc.returncode, output)


def tool_env() -> dict[str, str]:
    """The environment for a tool of the bench venv: its bin first (peers call ruff by name)."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def tool(name: str) -> str | None:
    found = VENV_BIN / name
    return str(found) if found.exists() else shutil.which(name)


def missing_reason(package: str) -> str:
    """Why the installer could not install `package`, or a generic reason."""
    listing = Path(sys.prefix) / "peers-missing.txt"
    if listing.exists():
        for line in listing.read_text(encoding="utf-8").splitlines():
            req, _, why = line.partition("\t")
            if req.split("=")[0].strip().lower() == package.lower():
                return f"not installed: {why}"
    return f"not installed in {sys.prefix}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(app: str, *args: str, timeout: float = 60.0) -> Iterator[str]:
    """Serve `_serve.py APP` on a free loopback port in a child; yields its /api/v5 URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "tests.bench._serve", app, str(port), *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the {app} server exited with {proc.returncode}")
            try:
                with socket.create_connection((LOOPBACK, port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{app} server: no listener in {timeout:.0f}s") from None
                time.sleep(0.05)
        yield f"http://{LOOPBACK}:{port}/api/v5"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def generated_on_path() -> None:
    """Make emqx_client and emqx_server_stub importable from generated/."""
    if str(GENERATED) not in sys.path:
        sys.path.insert(0, str(GENERATED))


def mib(nbytes: int | None) -> str:
    return "-" if nbytes is None else f"{nbytes / 2**20:.0f}"
