"""The checks the broker makes on a link before taking it (emqx_resource:validate_name
and the validators of the `topics` field in emqx_cluster_link_schema)."""

from __future__ import annotations

import json
import re

from ..common import topic

_NAME = re.compile(r"[0-9a-zA-Z][-0-9a-zA-Z_]*")
_RESERVED_PREFIX = "$LINK/cluster/#"


def name_error(name: str) -> str | None:
    """The broker's validation error for a link name, as the JSON it answers, or None."""
    if name == "":
        reason = "Name cannot be empty string"
    elif len(name.encode()) >= 255:
        reason = "Name length must be less than 255"
    elif _NAME.fullmatch(name) is None:
        reason = (
            "Invalid name format. The name must begin with a letter or number "
            "(0-9, a-z, A-Z) and can only include underscores and hyphens as "
            f"non-initial characters. Got: {name}"
        )
    else:
        return None
    return json.dumps({"kind": "validation_error", "reason": reason}, separators=(",", ":"))


def _covers(wide: list[str], narrow: list[str]) -> bool:
    """Whether every topic matched by the filter `narrow` is matched by `wide`."""
    for i, word in enumerate(wide):
        if word == "#":
            return True
        if i >= len(narrow):
            return False
        if word == "+":
            if narrow[i] == "#":
                return False
            continue
        if word != narrow[i]:
            return False
    return len(wide) == len(narrow)


def redundant(topics: list[str]) -> list[str]:
    """The filters another filter of the list covers (a repeated one counts once less)."""
    words = [t.split("/") for t in topics]
    out: list[str] = []
    for i, t in enumerate(topics):
        for j, other in enumerate(words):
            if i == j:
                continue
            same = topics[j] == t
            if (same and j < i) or (not same and _covers(other, words[i])):
                out.append(t)
                break
    return out


def topics_error(topics: list[str]) -> str | None:
    """Why the broker refuses these topic filters (printed roughly as Erlang would), or
    None: an invalid filter, one under `$LINK/cluster/`, or one another covers."""
    invalid: list[str] = []
    for t in topics:
        try:
            topic.validate_filter(t)
        except topic.InvalidTopic:
            invalid.append(t)
    if invalid:
        return _error("invalid_topics", invalid)
    reserved = [t for t in topics if topic.match(t, _RESERVED_PREFIX)]
    if reserved:
        return _error("invalid_topics", reserved)
    extra = redundant(topics)
    if extra:
        return _error("redundant_topics", extra)
    return None


def _error(reason: str, topics: list[str]) -> str:
    listed = ",".join(f'<<"{t}">>' for t in topics)
    return f"#{{reason => {reason},topics => [{listed}]}}"
