"""The base of the client's models and the open discriminated unions.

Every model keeps the fields an answer carries that the spec does not list
(`model.model_extra`). A discriminated union of an answer (connectors, listeners,
gateways, ...) lists one more member, its `...Other` model: validation itself never picks
it (an unknown discriminator fails the fast path, so the strict client still reports it),
and the tolerant reader (`_lenient`) builds it for a type this client does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Discriminator, Tag

from ._secrets import HIDDEN, SECRET_FIELDS

__all__ = [
    "OTHER",
    "Discriminator",
    "EmqxModel",
    "FreeformModel",
    "OpenTag",
    "OtherModel",
    "Tag",
    "open_tag",
]

# The tag of the fallback member: never a discriminator value, so never chosen by validation.
OTHER = "*other*"


class EmqxModel(BaseModel):
    """The base of every model of the client: unknown fields are kept in `model_extra`.

    `cache_strings="keys"`: pydantic-core's JSON reader reuses one string object per
    repeated key but makes each value afresh (as `json.loads` does); caching values too,
    its default, costs more than it saves on answers full of distinct ids and addresses.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True, cache_strings="keys")

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """repr() and str() show a secret field (see `_secrets`) as `**********`; the value
        itself is unchanged (`model.token`, `model_dump()`)."""
        for name, value in super().__repr_args__():
            hidden = name in SECRET_FIELDS and value is not None
            yield name, (HIDDEN if hidden else value)


class FreeformModel(EmqxModel):
    """A model whose schema allows fields it does not list (`additionalProperties`), such
    as a plugin's configuration: the strict client accepts those fields."""


class OtherModel(EmqxModel):
    """The base of each union's fallback: an answer of a type this client does not list.
    Every field of the answer is kept; read them with `model_extra` or as attributes."""


class OpenTag:
    """The discriminator of an open union: the member tag of a value by its `key` field.

    `tags` maps each discriminator value (and each known alias, such as a v1 bridge's
    `http` for `webhook`) to the tag of its member; a value it does not list has no tag.
    `absent`, for a union whose broker takes a body without the field, gives the value
    the broker picks for such a body (the models' `AbsentTag`).
    """

    def __init__(
        self, key: str, tags: Mapping[str, str], absent: Callable[[Any], Any] | None = None
    ) -> None:
        self.key = key
        self.tags = dict(tags)
        self.absent = absent
        self.__name__ = f"open_tag_{key}"  # pydantic names its validator after this

    def value_of(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return value.get(self.key)
        found = getattr(value, self.key, None)
        return getattr(found, "value", found)

    def __call__(self, value: Any) -> str | None:
        raw = self.value_of(value)
        if raw is None and self.absent is not None:
            raw = self.absent(value)
        return self.tags.get(raw) if isinstance(raw, str) else None

    def __repr__(self) -> str:
        return f"OpenTag({self.key!r}, {sorted(self.tags)!r})"


def open_tag(
    key: str, tags: Mapping[str, str], absent: Callable[[Any], Any] | None = None
) -> Discriminator:
    """The `Discriminator` of an open union (see OpenTag)."""
    return Discriminator(OpenTag(key, tags, absent))
