"""The click layer: parse options, build a Config, call the pipeline, print, set the exit code."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import pipeline
from generator.config import Config, load_config
from generator.diagnostics import Findings

F = TypeVar("F", bound=Callable[..., Any])


def _spec_argument(func: F) -> F:
    return click.argument("spec", required=False, type=click.Path(path_type=Path))(func)


def _output_option(func: F) -> F:
    return click.option(
        "--output", "-o", type=click.Path(path_type=Path), help="The generated/ folder."
    )(func)


def _config(spec: Path | None = None, output: Path | None = None) -> Config:
    return load_config().with_overrides(spec=spec, output=output)


def _print_findings(findings: Findings) -> None:
    for finding in findings:
        click.echo(finding.format(), err=True)
    if len(findings):
        click.echo(
            f"{len(findings.errors)} error(s), {len(findings.warnings)} warning(s)", err=True
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Validate the EMQX v5 OpenAPI spec and generate a client, a server stub and an error table.

    Example: emqx-codegen generate
    """


@main.command("validate")
@_spec_argument
def validate_cmd(spec: Path | None) -> None:
    """Validate the split spec and print every finding (file:line, JSON pointer).

    Example: emqx-codegen validate spec/openapi.yaml
    """
    outcome = pipeline.validate_spec(_config(spec))
    _print_findings(outcome.findings)
    if not outcome.findings.ok:
        sys.exit(1)
    click.echo(f"{outcome.spec and len(outcome.spec.files)} file(s) valid")


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

    Example: emqx-codegen bundle --to /tmp/emqx.json
    """
    config = _config(spec)
    outcome = pipeline.bundle(config, destination)
    _print_findings(outcome.findings)
    if not outcome.findings.ok:
        sys.exit(1)
    click.echo(f"wrote {destination or config.output / 'openapi.json'}")


@main.command("generate")
@_spec_argument
@_output_option
def generate_cmd(spec: Path | None, output: Path | None) -> None:
    """Validate, then regenerate the output folder in one swap (nothing written on errors).

    Example: emqx-codegen generate
    """
    started = time.perf_counter()
    config = _config(spec, output)
    outcome = pipeline.generate(config)
    _print_findings(outcome.findings)
    if not outcome.findings.ok or outcome.report is None:
        click.echo(f"{config.output} left as it was", err=True)
        sys.exit(1)
    report = outcome.report
    for rel in report.written:
        click.echo(f"wrote {config.output / rel}")
    for rel in report.removed:
        click.echo(f"removed {config.output / rel}")
    elapsed = time.perf_counter() - started
    click.echo(
        f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed in {elapsed:.2f}s"
    )


@main.command("check")
@_spec_argument
@_output_option
def check_cmd(spec: Path | None, output: Path | None) -> None:
    """Exit 1 with a unified diff when the output folder differs from what generate writes.

    Example: emqx-codegen check
    """
    config = _config(spec, output)
    outcome = pipeline.check(config)
    _print_findings(outcome.findings)
    if not outcome.findings.ok:
        sys.exit(1)
    if outcome.diff:
        sys.stdout.writelines(outcome.diff)
        click.echo(f"{config.output} is out of date: run 'make generate'", err=True)
        sys.exit(1)
    click.echo(f"{config.output} is up to date")


@main.command("serve")
@_output_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=18083, show_default=True, type=int)
@click.option("--api-key", envvar="EMQX_API_KEY", default="emqx-stub-key", show_default=True)
@click.option(
    "--secret-key", envvar="EMQX_SECRET_KEY", default="emqx-stub-secret", show_default=True
)
def serve_cmd(output: Path | None, host: str, port: int, api_key: str, secret_key: str) -> None:
    """Run the generated server stub with its in-memory backend under uvicorn.

    Example: emqx-codegen serve --port 18083 --api-key my-key --secret-key my-secret
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
    backend = InMemoryBackend(api_key=api_key, secret_key=secret_key)
    click.echo(f"EMQX stub on http://{host}:{port}/api/v5 (Basic auth: {api_key} / <secret>)")
    uvicorn.run(create_app(backend.handlers()), host=host, port=port, log_level="warning")
