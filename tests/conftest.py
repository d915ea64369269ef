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


# Parallel runs (`make test` runs pytest-xdist with `--dist loadgroup`): each worker
# collects every test, and tests are handed out one by one unless they share a group. The
# groups keep together what must run in one process:
# - tests/functional: its last file (test_zz_coverage) judges what the whole folder did
#   through the session's stubs and checker, so the folder runs on one worker;
# - the tests that run mypy over generated/ share its incremental cache folder;
# - the tests of a module that share a module-scoped fixture (a server, a `make dist`, a
#   fresh generate), so that the fixture is made once, not once per worker.
# Without xdist the marks do nothing (pyproject registers `xdist_group`).
FUNCTIONAL = ROOT / "tests" / "functional"
MYPY_CACHE = {
    "tests/golden/test_generated_tree.py::test_mypy_strict_passes_on_generated",
    "tests/client/test_typing.py::test_mypy_strict_accepts_typed_usage_and_flags_each_bad_body",
}


def _shares_a_module_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        defs[-1].scope in ("module", "class", "package") for defs in info.name2fixturedefs.values()
    )


def _group(item: pytest.Item) -> str | None:
    if FUNCTIONAL in item.path.parents:
        return "functional"
    if item.nodeid in MYPY_CACHE:
        return "mypy-cache"
    if _shares_a_module_fixture(item):
        return item.nodeid.split("::", 1)[0]
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        group = _group(item)
        if group is not None and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(group))
