"""Unions whose discriminator a body may leave out (`x-emqx-discriminator`): the spec's
checks, the models text's rewrite and the branch the generated discriminator picks."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from generator.discriminator_defaults import EXTENSION, apply, check, fits

_REF = "#/components/schemas/"


def _branch(value: str, required: list[str], props: list[str], optional: bool) -> Any:
    properties: dict[str, Any] = {"kind": {"type": "string", "enum": [value]}}
    if optional:
        properties["kind"]["default"] = value
    properties.update({p: {"type": "string"} for p in props})
    return {
        "type": "object",
        "required": required + ([] if optional else ["kind"]),
        "properties": properties,
    }


def _document(default: Any = ("one", "two")) -> dict[str, Any]:
    schemas = {
        "Pick": {
            "anyOf": [{"$ref": f"{_REF}PickOne"}, {"$ref": f"{_REF}PickTwo"}],
            EXTENSION: {
                "propertyName": "kind",
                "mapping": {"one": f"{_REF}PickOne", "two": f"{_REF}PickTwo"},
                "default": list(default) if isinstance(default, tuple) else default,
            },
        },
        "PickOne": _branch("one", ["a"], ["a"], optional=True),
        "PickTwo": _branch("two", ["b"], ["a", "b"], optional=True),
    }
    return {"components": {"schemas": schemas}}


def test_a_well_formed_mark_has_no_problem() -> None:
    assert check(_document()) == []
    assert check(_document("one")) == []


def test_a_branch_that_still_requires_the_property_is_reported() -> None:
    doc = _document()
    doc["components"]["schemas"]["PickTwo"] = _branch("two", ["b"], ["b"], optional=False)
    found = check(doc)
    assert ("PickTwo", "`kind` may be left out (Pick): not required") in found
    assert ("PickTwo", "`kind` needs `default: two` (Pick)") in found


def test_a_default_outside_the_mapping_and_a_discriminator_keyword_are_reported() -> None:
    assert check(_document("three")) == [
        ("Pick", "x-emqx-discriminator: default 'three' is not in the mapping")
    ]
    doc = _document()
    doc["components"]["schemas"]["Pick"]["discriminator"] = {"propertyName": "kind"}
    assert [name for name, _ in check(doc)] == ["Pick"]


def test_fits_list_each_branch_required_and_known_fields_in_order() -> None:
    doc = _document()
    schemas = doc["components"]["schemas"]
    assert fits(schemas["Pick"], schemas) == (
        ("one", ("a",), ("kind", "a")),
        ("two", ("b",), ("kind", "a", "b")),
    )


_MODELS = """from typing import Annotated, Any, Literal

from pydantic import BaseModel
from typing_extensions import TypeAliasType


class PickOneKind(StrEnum):
    ONE = 'one'


class PickOne(BaseModel):
    a: str
    kind: PickOneKind = PickOneKind.ONE


class PickTwo(BaseModel):
    a: str | None = None
    b: str
    kind: Literal['two'] = 'two'


Pick = TypeAliasType("Pick", PickOne | PickTwo)
"""


def _namespace(tmp_path: Path, default: Any = ("one", "two")) -> Any:
    """The rewritten models text, imported as a module."""
    text = apply(_MODELS.replace("(StrEnum)", "(str)"), _document(default))
    path = tmp_path / f"picked_models_{len(list(tmp_path.iterdir()))}.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def test_the_rewrite_drops_the_unused_enum_and_keeps_a_literal_with_its_default() -> None:
    text = apply(_MODELS, _document())
    assert "class PickOneKind" not in text
    assert 'kind: Literal["one"] = "one"' in text
    assert "Discriminator(AbsentTag('kind'" in text
    assert apply(_MODELS, {"components": {"schemas": {}}}) == _MODELS


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"a": "x"}, "PickOne"),
        ({"b": "y"}, "PickTwo"),
        ({"a": "x", "b": "y"}, "PickTwo"),  # one does not know `b`: the broker's next try
        ({"kind": "one", "a": "x"}, "PickOne"),
        ({"kind": "two", "b": "y"}, "PickTwo"),
    ],
)
def test_the_branch_picked_for_a_body(tmp_path: Path, body: dict[str, Any], expected: str) -> None:
    parsed = TypeAdapter(_namespace(tmp_path).Pick).validate_python(copy.deepcopy(body))
    assert type(parsed).__name__ == expected
    assert parsed.kind == expected.removeprefix("Pick").lower()


def test_a_single_default_always_picks_its_branch(tmp_path: Path) -> None:
    adapter = TypeAdapter(_namespace(tmp_path, "one").Pick)
    assert type(adapter.validate_python({"a": "x"})).__name__ == "PickOne"
    with pytest.raises(ValidationError) as bad:
        adapter.validate_python({"b": "y"})  # taken as `one`, which needs `a`
    assert bad.value.errors()[0]["loc"] == ("one", "a")
