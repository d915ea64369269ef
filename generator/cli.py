"""The click layer: parse options, build a Config, call the pipeline, print, set the exit code."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import __version__, fingerprint, report
from generator.config import Config, load_config
from generator.diagnostics import Findings, Level
from generator.helpformat import HelpGroup
from generator.openapi import iter_operations
from generator.viewmodel import build_view

F = TypeVar("F", bound=Callable[..., Any])


def _spec_argument(func: F) -> F:
    return click.argument("spec", required=False, type=click.Path(path_type=Path))(func)


def _output_option(func: F) -> F:
    return click.option(
        "--output", "-o", type=click.Path(path_type=Path), help="The generated/ folder."
    )(func)


def _format_options(func: F) -> F:
    func = click.option(
        "--json", "as_json", is_flag=True, help="Print a JSON report (for scripts)."
    )(func)
    return click.option("--quiet", "-q", is_flag=True, help="Print only errors.")(func)


def _config(spec: Path | None = None, output: Path | None = None) -> Config:
    return load_config().with_overrides(spec=spec, output=output)


def _print_findings(findings: Findings, quiet: bool = False) -> None:
    shown = Findings([f for f in findings if not quiet or f.level is Level.ERROR])
    if len(shown):
        click.echo(report.format_human(shown), err=True, nl=False)


@click.group(cls=HelpGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="emqx-codegen")
def main() -> None:
    """Validate the EMQX v5 OpenAPI spec and generate a client, a server stub and an error table.

    \b
    Examples:
      emqx-codegen validate                 # the spec of [tool.emqx-codegen] in pyproject.toml
      emqx-codegen generate                 # rewrite generated/ in one swap
      emqx-codegen check                    # exit 1 with a diff when generated/ is stale
      emqx-codegen serve --port 18083       # the stub with its in-memory backend
    """


@main.command("validate")
@_spec_argument
@_format_options
def validate_cmd(spec: Path | None, as_json: bool, quiet: bool) -> None:
    """Validate the split spec and print every finding (file:line, JSON pointer).

    \b
    Example:
      emqx-codegen validate spec/openapi.yaml
    """
    from generator import pipeline  # imported here: it loads the validators

    outcome = pipeline.validate_spec(_config(spec))
    if as_json:
        files = list(outcome.spec.files) if outcome.spec else []
        click.echo(report.format_json(outcome.findings, files=files), nl=False)
    else:
        _print_findings(outcome.findings, quiet)
        if outcome.spec is not None and not quiet:
            ops = sum(1 for _ in iter_operations(outcome.spec.document))
            click.echo(f"{len(outcome.spec.files)} file(s), {ops} operation(s): valid")
    sys.exit(0 if outcome.findings.ok else 1)


@main.command("bundle")
@_spec_argument
@click.option(
    "--to",
    "destination",
    type=click.Path(path_type=Path),
    help="Where to write (default generated/openapi.json).",
)
def bundle_cmd(spec: Path | None, destination: Path | None) -> None:
    """Write the single-file spec with every $ref resolved into components.

    \b
    Example:
      emqx-codegen bundle --to /tmp/emqx.json
    """
    config = _config(spec)
    from generator import pipeline  # imported here: it loads the validators

    outcome = pipeline.bundle(config, destination)
    _print_findings(outcome.findings)
    if not outcome.findings.ok:
        sys.exit(1)
    click.echo(f"wrote {destination or config.output / 'openapi.json'}")


@main.command("generate")
@_spec_argument
@_output_option
@_format_options
@click.option(
    "--force", is_flag=True, help="Regenerate even when nothing changed since the last run."
)
def generate_cmd(
    spec: Path | None, output: Path | None, as_json: bool, quiet: bool, force: bool
) -> None:
    """Validate, then regenerate the output folder in one swap (nothing written on errors).

    \b
    Example:
      emqx-codegen generate --output generated
    """
    started = time.perf_counter()
    config = _config(spec, output)
    if not force and fingerprint.unchanged(config):
        if as_json:
            click.echo(
                json.dumps(
                    {"findings": [], "summary": {"errors": 0, "warnings": 0}, "unchanged": True}
                )
            )
        elif not quiet:
            elapsed = time.perf_counter() - started
            click.echo(
                f"{config.output} is up to date: nothing changed since the last generate ({elapsed:.2f}s)"
            )
        return
    from generator import pipeline

    def progress(step: str) -> None:
        if not (quiet or as_json) and sys.stderr.isatty():
            click.echo(click.style(f"… {step}", dim=True), err=True)

    outcome = pipeline.generate(config, progress)
    if outcome.report is not None:
        fingerprint.remember(config)
    elapsed = time.perf_counter() - started
    written = outcome.report
    if as_json:
        extra: dict[str, object] = {"seconds": round(elapsed, 3)}
        if written is not None:
            extra.update(
                written=written.written, unchanged=len(written.unchanged), removed=written.removed
            )
        click.echo(report.format_json(outcome.findings, **extra), nl=False)
        sys.exit(0 if written is not None else 1)
    _print_findings(outcome.findings, quiet)
    if not outcome.findings.ok or written is None:
        click.echo(f"{config.output} left as it was", err=True)
        sys.exit(1)
    if quiet:
        return
    for rel in written.written:
        click.echo(f"wrote {config.output / rel}")
    for rel in written.removed:
        click.echo(f"removed {config.output / rel}")
    assert outcome.spec is not None
    view = outcome.view or build_view(outcome.spec)
    click.echo(
        f"{len(view.operations)} operations in {len(view.tags)} resources, "
        f"{len(view.model_names)} models, {len(view.error_codes)} error codes"
    )
    click.echo(
        f"{len(written.written)} written, {len(written.unchanged)} unchanged, "
        f"{len(written.removed)} removed in {elapsed:.2f}s"
    )


@main.command("check")
@_spec_argument
@_output_option
@_format_options
def check_cmd(spec: Path | None, output: Path | None, as_json: bool, quiet: bool) -> None:
    """Exit 1 with a unified diff when the output folder differs from what generate writes.

    \b
    Example:
      emqx-codegen check
    """
    config = _config(spec, output)
    from generator import pipeline  # imported here: it loads the validators

    outcome = pipeline.check(config)
    if as_json:
        click.echo(report.format_json(outcome.findings, diff="".join(outcome.diff)), nl=False)
        sys.exit(0 if outcome.ok else 1)
    _print_findings(outcome.findings, quiet)
    if not outcome.findings.ok:
        sys.exit(1)
    if outcome.diff:
        sys.stdout.writelines(outcome.diff)
        click.echo(f"{config.output} is out of date: run 'make generate'", err=True)
        sys.exit(1)
    if not quiet:
        click.echo(f"{config.output} is up to date")


@main.command("diff")
@click.argument("base")
@click.argument("revision")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json", "github", "junit"]),
    default="text",
    show_default=True,
)
@click.option("--fail-on", type=click.Choice(["ERR", "WARN"]), default="ERR", show_default=True)
@click.option("--waivers", type=click.Path(path_type=Path), help="YAML list of accepted breaks.")
@click.option("--include-info", is_flag=True, help="List INFO changes too.")
@click.option(
    "--http-only",
    is_flag=True,
    help="oasdiff's semantics: judge by the HTTP level alone, without the generated client's impact.",
)
@click.option(
    "--deprecation-days-beta",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Days of notice (deprecation to x-sunset) a beta operation needs; 0: no sunset asked.",
)
@click.option(
    "--deprecation-days-stable",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Days of notice a stable operation (or one without x-stability-level) needs.",
)
def diff_cmd(
    base: str,
    revision: str,
    fmt: str,
    fail_on: str,
    waivers: Path | None,
    include_info: bool,
    http_only: bool,
    deprecation_days_beta: int,
    deprecation_days_stable: int,
) -> None:
    """Report what REVISION breaks for clients of BASE: exit 0 clean, 1 breaking, 2 unreadable.

    BASE and REVISION are a spec file, a split spec folder, or GITREF:PATH (main:spec/).
    A change that breaks code written against the generated client fails too, whatever
    its HTTP level, unless --http-only.

    \b
    Example:
      emqx-codegen diff main:spec/ spec/ --format markdown
    """
    from generator.diff import run_diff
    from generator.diff.formats import FORMATS
    from generator.diff.model import Level as ChangeLevel
    from generator.diff.model import Policy

    outcome = run_diff(
        base,
        revision,
        waivers=waivers,
        fail_on=ChangeLevel(fail_on),
        include_info=include_info,
        http_only=http_only,
        policy=Policy(deprecation_days_beta, deprecation_days_stable),
    )
    _print_findings(outcome.findings)
    if outcome.report is not None and outcome.findings.ok:
        click.echo(FORMATS[fmt](outcome.report), nl=False)
    sys.exit(outcome.exit_code)


@main.command("serve")
@_output_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=18083, show_default=True, type=int)
@click.option("--api-key", envvar="EMQX_API_KEY", default="emqx-stub-key", show_default=True)
@click.option(
    "--secret-key", envvar="EMQX_SECRET_KEY", default="emqx-stub-secret", show_default=True
)
@click.option(
    "--edition",
    type=click.Choice(["ce", "ee"]),
    default="ce",
    show_default=True,
    help="The EMQX build to imitate: ce (open source: enterprise operations answer 404) "
    "or ee (enterprise: every operation, roles on API keys).",
)
@click.option(
    "--seed",
    "dataset",
    metavar="NAME",
    help="Fill the stub with a data set first: demo (320 clients with subscriptions, "
    "retained messages, alarms active and cleared, bans).",
)
def serve_cmd(
    output: Path | None,
    host: str,
    port: int,
    api_key: str,
    secret_key: str,
    edition: str,
    dataset: str | None,
) -> None:
    """Run the generated server stub with its in-memory backend under uvicorn.

    \b
    Examples:
      emqx-codegen serve --seed demo
      emqx-codegen serve --port 18083 --api-key my-key --secret-key my-secret --edition ee
    """
    config = _config(output=output)
    sys.path.insert(0, str(config.output.resolve()))
    try:
        import uvicorn
        from emqx_server_stub import create_app
        from emqx_server_stub.backend import InMemoryBackend
    except ImportError as exc:
        click.echo(f"cannot import the stub from {config.output}: {exc}", err=True)
        sys.exit(2)
    backend = InMemoryBackend(
        api_key=api_key, secret_key=secret_key, edition="ee" if edition == "ee" else "ce"
    )
    if dataset is not None:
        try:
            backend.seed(dataset)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--seed'") from None
    click.echo(
        f"EMQX {edition} stub on http://{host}:{port}/api/v5 (Basic auth: {api_key} / <secret>)"
        + (f", seeded with {dataset!r}" if dataset else "")
    )
    uvicorn.run(create_app(backend.handlers()), host=host, port=port, log_level="warning")
