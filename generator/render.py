"""Render the view model (and the models module) into the files of generated/.

Returns a mapping from relative path to text; nothing is written here. Templates get
only view-model objects and the header; runtime code that does not depend on the spec
lives as real .py files under templates/*/runtime and is copied with the header line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2

from generator import versioning
from generator.clientmodels import client_models
from generator.config import Config
from generator.loader import canonical_json
from generator.modeljobs import ModelJobs
from generator.servermodels import server_models
from generator.stagecache import JINJA, StageCache
from generator.typeddicts import render_typeddicts
from generator.viewmodel import ApiView


def _docstring_text(text: str, indent: int = 8) -> str:
    """Text safe inside a generated docstring: backslashes and triple quotes escaped, each
    further line indented."""
    safe = str(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    pad = " " * indent
    return "\n".join(
        (pad + line if i and line.strip() else line.rstrip())
        for i, line in enumerate(safe.strip().splitlines())
    )


def _environment(templates: Path, compiled: Path | None = None) -> jinja2.Environment:
    """The templates' environment; with `compiled`, a folder where Jinja keeps each
    template's compiled code (for a template whose text it has compiled before)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = repr
    env.filters["docstring"] = _docstring_text
    env.filters["tojson"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


def _copy_runtime(src: Path, dest: str, comment: str, out: dict[str, str]) -> None:
    if not src.is_dir():
        return
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src).as_posix()
        out[f"{dest}/{rel}"] = f"# {comment}\n" + path.read_text(encoding="utf-8")


def render_all(
    view: ApiView,
    document: dict[str, Any],
    config: Config,
    jobs: ModelJobs | None = None,
    cache: StageCache | None = None,
) -> dict[str, str]:
    """Every file's text. `jobs` gives the models module (made beside, or cached); without
    it, it is made here."""
    if jobs is None:
        with ModelJobs(StageCache(None), parallel=False).start(document) as here:
            return render_all(view, document, config, here, cache)
    env = _environment(config.templates, cache.folder_of(JINJA) if cache else None)
    client, server = config.client_package, config.server_package
    ctx: dict[str, Any] = {
        "api": view,
        "header": view.header,
        "client_package": client,
        "server_package": server,
        "package": versioning.package_view(
            document, versioning.read_releases(config.spec.parent / versioning.RELEASE_FILE)
        ),
    }
    out: dict[str, str] = {}

    def render(template: str, dest: str, **extra: Any) -> None:
        out[dest] = env.get_template(template).render(**ctx, **extra)

    bundled = {"openapi": document.get("openapi"), "x-generated": view.header, **document}
    out["openapi.json"] = canonical_json(bundled)
    render("errors/error-codes.md.j2", "error-codes.md")
    render("errors/error-codes.json.j2", "error-codes.json")
    render("docs/index.md.j2", "docs/README.md")
    for tag in view.tags:
        render("docs/tag.md.j2", f"docs/{tag.module}.md", tag=tag)
    render("docs/reference.html.j2", "docs/reference.html")

    # The datamodel-code-generator run takes most of a cold generate: it started in a child
    # process when the spec was loaded (generator/modeljobs.py); wait for it last.
    out[f"{client}/py.typed"] = ""
    for name in ("__init__.py", "_client.py", "_error_codes.py", "_secrets.py", "api.md"):
        render(f"client/{name}.j2", f"{client}/{name}")
    render("client/resources/__init__.py.j2", f"{client}/resources/__init__.py")
    for tag in view.tags:
        render("client/resources/resource.py.j2", f"{client}/resources/{tag.module}.py", tag=tag)
    _copy_runtime(config.templates / "client" / "runtime", client, view.header, out)

    models = jobs.text(view.header)
    out[f"{client}/models.py"] = client_models(models, document)
    out[f"{client}/params.py"] = render_typeddicts(document, view.header)
    out[f"{server}/models.py"] = server_models(models)
    out[f"{server}/py.typed"] = ""
    out[f"{server}/openapi.json"] = out["openapi.json"]
    for name in ("__init__.py", "app.py", "handlers.py", "errors.py"):
        render(f"server/{name}.j2", f"{server}/{name}")
    render("server/routers/__init__.py.j2", f"{server}/routers/__init__.py")
    render("server/backend/_handlers.py.j2", f"{server}/backend/_handlers.py")
    render("server/backend/_edition_types.py.j2", f"{server}/backend/_edition_types.py")
    for tag in view.tags:
        render("server/routers/router.py.j2", f"{server}/routers/{tag.module}.py", tag=tag)
    _copy_runtime(config.templates / "server" / "runtime", server, view.header, out)

    # Each distribution's metadata, next to (not inside) its package: `make dist` joins them.
    dists = {"client_dist": client.replace("_", "-"), "server_dist": server.replace("_", "-")}
    for kind, import_name in (("client", client), ("server", server)):
        name = dists[f"{kind}_dist"]
        extra = {"import_name": import_name, "dist_name": name, **dists}
        for template in (f"{kind}/pyproject.toml", f"{kind}/README.md", "CHANGELOG.md"):
            render(f"packaging/{template}.j2", f"packages/{name}/{Path(template).name}", **extra)
        if ctx["package"].license:
            render("packaging/LICENSE.j2", f"packages/{name}/LICENSE", **extra)
    return out
