"""The stub's models module: the models text both packages share, with secrets as `str`.

datamodel-code-generator types a `format: password` field as pydantic's `SecretStr`, which
is what the client wants (the value stays out of reprs and logs). The stub stands in for
the broker, which keeps the value a caller sent and masks it only in its answers, by its
own rules. A `SecretStr` dumps to `**********` in JSON mode, so the stub's handlers, which
store request bodies by dumping them, kept the mask instead of the password. The stub's
models take such a field as a plain `str`; what it answers masked, it masks itself.
"""

from __future__ import annotations

import re

_PYDANTIC_IMPORT = re.compile(r"^from pydantic import (?:\(([^)]*)\)|(.*))$", re.MULTILINE)
_SECRET = re.compile(r"\bSecretStr\b")


def server_models(text: str) -> str:
    """`text` with `SecretStr` replaced by `str` and left out of the pydantic import."""

    def without_secret(match: re.Match[str]) -> str:
        names = (match.group(1) or match.group(2) or "").replace("\n", " ").split(",")
        kept = [n.strip() for n in names if n.strip() and n.strip() != "SecretStr"]
        return "from pydantic import " + ", ".join(kept)

    text = _PYDANTIC_IMPORT.sub(without_secret, text, count=1)
    return _SECRET.sub("str", text)
