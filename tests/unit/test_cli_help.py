"""`emqx-codegen [COMMAND] --help` wraps between words only, at any terminal width click
uses (50 columns and up), and prints every example on a line of its own."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.helpformat import HelpFormatter

COMMANDS = [[], *([name] for name in sorted(main.commands))]


def _help(args: list[str], width: int) -> str:
    result = CliRunner().invoke(
        main, [*args, "--help"], terminal_width=width, prog_name="emqx-codegen"
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "main")
def test_help_never_cuts_a_word(args: list[str]) -> None:
    words = set(_help(args, 10_000).split())  # one line per paragraph: nothing wrapped
    for width in range(50, 131):
        cut = [
            token
            for token in _help(args, width).split()
            # a command's one-line summary may end in "..." (click shortens it)
            if token not in words and token.removesuffix("...") not in words
        ]
        assert cut == [], f"{' '.join(args)} --help at {width} columns cuts words: {cut}"


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "main")
def test_every_example_is_one_line(args: list[str]) -> None:
    command = main.commands[args[0]] if args else main
    examples = re.findall(r"^\s+(emqx-codegen .+?)\s*$", command.help or "", flags=re.M)
    assert examples, f"{args}: the help has no example"
    lines = [line.strip() for line in _help(args, 50).splitlines()]
    for example in examples:
        assert any(line.startswith(example) for line in lines), (args, example)


def test_serve_help_shows_the_seed_option_and_its_examples() -> None:
    out = _help(["serve"], 60)
    assert "    emqx-codegen serve --seed demo" in out.splitlines()
    assert (
        "    emqx-codegen serve --port 18083 --api-key my-key --secret-key my-secret --edition ee"
        in out.splitlines()
    )
    assert "--seed NAME" in out


def test_a_hyphenated_word_is_not_split_where_textwrap_would() -> None:
    text = "Days of notice a stable operation (or one without x-stability-level) needs."
    plain = click.HelpFormatter(width=64)
    plain.write_text(text)
    assert "x-stability-\n" in plain.getvalue()  # what click alone does at this width
    ours = HelpFormatter(width=64)
    ours.write_text(text)
    assert "x-stability-level)" in ours.getvalue() and "\u2011" not in ours.getvalue()
