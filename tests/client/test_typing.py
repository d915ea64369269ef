"""mypy --strict over typed_usage.py against the generated client: request bodies are
typed (a misspelt key, a missing key and a wrong enum value are errors), the aggregate
overloads, typed pages and meta, raw responses and with_options keep their types."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USAGE = Path(__file__).with_name("typed_usage.py")


def test_mypy_strict_accepts_typed_usage_and_flags_each_bad_body() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(ROOT / ".mypy_cache" / "generated"),
            str(USAGE),
        ],
        cwd=ROOT / "generated",
        env={**os.environ, "MYPYPATH": str(ROOT / "generated")},
        capture_output=True,
        text=True,
        timeout=900,
    )
    # Each `# type: ignore[arg-type]` line must be an error: strict mode reports an unused one.
    assert done.returncode == 0, done.stdout[-4000:]
    assert USAGE.read_text().count("# type: ignore[arg-type]") == 3
