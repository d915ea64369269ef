"""The client's `params` module: a TypedDict for every component schema.

A request body may be given as a plain dict; typed as one of these TypedDicts, mypy checks
its keys and value types (a misspelt key is a type error), while the runtime validates it
into the matching model before sending. Enums are `Literal`s here, so that a plain string
type-checks. datamodel-code-generator writes the module (the engine of `models` too), so
the names match the models' names.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

from datamodel_code_generator import DataModelType, InputFileType, PythonVersion, generate

_DOC = '''"""TypedDicts of the request bodies (and every other schema), for dict bodies mypy checks.

    client.banned.create_banned(body={"as": "clientid", "who": "c1"})  # body: params.BannedCreate
"""
'''


def render_params(document: dict[str, Any], header: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = generate(
            json.dumps(document, sort_keys=True),
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.TypingTypedDict,
            target_python_version=PythonVersion.PY_311,
            use_standard_collections=True,
            use_union_operator=True,
            disable_timestamp=True,
            parent_scoped_naming=True,
            strict_nullable=True,
            use_type_alias=True,
            use_double_quotes=True,
            formatters=[],
            custom_file_header=f"# {header}",
        )
    assert isinstance(text, str)
    # PEP 728's `extra_items` (a schema's additionalProperties): mypy does not know it yet,
    # and a TypedDict without it still takes the listed keys.
    text = re.sub(r",\s*extra_items=[^,)\n]+(?=\))", "", text)
    first_line, rest = text.split("\n", 1)
    return f"{first_line}\n{_DOC}{rest}"
