"""A YAML syntax error is reported at the line of the mistake, with both of PyYAML's marks
(the construct's start and where parsing failed) as file:line:column, through the CLI too."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.yamlsource import parse_yaml


def _lines(first: int, last: int, indent: str = "") -> str:
    return "".join(f"{indent}k{i}: v{i}\n" for i in range(first, last + 1))


# (the text with its mistake on line 88, the problem mark PyYAML gives, the context mark)
CASES = {
    "unclosed quote": (_lines(1, 87) + 'k88: "unclosed\n' + _lines(89, 100), "101:1", "88:6"),
    "unclosed flow mapping": (
        _lines(1, 87) + "k88: {a: 1, b: 2\n" + _lines(89, 100),
        "89:4",
        "88:6",
    ),
    "unclosed flow sequence": (_lines(1, 87) + "k88: [a, b\n" + _lines(89, 100), "89:4", "88:6"),
    "key without colon": (_lines(1, 87) + "k88 v88\nk89:\n  - a\n", "89:1", "88:1"),
    "value after a value": (_lines(1, 87) + "k88: a: b\n" + _lines(89, 100), "88:7", None),
    "key out of its block": (
        "root:\n" + _lines(2, 87, "  ") + " k88: v\n  k89: v\n",
        "88:2",
        "1:1",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_mistake_is_reported_at_its_line_with_both_marks(case: str) -> None:
    text, problem, context = CASES[case]
    doc, findings = parse_yaml(text, "spec/paths/things.yaml")
    assert doc is None
    (finding,) = findings
    assert finding.id == "yaml-syntax"
    assert finding.location is not None
    assert (finding.location.file, finding.location.line) == ("spec/paths/things.yaml", 88)
    assert f"(at spec/paths/things.yaml:{problem})" in finding.message
    if context is not None:
        assert f"(at spec/paths/things.yaml:{context})" in finding.message
    assert finding.message.count("(at ") == (2 if context else 1)


def test_the_cli_shows_the_line_of_the_mistake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("openapi.yaml").write_text(CASES["unclosed quote"][0])
    result = CliRunner().invoke(main, ["validate", "openapi.yaml"])
    assert result.exit_code == 1
    first, shown = result.output.splitlines()[:2]
    assert first.startswith(
        "openapi.yaml:88: error: yaml-syntax: YAML syntax error: while scanning"
    )
    assert "(at openapi.yaml:88:6)" in first and "(at openapi.yaml:101:1)" in first
    assert shown.split("|", 1)[1].strip() == 'k88: "unclosed'
    assert "Traceback" not in result.output
