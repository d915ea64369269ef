"""The package version scheme and the release policy of generator/versioning/."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.versioning import (
    ReleaseFileError,
    hides_breaking,
    package_version,
    package_view,
    read_releases,
    release_problems,
)

DOC = {"info": {"version": "5.8.9", "license": {"name": "Apache-2.0"}}}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "release.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("spec_version", "revision", "expected"),
    [("5.8.9", 0, "5.8.9"), ("5.8.9", 2, "5.8.9.post2"), ("5.10.0-rc.1", 1, "5.10.0rc1.post1")],
)
def test_version_is_the_spec_version_plus_a_post_revision(
    spec_version: str, revision: int, expected: str
) -> None:
    assert package_version(spec_version, revision) == expected


@pytest.mark.parametrize("spec_version", ["v five", "5.8.9.post1", "5.8.9+local", ""])
def test_spec_versions_outside_the_scheme_are_refused(spec_version: str) -> None:
    with pytest.raises(ReleaseFileError):
        package_version(spec_version, 0)


def test_the_highest_revision_of_the_spec_version_is_in_force(tmp_path: Path) -> None:
    releases = read_releases(
        write(
            tmp_path,
            """
releases:
  - spec-version: "5.8.9"
    revision: 1
    fixed: [Retries honour Retry-After.]
  - spec-version: "5.8.9"
    revision: 0
    added: [First release.]
  - spec-version: "5.8.8"
    revision: 0
    breaking: [Something older.]
""",
        )
    )
    view = package_view(DOC, releases)
    assert (view.version, view.released, view.license) == ("5.8.9.post1", True, "Apache-2.0")
    assert [n.version for n in view.notes] == ["5.8.9.post1", "5.8.9", "5.8.8"]
    assert [(g.title, g.items) for g in view.notes[0].groups] == [
        ("Fixed", ("Retries honour Retry-After.",))
    ]


def test_a_new_spec_version_starts_at_revision_zero_unreleased(tmp_path: Path) -> None:
    releases = read_releases(write(tmp_path, 'releases:\n  - {spec-version: "5.8.8"}\n'))
    view = package_view(DOC, releases)
    assert (view.version, view.released) == ("5.8.9", False)
    assert package_view(DOC, read_releases(tmp_path / "missing.yaml")).version == "5.8.9"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'releases:\n  - {spec-version: "5.8.9", revision: 1, breaking: [x]}\n',
            "post-release and lists breaking changes",
        ),
        (
            'releases:\n  - {spec-version: "5.8.8"}\n  - {spec-version: "5.8.9"}\n',
            "newest first",
        ),
        ("releases:\n  - {spec-version: 5.8}\n", "quoted string"),
        ('releases:\n  - {spec-version: "5.8.9", fixd: [x]}\n', "unknown keys"),
        ('releases:\n  - {spec-version: "5.8.9", revision: -1}\n', "whole number"),
    ],
)
def test_release_file_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ReleaseFileError, match=message):
        read_releases(write(tmp_path, text))


def test_a_post_release_hides_a_break_and_a_new_spec_version_does_not() -> None:
    assert hides_breaking("5.8.9", "5.8.9.post1")
    assert hides_breaking("5.8.9.post1", "5.8.9.post2")
    assert not hides_breaking("5.8.9.post3", "5.9.0")


def test_release_check(tmp_path: Path) -> None:
    releases = read_releases(
        write(
            tmp_path,
            """
releases:
  - {spec-version: "5.8.9", revision: 1, fixed: [a fix]}
  - {spec-version: "5.8.9", revision: 0, added: [first]}
""",
        )
    )
    view = package_view(DOC, releases)
    assert release_problems(view, releases, tag="v5.8.9.post1", previous="5.8.9") == []
    assert release_problems(view, releases, tag="v5.8.9", previous="5.8.9") == [
        "tag v5.8.9 does not name the package version 5.8.9.post1"
    ]
    breaking = release_problems(view, releases, tag="v5.8.9.post1", previous="5.8.9", breaking=True)
    assert len(breaking) == 2
    assert "differs from it by its post number only" in breaking[0]
    assert "under `breaking:`" in breaking[1]
