"""The version of the generated packages, and their release notes, from spec/release.yaml.

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

`python -m generator.versioning version | release-check ...` serves the release workflow.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from generator.viewmodel import ChangeGroup, PackageView, ReleaseNote

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


def package_view(document: Mapping[str, Any], releases: Sequence[Release]) -> PackageView:
    info = document.get("info") or {}
    spec_version = str(info.get("version", ""))
    license_ = info.get("license") or {}
    revision = max((r.revision for r in releases if r.spec_version == spec_version), default=0)
    version = package_version(spec_version, revision)
    notes = tuple(
        ReleaseNote(
            version=r.version,
            groups=tuple(
                ChangeGroup(title, r.items(kind)) for kind, title in KINDS if r.items(kind)
            ),
        )
        for r in releases
    )
    return PackageView(
        version=version,
        spec_version=spec_version,
        license=str(license_.get("name", "")),
        released=any(r.version == version for r in releases),
        notes=notes,
    )


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


def _load(spec: Path | None) -> tuple[PackageView, tuple[Release, ...]]:
    from generator.config import load_config
    from generator.loader import load

    spec_path = spec or load_config().spec
    loaded, findings = load(spec_path)
    if loaded is None:
        raise ReleaseFileError("; ".join(f.format() for f in findings))
    releases = read_releases(spec_path.parent / RELEASE_FILE)
    return package_view(loaded.document, releases), releases


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.versioning")
    parser.add_argument("--spec", type=Path, help="the root spec file (default from pyproject)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("version", help="print the version of the generated packages")
    check = sub.add_parser("release-check", help="exit 1 when TAG must not be released")
    check.add_argument("--tag", required=True, help="the git tag, e.g. v5.8.9.post1")
    check.add_argument("--previous", help="the version of the previous release, if any")
    check.add_argument(
        "--breaking", action="store_true", help="the diff command found breaking changes"
    )
    args = parser.parse_args(argv)
    try:
        view, releases = _load(args.spec)
    except ReleaseFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "version":
        print(view.version)
        return 0
    problems = release_problems(
        view, releases, tag=args.tag, previous=args.previous, breaking=args.breaking
    )
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not problems:
        print(f"{args.tag}: may be released as {view.version}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
