"""BASE and REVISION: a YAML or JSON file, a split folder, or GITREF:PATH read from git."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from io import BytesIO
from pathlib import Path

import pytest
import yaml

from generator.diff import compare
from generator.diff.inputs import read_spec
from tests.diff.conftest import CASES, ROOT, diff_paths, levels_and_ids


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_head_spec_compared_with_itself_gives_nothing() -> None:
    assert diff_paths("HEAD:spec/", "HEAD:spec/") == []
    assert diff_paths("HEAD:spec/openapi.yaml", "HEAD:spec") == []


def test_git_input_reads_what_a_checkout_would(tmp_path: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", "HEAD", "spec"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tmp_path, filter="data")
    assert diff_paths("HEAD:spec/", tmp_path / "spec") == []
    spec, findings = read_spec("HEAD:spec/", ROOT)
    assert spec is not None and findings.ok
    assert all(name.startswith("spec/") for name in spec.files)
    assert spec.source_map.locate("/paths/~1clients/get") is not None
    assert str(spec.source_map.locate("/paths/~1clients/get")).startswith(
        "spec/paths/clients.yaml:"
    )


def test_git_refs_of_a_history_give_its_changes_at_repository_paths(tmp_path: Path) -> None:
    case = CASES / "request-parameter-became-required"
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "api").mkdir()
    shutil.copy(case / "base.yaml", tmp_path / "api" / "openapi.yaml")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    shutil.copy(case / "revision.yaml", tmp_path / "api" / "openapi.yaml")
    git(tmp_path, "commit", "-q", "-am", "revision")
    for base, revision in (("main~1:api/", "main:api/"), ("HEAD~1:api/openapi.yaml", "api")):
        base_spec, _ = read_spec(base, tmp_path)
        rev_spec, _ = read_spec(revision, tmp_path)
        assert base_spec is not None and rev_spec is not None
        changes = compare(base_spec, rev_spec)
        assert levels_and_ids(changes) == ["ERR request-parameter-became-required"]
        assert changes[0].location is not None
        assert changes[0].location.file.endswith("api/openapi.yaml")
        assert not changes[0].location.file.startswith("/tmp/emqx-diff-")


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("no-such-ref:spec/", "'no-such-ref' is not a commit, branch or tag here"),
        ("HEAD:no/such/folder", "no no/such/folder at HEAD"),
    ],
)
def test_bad_git_inputs_are_findings(arg: str, message: str) -> None:
    spec, findings = read_spec(arg, ROOT)
    assert spec is None
    assert [f.id for f in findings] == ["input-git"]
    assert message in findings.errors[0].message


def test_json_files_diff_like_their_yaml(tmp_path: Path) -> None:
    case = CASES / "response-required-property-removed"
    for side in ("base", "revision"):
        data = yaml.safe_load((case / f"{side}.yaml").read_text())
        (tmp_path / f"{side}.json").write_text(json.dumps(data, indent=2))
    changes = diff_paths(tmp_path / "base.json", tmp_path / "revision.json")
    assert levels_and_ids(changes) == ["ERR response-required-property-removed"]
    assert changes[0].location is not None and changes[0].location.line > 1


def test_openapi_3_1_against_3_0(tmp_path: Path) -> None:
    case = CASES / "response-property-became-nullable"
    text = (case / "revision.yaml").read_text()
    assert "nullable: true" in text
    three_one = text.replace('openapi: "3.0.3"', 'openapi: "3.1.0"').replace(
        "{type: string, nullable: true}", "{type: [string, 'null']}"
    )
    (tmp_path / "revision.yaml").write_text(three_one)
    assert "3.1.0" in three_one and "'null'" in three_one
    changes = diff_paths(case / "base.yaml", tmp_path / "revision.yaml")
    assert levels_and_ids(changes) == ["ERR response-property-became-nullable"]
    assert diff_paths(case / "revision.yaml", tmp_path / "revision.yaml") == []


def test_a_folder_without_a_root_document_is_a_finding(tmp_path: Path) -> None:
    spec, findings = read_spec(str(tmp_path), ROOT)
    assert spec is None
    assert (
        "the folder has none of openapi.yaml, openapi.yml, openapi.json"
        in findings.errors[0].message
    )
