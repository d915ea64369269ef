"""A digest of everything generate reads and of what it wrote, so that a regeneration with
nothing changed can stop before loading anything (it is kept in `<output>/.inputs`; the
drift check ignores dot files). Contents are hashed, not times, so it holds on any clone."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from generator.config import Config

_RECORD = ".inputs"
_TOOLS = ("datamodel-code-generator", "ruff", "jinja2", "pydantic")


def _digest_files(root: Path, pattern: str = "*") -> str:
    digest = hashlib.sha256()
    if root.is_file():
        digest.update(root.read_bytes())
        return digest.hexdigest()
    for path in sorted(root.rglob(pattern)):
        parts = path.relative_to(root).parts
        if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in parts):
            digest.update("/".join(parts).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def generator_digest() -> str:
    """The digest of the generator's own source."""
    return _digest_files(Path(__file__).resolve().parent, "*.py")


def versions() -> dict[str, str]:
    found = {}
    for name in _TOOLS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "-"
    return found


def inputs(config: Config) -> dict[str, object]:
    spec_root = config.spec.parent if config.spec.is_file() else config.spec
    return {
        "spec": _digest_files(spec_root),
        "templates": _digest_files(config.templates),
        "generator": generator_digest(),
        "tools": versions(),
    }


def _record(config: Config) -> Path:
    return config.output / _RECORD


def unchanged(config: Config) -> bool:
    """True when the inputs and the output folder are exactly as the last generate left them."""
    try:
        saved = json.loads(_record(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(
        saved.get("inputs") == inputs(config)
        and saved.get("output") == _digest_files(config.output)
    )


def remember(config: Config) -> None:
    record = {"inputs": inputs(config), "output": _digest_files(config.output)}
    _record(config).write_text(
        json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
