"""Text and binary bodies, multipart uploads, file downloads and cursor/position pages,
end to end on a small fixture spec generated into a temporary folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KINDS = ROOT / "tests" / "fixtures" / "kinds"


def test_every_body_kind_and_page_style_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(KINDS / "openapi.yaml"),
            "--output",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    shutil.copy(KINDS / "drive.py", out / "drive.py")
    run = subprocess.run([sys.executable, "drive.py"], cwd=out, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == "all kinds ok"
    typed = subprocess.run(
        # The stub's in-memory backend serves the EMQX spec, not this fixture: left out here.
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "mc"),
            "--exclude",
            "emqx_server_stub/(backend/|__main__)",
            "emqx_client",
            "emqx_server_stub",
        ],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert typed.returncode == 0, typed.stdout[-3000:]
