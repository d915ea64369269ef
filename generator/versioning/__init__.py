"""Versions and releases of the generated packages: the policy (policy.py), the package
view the templates get (package.py) and the release workflow's command line
(`python -m generator.versioning`, __main__.py)."""

from __future__ import annotations

from generator.versioning.package import package_view
from generator.versioning.policy import (
    KINDS,
    RELEASE_FILE,
    Release,
    ReleaseFileError,
    hides_breaking,
    package_version,
    read_releases,
    release_problems,
)

__all__ = [
    "KINDS",
    "RELEASE_FILE",
    "Release",
    "ReleaseFileError",
    "hides_breaking",
    "package_version",
    "package_view",
    "read_releases",
    "release_problems",
]
