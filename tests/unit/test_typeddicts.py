"""The request-body TypedDicts of `emqx_client.params` (generator/typeddicts.py)."""

from __future__ import annotations

import ast
from typing import Any

from generator.typeddicts import flat_schemas, render_typeddicts
from tests.conftest import GENERATED


def _definitions(text: str) -> dict[str, ast.stmt]:
    out: dict[str, ast.stmt] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef):
            out[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = node
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = node
    return out


def _keys(node: ast.stmt) -> dict[str, str]:
    """A TypedDict's keys and their annotations (class or functional form)."""
    if isinstance(node, ast.ClassDef):
        return {
            stmt.target.id: ast.unparse(stmt.annotation)
            for stmt in node.body
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
        }
    assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Call), ast.unparse(node)
    fields = node.value.args[1]
    assert isinstance(fields, ast.Dict)
    return {
        ast.literal_eval(k): ast.unparse(v)
        for k, v in zip(fields.keys, fields.values, strict=True)
        if k
    }


def _doc(schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "components": {"schemas": schemas}}


def _request_body_schemas(document: dict[str, Any]) -> set[str]:
    """The schemas of the request bodies, and the members of those that are unions."""
    schemas = document["components"]["schemas"]
    todo = []
    for item in document["paths"].values():
        for op in item.values():
            body = op.get("requestBody") if isinstance(op, dict) else None
            todo += [m.get("schema") or {} for m in ((body or {}).get("content") or {}).values()]
    names: set[str] = set()
    while todo:
        schema = todo.pop()
        name = schema.get("$ref", "").removeprefix("#/components/schemas/")
        if name in schemas:
            if name in names:
                continue
            names.add(name)
            schema = schemas[name]
        todo += schema.get("oneOf") or schema.get("anyOf") or []
    return names


def test_every_request_body_is_a_typeddict_of_its_properties(bundled: dict) -> None:
    definitions = _definitions(render_typeddicts(bundled, "header"))
    schemas = flat_schemas(bundled)
    bodies = _request_body_schemas(bundled)
    checked = 0
    for name in sorted(bodies):
        schema = schemas[name]
        if not schema.get("properties"):
            continue  # a union (its members are checked) or a map: an alias
        keys = _keys(definitions[name])
        assert set(keys) == set(schema["properties"]), name
        required = set(schema.get("required") or [])
        optional = {k for k, v in keys.items() if v.startswith("NotRequired[")}
        assert optional == set(keys) - required, name
        checked += 1
    assert checked > 200


def test_every_component_schema_has_one_definition(bundled: dict) -> None:
    definitions = _definitions(render_typeddicts(bundled, "header"))
    assert set(bundled["components"]["schemas"]) <= set(definitions)


def test_the_generated_module_is_what_the_writer_writes(bundled: dict) -> None:
    written = (GENERATED / "emqx_client" / "params.py").read_text(encoding="utf-8")
    made = render_typeddicts(bundled, "header")
    assert ast.dump(ast.parse(written)) == ast.dump(ast.parse(made))


def test_types_of_the_schema_keywords() -> None:
    text = render_typeddicts(
        _doc(
            {
                "Kind": {"type": "string", "enum": ["a", "b"]},
                "Body": {
                    "type": "object",
                    "required": ["kind", "as"],
                    "properties": {
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "as": {"type": "string"},
                        "n": {"type": "integer", "nullable": True},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "labels": {"type": "object", "additionalProperties": {"type": "number"}},
                        "extra": {"type": "object", "additionalProperties": True},
                        "file": {"type": "string", "format": "binary"},
                        "either": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
                        "flag": {"enum": [False]},
                    },
                },
            }
        ),
        "h",
    )
    definitions = _definitions(text)
    assert ast.unparse(definitions["Kind"]) == "Kind: TypeAlias = Literal['a', 'b']"
    assert _keys(definitions["Body"]) == {
        "as": "str",
        "either": "NotRequired[int | str]",
        "extra": "NotRequired[dict[str, Any]]",
        "file": "NotRequired[bytes]",
        "flag": "NotRequired[Literal[False]]",
        "kind": "Kind",
        "labels": "NotRequired[dict[str, float]]",
        "n": "NotRequired[int | None]",
        "tags": "NotRequired[list[str]]",
    }
    # `as` is a keyword: the functional form
    assert isinstance(definitions["Body"], ast.Assign)


def test_an_allof_object_lists_every_key_its_own_winning() -> None:
    text = render_typeddicts(
        _doc(
            {
                "Base": {
                    "type": "object",
                    "required": ["a"],
                    "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                },
                "Child": {
                    "allOf": [{"$ref": "#/components/schemas/Base"}],
                    "type": "object",
                    "required": ["b"],
                    "properties": {"b": {"type": "integer"}, "c": {"type": "boolean"}},
                },
            }
        ),
        "h",
    )
    child = _definitions(text)["Child"]
    assert isinstance(child, ast.ClassDef)
    assert [ast.unparse(b) for b in child.bases] == ["TypedDict"]
    assert _keys(child) == {"a": "str", "b": "int", "c": "NotRequired[bool]"}


def test_a_closed_object_and_an_empty_one() -> None:
    text = render_typeddicts(
        _doc(
            {
                "Closed": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"x": {"type": "string"}},
                },
                "Open": {"type": "object", "additionalProperties": True},
            }
        ),
        "h",
    )
    assert "class Closed(TypedDict, closed=True):" in text
    assert "class Open(TypedDict):\n    pass" in text


