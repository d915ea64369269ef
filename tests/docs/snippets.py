"""The ```python blocks of a Markdown file, grouped as a reader runs them.

Conventions (README.md, generated/packages/*/README.md and the templates that render them):

- The blocks of one file run in order, in one namespace, as a reader following the page
  would: a later block may use what an earlier one defined.
- A block whose first line is indented continues the block before it (it is the rest of
  that block's `with` body, say): the two run as one piece of code.
- `<!-- snippet: skip REASON -->` on the line before a block's opening fence skips it; the
  reason is required.
- `http://localhost:18083` is the stub the test starts, with the API key `KEY` and the
  secret `SECRET`; the blocks run in an empty working directory holding `users.csv` (one
  user, `user1,password1`), and `__name__` is not `"__main__"`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^```python[ \t]*$")
_SKIP = re.compile(r"^<!--\s*snippet:\s*skip\b(?P<reason>.*?)-->\s*$")
_ANY_SNIPPET_MARK = re.compile(r"^<!--\s*snippet:")


class SnippetError(ValueError):
    """A block or a marker that breaks the conventions, with the file and line."""


@dataclass(frozen=True)
class Snippet:
    """One piece of code to run: `code` keeps the file's line numbers (the lines between
    its blocks are blank), so a traceback points at the Markdown line."""

    path: Path
    line: int  # of the first block's opening fence
    code: str
    skipped: str | None = None  # the reason, for a skipped block


def _blocks(path: Path) -> list[tuple[int, int, list[str], str | None]]:
    """(fence line, first code line, code lines, skip reason) of each python block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    index = 0
    while index < len(lines):
        if not _FENCE.match(lines[index]):
            index += 1
            continue
        fence = index + 1  # 1-based
        before = lines[index - 1].strip() if index else ""
        reason: str | None = None
        skip = _SKIP.match(before)
        if skip:
            reason = skip["reason"].strip()
            if not reason:
                raise SnippetError(f"{path}:{index}: a skipped snippet needs a reason")
        elif _ANY_SNIPPET_MARK.match(before):
            raise SnippetError(f"{path}:{index}: unknown snippet marker {before!r}")
        end = index + 1
        while end < len(lines) and lines[end].rstrip() != "```":
            end += 1
        if end == len(lines):
            raise SnippetError(f"{path}:{fence}: the python block is never closed")
        found.append((fence, fence + 1, lines[index + 1 : end], reason))
        index = end + 1
    return found


def snippets(path: Path) -> list[Snippet]:
    """The file's python blocks, an indented block joined to the one before it."""
    out: list[Snippet] = []
    for fence, first, code, reason in _blocks(path):
        continues = bool(code) and code[0][:1] in (" ", "\t")
        if continues:
            if not out:
                raise SnippetError(f"{path}:{fence}: an indented block continues nothing")
            previous = out[-1]
            if (previous.skipped is None) != (reason is None):
                raise SnippetError(
                    f"{path}:{fence}: a continued block is skipped only with the one before it"
                )
            gap = first - 1 - previous.code.count("\n")
            joined = previous.code + "\n" * gap + "\n".join(code) + "\n"
            out[-1] = Snippet(path, previous.line, joined, previous.skipped)
        else:
            text = "\n" * (first - 1) + "\n".join(code) + "\n"
            out.append(Snippet(path, fence, text, reason))
    return out
