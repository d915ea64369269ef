"""The release policy of the generated packages: their version from spec/release.yaml,
and whether a tag may be released.

The scheme (README.md, "Releasing", has the whole policy):

- version = the spec's `info.version` (the EMQX version the packages speak to), plus
  `.post<N>` when the package revision N is above 0: 5.8.9, 5.8.9.post1, 5.9.0, ...
- spec/release.yaml lists the releases newest first, each with its spec-version, revision
  and changes by kind; the revision in force for `info.version` is the highest one listed
  for it, 0 when none is.
- Bump the revision (a new entry) when the generated code changes while `info.version`
  stays; a new `info.version` starts again at revision 0.
- A post-release never carries a breaking change: an entry with `breaking` items and a
  revision above 0 is refused here, and `release-check --breaking` (run by the release
  workflow when the diff command finds a breaking change) refuses a version that differs
  from the previous release by its post number only.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from generator.viewmodel import PackageView

RELEASE_FILE = "release.yaml"  # next to the root spec file
KINDS: tuple[tuple[str, str], ...] = (
    ("breaking", "Breaking changes"),
    ("added", "Added"),
    ("changed", "Changed"),
    ("deprecated", "Deprecated"),
    ("removed", "Removed"),
    ("fixed", "Fixed"),
)
_KEYS = {"spec-version", "revision", *(kind for kind, _ in KINDS)}


class ReleaseFileError(ValueError):
    """spec/release.yaml (or info.version) does not follow the scheme above."""


@dataclass(frozen=True)
class Release:
    spec_version: str
    revision: int
    changes: tuple[tuple[str, tuple[str, ...]], ...]  # (kind, items) in KINDS order

    @property
    def version(self) -> str:
        return package_version(self.spec_version, self.revision)

    def items(self, kind: str) -> tuple[str, ...]:
        return dict(self.changes).get(kind, ())


def package_version(spec_version: str, revision: int) -> str:
    """`5.8.9` for revision 0, `5.8.9.post2` for revision 2 (PEP 440, normalized)."""
    try:
        base = Version(spec_version)
    except InvalidVersion:
        raise ReleaseFileError(
            f"info.version {spec_version!r} is not a PEP 440 version (e.g. 5.8.9)"
        ) from None
    if base.post is not None or base.dev is not None or base.local is not None:
        raise ReleaseFileError(
            f"info.version {spec_version!r} must be a release, without post, dev or local parts"
        )
    if revision < 0:
        raise ReleaseFileError(f"revision {revision} is below 0")
    return str(base) if revision == 0 else f"{base}.post{revision}"


def hides_breaking(previous: str, current: str) -> bool:
    """True when `current` differs from `previous` by its post number only."""
    return Version(previous).release == Version(current).release and (
        Version(previous).pre == Version(current).pre
    )


def _entry(path: Path, index: int, raw: Any) -> Release:
    where = f"{path}: releases[{index}]"
    if not isinstance(raw, dict):
        raise ReleaseFileError(f"{where}: expected a mapping")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ReleaseFileError(f"{where}: unknown keys {unknown}; allowed: {sorted(_KEYS)}")
    spec_version, revision = raw.get("spec-version"), raw.get("revision", 0)
    if not isinstance(spec_version, str):
        raise ReleaseFileError(f"{where}: spec-version must be a quoted string, like '5.8.9'")
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        raise ReleaseFileError(f"{where}: revision must be a whole number, 0 or more")
    changes = []
    for kind, _ in KINDS:
        items = raw.get(kind) or []
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            raise ReleaseFileError(f"{where}.{kind}: expected a list of non-empty strings")
        if items:
            changes.append((kind, tuple(" ".join(i.split()) for i in items)))
    release = Release(spec_version, revision, tuple(changes))
    if revision > 0 and release.items("breaking"):
        raise ReleaseFileError(
            f"{where}: {release.version} is a post-release and lists breaking changes; a "
            "breaking change ships only with a new spec-version (README.md, Releasing)"
        )
    return release


def read_releases(path: Path) -> tuple[Release, ...]:
    """The entries of spec/release.yaml, newest first; () when the file does not exist."""
    if not path.is_file():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    raw = data.get("releases") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        raise ReleaseFileError(f"{path}: expected a top-level `releases:` list")
    releases = tuple(_entry(path, i, entry) for i, entry in enumerate(raw))
    for newer, older in itertools.pairwise(releases):
        if Version(newer.version) <= Version(older.version):
            raise ReleaseFileError(
                f"{path}: {newer.version} is listed above {older.version}: newest first, "
                "each version once"
            )
    return releases


def release_problems(
    view: PackageView,
    releases: Sequence[Release],
    *,
    tag: str,
    previous: str | None = None,
    breaking: bool = False,
) -> list[str]:
    """Why the tag must not be released (empty when it may be)."""
    problems = []
    if tag.removeprefix("v") != view.version:
        problems.append(f"tag {tag} does not name the package version {view.version}")
    if not view.released:
        problems.append(f"{RELEASE_FILE} has no entry for {view.version}: add one, newest first")
    if breaking:
        if previous and hides_breaking(previous, view.version):
            problems.append(
                f"the diff command found breaking changes since {previous}: they must not ship "
                f"as {view.version}, which differs from it by its post number only; they wait "
                "for a new spec-version"
            )
        entry = next((r for r in releases if r.version == view.version), None)
        if entry is not None and not entry.items("breaking"):
            problems.append(f"the entry for {view.version} must list them under `breaking:`")
    return problems
