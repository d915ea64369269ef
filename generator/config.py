"""All settings in one frozen dataclass, read from `[tool.emqx-codegen]` and overridden by flags."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Config:
    spec: Path = Path("spec/openapi.yaml")
    templates: Path = Path("templates")
    output: Path = Path("generated")
    client_package: str = "emqx_client"
    server_package: str = "emqx_server_stub"

    def with_overrides(self, **overrides: Any) -> Config:
        """A copy with the given settings; None means "keep", paths become Path."""
        settings: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        for key, value in overrides.items():
            if value is not None:
                settings[key] = (
                    Path(value) if key in ("spec", "templates", "output") else str(value)
                )
        return Config(**settings)


def load_config(project_dir: Path | None = None) -> Config:
    """Read `[tool.emqx-codegen]` from pyproject.toml in `project_dir` (or the cwd), if any."""
    base = project_dir or Path.cwd()
    pyproject = base / "pyproject.toml"
    settings: dict[str, Any] = {}
    if pyproject.is_file():
        with pyproject.open("rb") as fh:
            settings = tomllib.load(fh).get("tool", {}).get("emqx-codegen", {})
    known = {k: v for k, v in settings.items() if k in Config.__dataclass_fields__}
    config = Config().with_overrides(**known)
    if project_dir is not None:
        config = replace(
            config,
            spec=project_dir / config.spec,
            templates=project_dir / config.templates,
            output=project_dir / config.output,
        )
    return config
