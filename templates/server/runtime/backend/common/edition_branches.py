"""Which branches of the spec's discriminated unions only EMQX's enterprise build has
(`x-emqx-edition: enterprise` on the branch), read from the bundled spec, so that the
open-source stub refuses an enterprise authenticator as the open-source broker refuses a
mechanism it does not know."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from ... import errors, models


@functools.cache
def spec_schemas() -> dict[str, Any]:
    """The component schemas of the bundled spec."""
    text = resources.files(models.__package__).joinpath("openapi.json").read_text(encoding="utf-8")
    found: dict[str, Any] = json.loads(text)["components"]["schemas"]
    return found


def enterprise_choice(union: str, body: Mapping[str, Any]) -> list[tuple[str, Any]] | None:
    """The (field, value) choices that lead `body` to an enterprise branch of the
    discriminated union `union` (nested unions followed down), or None when its branch is
    one both builds have (or it names no branch)."""
    schemas = spec_schemas()
    schema = schemas[union]
    chosen: list[tuple[str, Any]] = []
    while "discriminator" in schema:
        field = schema["discriminator"]["propertyName"]
        target = schema["discriminator"].get("mapping", {}).get(str(body.get(field)))
        if target is None:
            return None
        chosen.append((field, body.get(field)))
        schema = schemas[target.rsplit("/", 1)[1]]
        if schema.get("x-emqx-edition") == "enterprise":
            return chosen
    return None


def enterprise_values(union: str) -> tuple[str, ...]:
    """The discriminator values of `union` whose branch only the enterprise build has."""
    mapping = spec_schemas()[union]["discriminator"]["mapping"]
    return tuple(
        value
        for value, target in mapping.items()
        if spec_schemas()[target.rsplit("/", 1)[1]].get("x-emqx-edition") == "enterprise"
    )


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
