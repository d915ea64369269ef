"""Create the bench venv: the toolkit with its run-time extra, then each peer on its own.

Usage: python tests/bench/install.py .venv-bench

A peer that cannot be installed (no release, a conflict with the toolkit's pins) is
written to `<venv>/peers-missing.txt` with pip's last words, and the bench says why it
skips that peer instead of failing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEERS = Path(__file__).with_name("peers.txt")


def _pip(venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [str(venv / "bin" / "python"), "-m", "pip", "--quiet", "--disable-pip-version-check"]
    return subprocess.run([*cmd, *args], cwd=ROOT, capture_output=True, text=True)


def main(venv: Path) -> int:
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    (venv / ".gitignore").write_text("*\n", encoding="utf-8")
    _pip(venv, "install", "--upgrade", "pip")
    base = _pip(venv, "install", "-e", ".[runtime]")
    if base.returncode != 0:
        print(base.stderr, file=sys.stderr)
        return 1
    frozen = _pip(venv, "freeze", "--exclude-editable").stdout
    constraints = venv / "constraints.txt"
    constraints.write_text(frozen, encoding="utf-8")
    missing: list[str] = []
    for line in PEERS.read_text(encoding="utf-8").splitlines():
        req = line.split("#", 1)[0].strip()
        if not req:
            continue
        done = _pip(venv, "install", "-c", str(constraints), req)
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
            missing.append(f"{req}\t{why}")
            print(f"bench: cannot install {req}: {why}", file=sys.stderr)
    (venv / "peers-missing.txt").write_text("".join(f"{m}\n" for m in missing), encoding="utf-8")
    (venv / ".installed").touch()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".venv-bench")))
