"""The library core under the CLI: validate, bundle, generate and check. No click here."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Config
from generator.diagnostics import Findings, error
from generator.loader import LoadedSpec, canonical_json, load
from generator.modeljobs import ModelJobs
from generator.render import render_all
from generator.stagecache import StageCache
from generator.validate import validate
from generator.viewmodel import ApiView, build_view
from generator.writer import WriteReport, diff_trees, materialize, recover, swap_in


@dataclass
class Outcome:
    findings: Findings
    spec: LoadedSpec | None = None
    report: WriteReport | None = None
    diff: list[str] = field(default_factory=list)
    view: ApiView | None = None  # the view model generate rendered (for its summary)

    @property
    def ok(self) -> bool:
        return self.findings.ok and not self.diff


def validate_spec(config: Config) -> Outcome:
    spec, findings = load(config.spec)
    if spec is not None:
        findings.extend(validate(spec))
    return Outcome(findings, spec if findings.ok else None)


def bundle(config: Config, destination: Path | None = None) -> Outcome:
    outcome = validate_spec(config)
    if outcome.spec is not None:
        target = destination or config.output / "openapi.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(canonical_json(outcome.spec.document), encoding="utf-8")
        tmp.replace(target)
    return outcome


Progress = Callable[[str], None]


def _quiet(step: str) -> None:
    del step


def _render_tree(
    config: Config,
    spec: LoadedSpec,
    findings: Findings,
    progress: Progress = _quiet,
    jobs: ModelJobs | None = None,
    cache: StageCache | None = None,
    outcome: Outcome | None = None,
) -> Path | None:
    """Render into a temporary tree; a failure becomes a finding, never a traceback."""
    try:
        progress("rendering the models and templates")
        view = build_view(spec)
        if outcome is not None:
            outcome.view = view
        files = render_all(view, spec.document, config, jobs, cache)
        progress(f"formatting {len(files)} files")
        return materialize(files, config.output.resolve().parent, cache, view.header)
    except Exception as exc:  # a template, model-generator or formatter failure
        findings.add(error("render-failed", f"{type(exc).__name__}: {exc}"))
        return None


def generate(config: Config, progress: Progress = _quiet) -> Outcome:
    """Validate, render and swap the new tree into the output folder. Errors write nothing.

    The model runs are made in child processes while this one loads, validates and renders
    (generator/modeljobs.py); texts made before from the same inputs come from the stage
    cache (generator/stagecache.py)."""
    progress("loading and validating the spec")
    cache = StageCache.for_config(config)
    with ModelJobs(cache) as jobs:
        spec, findings = load(config.spec, cache)
        outcome = Outcome(findings)
        if spec is None:
            return outcome
        jobs.start(spec.document)
        findings.extend(validate(spec, cache))
        if not findings.ok:
            return outcome
        outcome.spec = spec
        recover(config.output, drop_stale=True)
        tmp = _render_tree(config, spec, findings, progress, jobs, cache, outcome)
    if tmp is None:
        return outcome
    try:
        progress(f"writing {config.output}")
        outcome.report = swap_in(tmp, config.output)
        cache.prune()
    except OSError as exc:
        outcome.findings.add(
            error("write-failed", f"cannot write {config.output}: {exc}; it was left as it was")
        )
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return outcome


def check(config: Config) -> Outcome:
    """Compare the output folder with what generate would write (made afresh: no cache)."""
    with ModelJobs(StageCache(None)) as jobs:
        spec, findings = load(config.spec)
        outcome = Outcome(findings)
        if spec is None:
            return outcome
        jobs.start(spec.document)
        findings.extend(validate(spec))
        if not findings.ok:
            return outcome
        outcome.spec = spec
        tmp = _render_tree(config, spec, findings, jobs=jobs)
    if tmp is None:
        return outcome
    try:
        outcome.diff = diff_trees(tmp, config.output, config.output.name)
    finally:
        shutil.rmtree(tmp)
    return outcome
