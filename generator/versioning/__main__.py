"""`python -m generator.versioning version | release-check ...`: the release workflow's
questions (the package version; may this tag be released)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.versioning.package import package_view
from generator.versioning.policy import (
    RELEASE_FILE,
    Release,
    ReleaseFileError,
    read_releases,
    release_problems,
)
from generator.viewmodel import PackageView


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
