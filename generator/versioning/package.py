"""The package view the templates get: version, license and release notes of the
generated packages, from the spec and the releases of spec/release.yaml."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from generator.versioning.policy import KINDS, Release, package_version
from generator.viewmodel import ChangeGroup, PackageView, ReleaseNote


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
