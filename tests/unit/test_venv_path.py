"""`make generate` leaves both generated packages importable from the virtualenv: the
Makefile writes a .pth file naming generated/ into the venv's site-packages (checked on a
bare venv standing in for .venv, with the install step marked done)."""

from __future__ import annotations

import subprocess
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_puts_the_generated_packages_on_the_venv_path(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    (env_dir / ".installed").touch()  # newer than pyproject.toml: no pip install
    made = subprocess.run(
        ["make", "--no-print-directory", f"VENV={env_dir}", f"{env_dir}/.generated-on-path"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    probe = (
        "import importlib.util as u; "
        "print(u.find_spec('emqx_client').origin); print(u.find_spec('emqx_server_stub').origin)"
    )
    found = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", probe],
        cwd=tmp_path,  # not the repository: only the .pth can make them importable
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == [
        str(ROOT / "generated" / "emqx_client" / "__init__.py"),
        str(ROOT / "generated" / "emqx_server_stub" / "__init__.py"),
    ]


def test_the_make_targets_a_newcomer_runs_set_the_path_up() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("generate", "serve"):
        assert f"\n{target}: $(GENERATED_PTH)\n" in makefile
    assert "\ntest: lint $(GENERATED_PTH)\n" in makefile
