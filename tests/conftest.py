"""Shared fixtures: the project's paths, the generated packages on sys.path."""

from __future__ import annotations

import sys
from pathlib import Path

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
def bundled() -> dict:
    from generator.loader import load

    spec, findings = load(SPEC)
    assert spec is not None, [f.format() for f in findings]
    return spec.document