def test_an_alias_comes_after_what_it_names() -> None:
    text = render_typeddicts(
        _doc(
            {
                "AUnion": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/ZOne"},
                        {"$ref": "#/components/schemas/ZTwo"},
                    ]
                },
                "ZOne": {"type": "object", "properties": {"x": {"type": "string"}}},
                "ZTwo": {"type": "object", "properties": {"y": {"type": "string"}}},
            }
        ),
        "h",
    )
    assert list(_definitions(text)) == ["ZOne", "ZTwo", "AUnion"]
    namespace: dict[str, Any] = {}
    exec(compile(text, "params.py", "exec"), namespace)  # imports in this order
    assert namespace["AUnion"] == namespace["ZOne"] | namespace["ZTwo"]


def test_an_unnamed_object_is_named_after_its_parent_and_key() -> None:
    text = render_typeddicts(
        _doc(
            {
                "Rule": {
                    "type": "object",
                    "properties": {
                        "data": {
                            "type": "array",
                            "items": {"type": "object", "properties": {"v": {"type": "string"}}},
                        },
                        "opts": {"type": "object", "properties": {"w": {"type": "integer"}}},
                    },
                }
            }
        ),
        "h",
    )
    definitions = _definitions(text)
    assert _keys(definitions["Rule"]) == {
        "data": "NotRequired[list[RuleDatum]]",
        "opts": "NotRequired[RuleOpts]",
    }
    assert _keys(definitions["RuleDatum"]) == {"v": "NotRequired[str]"}
    assert _keys(definitions["RuleOpts"]) == {"w": "NotRequired[int]"}


def test_an_unnamed_allof_is_one_typeddict_named_after_its_key() -> None:
    text = render_typeddicts(
        _doc(
            {
                "A": {"type": "object", "properties": {"x": {"type": "string"}}},
                "C": {
                    "type": "object",
                    "properties": {
                        "my_part": {
                            "allOf": [
                                {"$ref": "#/components/schemas/A"},
                                {"type": "object", "required": ["z"], "properties": {"z": {}}},
                            ]
                        }
                    },
                },
            }
        ),
        "h",
    )
    definitions = _definitions(text)
    assert _keys(definitions["C"]) == {"my_part": "NotRequired[MyPart]"}
    assert _keys(definitions["MyPart"]) == {"x": "NotRequired[str]", "z": "Any"}


def test_a_taken_name_is_numbered_and_a_component_keeps_its_own() -> None:
    text = render_typeddicts(
        _doc(
            {
                "Rule": {
                    "type": "object",
                    "properties": {"opts": {"type": "object", "properties": {"w": {}}}},
                },
                "RuleOpts": {"type": "object", "properties": {"z": {"type": "string"}}},
            }
        ),
        "h",
    )
    definitions = _definitions(text)
    assert _keys(definitions["Rule"]) == {"opts": "NotRequired[RuleOpts1]"}
    assert _keys(definitions["RuleOpts1"]) == {"w": "NotRequired[Any]"}
    assert _keys(definitions["RuleOpts"]) == {"z": "NotRequired[str]"}


def test_the_constrained_items_of_a_constrained_array_are_named() -> None:
    nested = {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 1}}
    text = render_typeddicts(
        _doc(
            {
                "R": {
                    "type": "object",
                    "properties": {
                        "index_specs": {"type": "array", "items": nested},
                        "plain": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                    },
                }
            }
        ),
        "h",
    )
    definitions = _definitions(text)
    assert _keys(definitions["R"]) == {
        "index_specs": "NotRequired[list[list[RIndexSpec]]]",
        "plain": "NotRequired[list[int]]",
    }
    assert ast.unparse(definitions["RIndexSpec"]) == "RIndexSpec: TypeAlias = int"


def test_literal_values_and_a_closed_functional_typeddict_are_valid_python() -> None:
    values = ['say "hi"', "two\nlines", "back\\slash", 3, True, None]
    text = render_typeddicts(
        _doc(
            {
                "Odd": {"enum": values},
                "Keyed": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"a.b": {"type": "string"}},
                },
            }
        ),
        "h",
    )
    definitions = _definitions(text)
    odd = definitions["Odd"]
    assert isinstance(odd, ast.AnnAssign) and isinstance(odd.value, ast.Subscript)
    elements = odd.value.slice
    assert isinstance(elements, ast.Tuple)
    assert [ast.literal_eval(e) for e in elements.elts] == values
    keyed = definitions["Keyed"]
    assert isinstance(keyed, ast.Assign) and isinstance(keyed.value, ast.Call)
    assert [(k.arg, ast.unparse(k.value)) for k in keyed.value.keywords] == [("closed", "True")]
    assert _keys(keyed) == {"a.b": "NotRequired[str]"}
