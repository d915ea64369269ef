"""`emqx-codegen diff`: exit codes 0/1/2, every format, --include-info, --fail-on, waivers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner, Result

from generator.cli import main
from tests.diff.conftest import HERE, ROOT

BASE = "tests/diff/formats/base.yaml"
REVISION = "tests/diff/formats/revision.yaml"


def case(rule: str) -> tuple[str, str]:
    folder = f"tests/diff/cases/{rule}"
    return f"{folder}/base.yaml", f"{folder}/revision.yaml"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["diff", *args])


def test_exit_0_when_nothing_reaches_fail_on(in_root: Path) -> None:
    assert run(*case("endpoint-added")).exit_code == 0
    # WARN < ERR, but the generated client's method loses its keyword: 1 unless --http-only
    assert run(*case("request-parameter-removed")).exit_code == 1
    assert run(*case("request-parameter-removed"), "--http-only").exit_code == 0
    done = run(BASE, BASE)
    assert (done.exit_code, done.stdout) == (0, "no changes\n")


def test_exit_1_on_err_and_on_warn_with_fail_on_warn(in_root: Path) -> None:
    assert run(*case("request-parameter-became-required")).exit_code == 1
    assert run(*case("request-parameter-removed"), "--fail-on", "WARN").exit_code == 1
    assert run(*case("endpoint-added"), "--fail-on", "WARN").exit_code == 0


def test_exit_2_with_a_located_finding_when_an_input_cannot_be_read(in_root: Path) -> None:
    broken = "tests/fixtures/broken/dangling-ref/openapi.yaml"
    done = run(BASE, broken)
    assert done.exit_code == 2
    assert f"{broken}:30: error: ref-dangling:" in done.stderr
    assert done.stdout == ""
    missing = run(BASE, "tests/diff/nothing-here.yaml")
    assert missing.exit_code == 2
    assert "input-missing: tests/diff/nothing-here.yaml: no such file or folder" in missing.stderr


def test_exit_2_for_a_document_that_is_not_openapi_3(in_root: Path, tmp_path: Path) -> None:
    swagger = tmp_path / "swagger.yaml"
    swagger.write_text('swagger: "2.0"\ninfo: {title: old, version: "1"}\npaths: {}\n')
    done = run(BASE, str(swagger))
    assert done.exit_code == 2
    assert (
        "input-not-openapi-3" in done.stderr and "not an OpenAPI 3.0 or 3.1 document" in done.stderr
    )


def test_no_traceback_from_the_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "diff", BASE, "nope:spec/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "input-git: nope:spec/: 'nope' is not a commit, branch or tag here" in done.stderr
    assert "Traceback" not in done.stderr


def test_text_is_one_located_line_per_change_and_a_count(in_root: Path) -> None:
    done = run(BASE, REVISION)
    lines = done.stdout.splitlines()
    assert (
        f"{REVISION}:6: WARN request-parameter-removed: GET /things/{{id}}: the query parameter"
        " `fields` removed [breaks the generated client: `client.default.get_thing()` no longer"
        " takes `fields=`]" in lines
    )
    assert (
        f"{REVISION}:5: ERR api-removed-without-deprecation: DELETE /things/{{id}}: operation"
        " removed without deprecation [breaks the generated client:"
        " `client.default.delete_thing()` is gone]" in lines
    )
    assert not any("endpoint-added" in line for line in lines)  # INFO needs --include-info
    assert (
        lines[-1] == "5 change(s): 3 ERR, 1 WARN, 1 INFO; 4 break the generated client"
        " (1 INFO not shown; --include-info shows them)"
    )
    assert "INFO endpoint-added: POST /things" in run(BASE, REVISION, "--include-info").stdout


def test_json_is_stable_for_machines(in_root: Path) -> None:
    data = json.loads(run(BASE, REVISION, "--format", "json", "--include-info").stdout)
    keys = ["id", "level", "direction", "method", "path", "pointer", "message", "fingerprint"]
    keys += ["client_impact", "client"]
    assert all(list(change) == keys for change in data["changes"])
    client = {(c["id"], c["path"]): (c["client_impact"], c["client"]) for c in data["changes"]}
    assert client[("request-parameter-removed", "/things/{id}")] == (
        "breaking",
        "`client.default.get_thing()` no longer takes `fields=`",
    )
    assert client[("endpoint-added", "/things")] == ("none", "")
    assert sorted((c["level"], c["id"], c["method"], c["path"]) for c in data["changes"]) == [
        ("ERR", "api-removed-without-deprecation", "DELETE", "/things/{id}"),
        ("ERR", "response-property-became-optional", "GET", "/things"),
        ("ERR", "response-property-became-optional", "GET", "/things/{id}"),
        ("INFO", "endpoint-added", "POST", "/things"),
        ("WARN", "request-parameter-removed", "GET", "/things/{id}"),
    ]
    summary = data["summary"]
    assert summary["counts"] == {"ERR": 3, "WARN": 1, "INFO": 1}
    assert (summary["failed"], summary["fail_on"], summary["waived"]) == (True, "ERR", 0)
    assert (summary["client_breaking"], summary["semantics"]) == (4, "client")
    http = json.loads(run(BASE, REVISION, "--format", "json", "--http-only").stdout)
    assert http["summary"]["semantics"] == "oasdiff"
    assert [c["client_impact"] for c in http["changes"]] == ["none"] * 4
    again = json.loads(run(BASE, REVISION, "--format", "json", "--include-info").stdout)
    assert again == data


def test_markdown_is_the_pull_request_comment(in_root: Path) -> None:
    text = run(BASE, REVISION, "--format", "markdown").stdout
    assert text.startswith("<!-- emqx-codegen diff -->\n## API changes\n")
    assert "| Level | Changes | Breaking the generated client |" in text
    assert "| ERR (breaking) | 3 | 3 |" in text and "| INFO (info) | 1 (1 not listed) | 0 |" in text
    assert (
        "**4 change(s) at or above ERR or breaking the generated client: "
        "this pull request breaks clients.**"
    ) in text
    assert "### `DELETE /things/{id}`" in text
    assert "| Level | Rule | Change | Generated client |" in text
    assert (
        "| 🔴 ERR | `api-removed-without-deprecation` | operation removed without deprecation"
        " — `tests/diff/formats/revision.yaml:5`<br>_Why it breaks clients:_ Every client that"
        " calls this operation gets 404 or 405. | 💥 `client.default.delete_thing()` is gone |"
    ) in text
    assert "### Shared components" in text
    assert "1 change(s) in each of 2 operations (`GET /things`, `GET /things/{id}`)" in text
    assert "endpoint-added" not in text


def test_github_annotations_carry_file_and_line_of_the_revision(in_root: Path) -> None:
    lines = run(BASE, REVISION, "--format", "github").stdout.splitlines()
    pattern = re.compile(
        r"^::(error|warning|notice) file=([^,]+),line=(\d+),title=([a-z-]+)::(.+)$"
    )
    parsed = [pattern.match(line) for line in lines[:-1]]
    assert all(parsed), lines
    found = {(m[1], m[2], m[3], m[4]) for m in parsed if m}
    assert ("error", REVISION, "5", "api-removed-without-deprecation") in found
    # a WARN that breaks the generated client fails the run: an error annotation
    assert ("error", REVISION, "6", "request-parameter-removed") in found
    http = run(BASE, REVISION, "--format", "github", "--http-only").stdout
    assert f"::warning file={REVISION},line=6,title=request-parameter-removed::" in http
    shared = [line for line in lines if "response-property-became-optional" in line]
    assert len(shared) == 1 and "1 more operation(s)" in shared[0]


def test_junit_fails_the_changes_at_or_above_fail_on(in_root: Path) -> None:
    suite = ET.fromstring(run(BASE, REVISION, "--format", "junit").stdout)
    assert (suite.get("tests"), suite.get("failures")) == ("4", "4")  # the WARN breaks the client
    failed = sorted(c.get("name", "").split()[0] for c in suite if c.find("failure") is not None)
    assert (
        failed
        == ["api-removed-without-deprecation"]
        + ["request-parameter-removed"]
        + ["response-property-became-optional"] * 2
    )
    http = ET.fromstring(run(BASE, REVISION, "--format", "junit", "--http-only").stdout)
    assert http.get("failures") == "3"
    warn = ET.fromstring(run(BASE, REVISION, "--format", "junit", "--fail-on", "WARN").stdout)
    assert warn.get("failures") == "4"


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "waivers.yaml"
    path.write_text(text)
    return str(path)


def test_a_waiver_accepts_a_break_and_an_unused_one_is_reported(
    in_root: Path, tmp_path: Path
) -> None:
    waivers = write(
        tmp_path,
        "- id: api-removed-without-deprecation\n"
        "  operation: DELETE /things/{id}\n"
        "  reason: Nobody deletes things; confirmed with the support team.\n"
        "- id: response-property-became-optional\n"
        "  reason: name was never sent for drafts; the spec now says so.\n"
        "- id: request-parameter-removed\n"
        "  reason: fields was never implemented; the client keyword goes too.\n"
        "- id: request-body-removed\n"
        "  path: /gone\n"
        "  reason: stale\n",
    )
    done = run(BASE, REVISION, "--waivers", waivers)
    assert done.exit_code == 0
    assert (
        f"{waivers}:8: unused waiver: request-body-removed /gone matches no change; remove it"
        in done.stdout
    )
    assert done.stdout.splitlines()[-1].endswith("; 4 waived")
    summary = json.loads(run(BASE, REVISION, "--waivers", waivers, "--format", "json").stdout)[
        "summary"
    ]
    assert (summary["waived"], summary["failed"]) == (4, False)
    assert [w["line"] for w in summary["unused_waivers"]] == [8]
    markdown = run(BASE, REVISION, "--waivers", waivers, "--format", "markdown").stdout
    assert "_Nobody deletes things; confirmed with the support team._" in markdown
    assert "### Stale waivers" in markdown


def test_a_waiver_by_fingerprint_and_an_expired_one(in_root: Path, tmp_path: Path) -> None:
    data = json.loads(run(BASE, REVISION, "--format", "json").stdout)
    target = next(c for c in data["changes"] if c["path"] == "/things")
    waivers = write(
        tmp_path,
        f"- id: response-property-became-optional\n  fingerprint: {target['fingerprint']}\n  reason: ok\n"
        "- id: api-removed-without-deprecation\n  reason: was fine until 2001\n  expires: 2001-01-01\n",
    )
    summary = json.loads(run(BASE, REVISION, "--waivers", waivers, "--format", "json").stdout)[
        "summary"
    ]
    assert summary["waived"] == 1
    assert summary["counts"]["ERR"] == 2
    assert [w["expires"] for w in summary["expired_waivers"]] == ["2001-01-01"]


def test_a_broken_waivers_file_is_exit_2_with_located_findings(
    in_root: Path, tmp_path: Path
) -> None:
    waivers = write(
        tmp_path, "- id: no-such-rule\n  reason: x\n- id: endpoint-added\n  operation: GET\n"
    )
    done = run(BASE, REVISION, "--waivers", waivers)
    assert done.exit_code == 2
    assert f"{waivers}:1: error: waiver-invalid: 'no-such-rule' is not a rule id" in done.stderr
    assert f"{waivers}:3: error: waiver-invalid: a waiver needs a written reason" in done.stderr
    assert f"{waivers}:4: error: waiver-invalid: operation is 'METHOD /path'" in done.stderr
    assert done.stdout == ""


def test_the_fixture_pair_exists() -> None:
    assert (HERE / "formats" / "base.yaml").is_file()


def test_deprecation_days_are_oasdiff_options(in_root: Path) -> None:
    folder = "tests/diff/cases/endpoint-deprecated"
    args = (f"{folder}/base.yaml", f"{folder}/revision.yaml", "--format", "json", "--include-info")
    plain = json.loads(run(*args).stdout)
    assert [c["id"] for c in plain["changes"]] == ["endpoint-deprecated"]
    strict = run(*args, "--deprecation-days-stable", "30")
    assert strict.exit_code == 1
    assert [c["id"] for c in json.loads(strict.stdout)["changes"]] == [
        "api-deprecated-sunset-missing"
    ]
    assert run(*args, "--deprecation-days-beta", "30").exit_code == 0  # the operation is stable
