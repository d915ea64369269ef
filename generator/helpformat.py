"""Help text that wraps between words only.

click wraps help with textwrap, which also breaks inside hyphenated words
(`--deprecation-days-` / `beta`, `x-stability-` / `level`) when one straddles the line's
end, and cuts any word longer than an option's help column, which can be 10 wide. The formatter here joins such words with a non-breaking hyphen while click wraps, and
gives the plain hyphen back in the output, and keeps that column at least
MIN_TEXT_COLUMN wide. Examples go in `\\b` paragraphs, which click
never wraps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import click

_INNER_HYPHEN = re.compile(r"(?<=[\w-])-(?=[\w-])")
_GLUE = "\u2011"  # NON-BREAKING HYPHEN: one column wide, never a break point
# The narrowest column an option's help is wrapped into; a longer option name gets its
# help on the next line instead (click shrinks the column to 10 on a narrow terminal,
# which cuts words like `x-stability-level`).
MIN_TEXT_COLUMN = 32


def _glue(text: str) -> str:
    return _INNER_HYPHEN.sub(_GLUE, text)


class HelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(_glue(prog), _glue(args), prefix)

    def write_text(self, text: str) -> None:
        super().write_text(_glue(text))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        # click's text column: width - (first column + spacing) - 2
        col_max = max(8, min(col_max, self.width - col_spacing - 2 - MIN_TEXT_COLUMN))
        super().write_dl([(term, _glue(text)) for term, text in rows], col_max, col_spacing)

    def getvalue(self) -> str:
        return super().getvalue().replace(_GLUE, "-")


class HelpContext(click.Context):
    formatter_class = HelpFormatter


class HelpCommand(click.Command):
    context_class = HelpContext


class HelpGroup(click.Group):
    context_class = HelpContext
    command_class = HelpCommand
