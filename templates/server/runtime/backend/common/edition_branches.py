"""Which authenticators only EMQX's enterprise build has, by the generated table of the
spec's enterprise branches (`backend/_edition_types.py`), so that the open-source stub
refuses an enterprise authenticator as the open-source broker refuses a mechanism it does
not know."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ... import errors
from .._edition_types import ENTERPRISE_CHOICES


def enterprise_choice(union: str, body: Mapping[str, Any]) -> tuple[tuple[str, str], ...] | None:
    """The (field, value) choices that lead `body` to an enterprise branch of the
    discriminated union `union` (nested unions followed down), or None when its branch is
    one both builds have (or it names no branch)."""
    for path in ENTERPRISE_CHOICES.get(union, ()):
        if all(str(body.get(field)) == value for field, value in path):
            return path
    return None


def refuse_enterprise_authenticator(edition: str, union: str, config: Mapping[str, Any]) -> None:
    """The open-source build's answer to an authenticator it does not ship: its schema's
    union selector finds no provider (emqx_authn_schema:select_union_member/3), 400."""
    if edition == "ee" or enterprise_choice(union, config) is None:
        return
    detail = {"kind": "validation_error", "reason": "unsupported_mechanism"}
    detail["mechanism"] = str(config.get("mechanism"))
    if "backend" in config:
        detail["backend"] = str(config["backend"])
    raise errors.bad_request(json.dumps(detail), status=400)
