"""Pydantic v2 models through datamodel-code-generator's Python API.

One run of the generator gives the module text; the client's copy makes every enum
open (a value a newer broker adds parses instead of failing), the stub's copy keeps
enums closed so that requests with unknown values are refused.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

from datamodel_code_generator import DataModelType, InputFileType, PythonVersion, generate

from generator import discriminator_defaults
from generator.modelnames import apply_renames, model_renames, name_enum_members

_OPEN_ENUM = '''

class OpenStrEnum(StrEnum):
    """A string enum that keeps values it does not know instead of failing on them."""

    @classmethod
    def _missing_(cls, value: object) -> OpenStrEnum | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member
'''


def render_models(document: dict[str, Any], header: str) -> str:
    """The models module for every component schema of the bundled document, with the
    model and enum member names the project chooses (generator/modelnames.py)."""
    named = name_enum_members(document)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = generate(
            json.dumps(named, sort_keys=True),
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            use_standard_collections=True,
            use_union_operator=True,
            use_annotated=True,
            field_constraints=True,
            disable_timestamp=True,
            use_subclass_enum=True,
            use_schema_description=True,
            use_field_description=True,
            allow_population_by_field_name=True,
            capitalise_enum_members=True,
            parent_scoped_naming=True,
            set_default_enum_member=True,
            strict_nullable=True,
            use_type_alias=True,
            use_double_quotes=True,
            formatters=[],
            custom_file_header=f"# {header}",
        )
    assert isinstance(text, str)
    text = apply_renames(text, model_renames(text, document))
    return typed_object_defaults(discriminator_defaults.apply(text, document))


_OBJECT_DEFAULT = re.compile(
    r"^(    \w+: Annotated\[(\w+), Field\(validate_default=True\)\]) = (\{.*\})$", re.MULTILINE
)


def typed_object_defaults(text: str) -> str:
    """A model field whose default is an object (an aggregated upload's container,
    `{"type": "csv"}`) gets that default as an instance of its model, so that type
    checkers accept it as pydantic does; the value is the same."""

    def typed(match: re.Match[str]) -> str:
        head, model, value = match.groups()
        if not re.search(rf"^class {model}\(BaseModel\):", text, re.MULTILINE):
            return match.group(0)
        return f"{head} = {model}.model_validate({value})"

    return _OBJECT_DEFAULT.sub(typed, text)


def open_enums(models: str) -> str:
    """Rewrite closed StrEnums as OpenStrEnum (for the client's response parsing)."""
    if "(StrEnum):" not in models:
        return models
    text = re.sub(r"\((StrEnum)\):", "(OpenStrEnum):", models)
    first_class = text.index("\nclass ")
    return text[:first_class] + _OPEN_ENUM + text[first_class:]
