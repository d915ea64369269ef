"""Shared fixtures: the project's paths, the generated packages on sys.path."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SPEC = ROOT / "spec" / "openapi.yaml"

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def loaded_spec() -> Any:
    """The project's spec, loaded once per session (a few seconds)."""
    from generator.loader import load

    spec, findings = load(SPEC)
    assert spec is not None, [f.format() for f in findings]
    return spec


@pytest.fixture(scope="session")
def bundled(loaded_spec: Any) -> dict:
    return loaded_spec.document
