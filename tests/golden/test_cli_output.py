"""The CLI's exact text: help pages, the JSON report, --quiet. One file per snapshot
under tests/golden/cli/; after a deliberate change, regenerate them with the command in
each test's docstring."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "golden" / "cli"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"COLUMNS": "100", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.mark.parametrize(
    "command", ["main", "validate", "bundle", "generate", "check", "serve", "diff"]
)
def test_help_pages(command: str) -> None:
    """COLUMNS=100 emqx-codegen [COMMAND] --help > tests/golden/cli/COMMAND-help.txt"""
    args = [] if command == "main" else [command]
    done = cli(*args, "--help")
    assert done.returncode == 0
    assert (
        done.stdout.replace("python -m generator", "emqx-codegen")
        == (SNAPSHOTS / f"{command}-help.txt").read_text()
    )


def test_json_report_for_scripts() -> None:
    done = cli("validate", "--json", "tests/fixtures/broken/duplicate-operation-id/openapi.yaml")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["summary"] == {"errors": 1, "warnings": 0}
    assert report["findings"][0] == {
        "level": "error",
        "id": "operation-id-duplicate",
        "message": "operationId 'list_things' is also used by GET /things",
        "file": "tests/fixtures/broken/duplicate-operation-id/openapi.yaml",
        "line": 56,
        "pointer": "/paths/~1things~1{name}/delete/operationId",
    }


def test_quiet_prints_nothing_on_success() -> None:
    done = cli("validate", "--quiet", "tests/fixtures/mini/openapi.yaml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_no_colour_when_not_a_terminal() -> None:
    done = cli("validate", "tests/fixtures/broken/bare-ref/openapi.yaml")
    assert "\x1b[" not in done.stderr
