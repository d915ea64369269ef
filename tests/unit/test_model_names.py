# naming-codemod: skip (holds the old, engine-given names on purpose)
"""Model and enum member names: chosen by the project (generator/modelnames.py)."""

from __future__ import annotations

from typing import Any

import pytest

from generator import modelnames
from tests.conftest import GENERATED

MODULES = ["emqx_client/models.py", "emqx_server_stub/models.py"]


@pytest.mark.parametrize("module", MODULES)
def test_no_generated_model_has_a_poor_name(module: str) -> None:
    text = (GENERATED / module).read_text(encoding="utf-8")
    defined = frozenset(modelnames.defined_models(text))
    assert len(defined) > 500
    poor = {n: modelnames.poor_model_name(n, defined) for n in defined}
    assert {n: why for n, why in poor.items() if why} == {}


@pytest.mark.parametrize("module", MODULES)
def test_no_enum_member_is_named_after_a_type(module: str) -> None:
    text = (GENERATED / module).read_text(encoding="utf-8")
    members = modelnames.enum_members(text)
    assert members["SubscriptionQos"] == [("QOS_0", "0"), ("QOS_1", "1"), ("QOS_2", "2")]
    bad = [
        f"{c}.{m}" for c, ms in members.items() for m, _ in ms if modelnames.type_named_member(m)
    ]
    assert bad == []


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("BannedUntilBannedUntil", "doubled"),
        ("AuthnStatusStatus", "doubled"),
        ("BannedCreateUntil2", "number-suffixed"),
        ("ApiKeyExpiryInputApiKeyExpiryInput1", "doubled"),
        ("RulesTestContextMessageTransformationFailedQos", "longer than 45 characters"),
        ("AuthnHashPbkdf2", None),
        ("SubscriptionQos", None),
    ],
)
def test_what_a_poor_name_is(name: str, why: str | None) -> None:
    defined = {"BannedCreateUntil", name}
    assert modelnames.poor_model_name(name, defined) == why


@pytest.mark.parametrize(
    ("member", "bad"),
    [
        ("INTEGER_0", True),
        ("BOOLEAN_TRUE", True),
        ("STRING_X", True),
        ("NUMBER_1_5", True),
        ("QOS_0", False),
        ("TRUE", False),
        ("INTEGRATION", False),
    ],
)
def test_what_a_type_named_member_is(member: str, bad: bool) -> None:
    assert modelnames.type_named_member(member) is bad


_TEXT = """
class BannedUntil(BaseModel):
    x: int


class BannedUntilBannedUntil(StrEnum):
    INFINITY = "infinity"


class ClientAuthzActionActionType(StrEnum):
    PUBLISH = "publish"
    SUBSCRIBE = "subscribe"


class AuthnStatus(BaseModel):
    status: AuthnStatusStatus


class AuthnStatusStatus(StrEnum):
    UP = "up"
    DOWN = "down"


x = 1
"""


def test_the_rules_and_the_table_rename() -> None:
    renames = modelnames.model_renames(_TEXT, {})
    assert renames == {
        "BannedUntilBannedUntil": "BannedUntilInfinity",
        "ClientAuthzActionActionType": "ClientAuthzActionType",
    }  # AuthnStatusStatus -> AuthnStatus is taken: only the table can name it
    doc: dict[str, Any] = {
        "components": {"x-emqx-model-names": {"AuthnStatusStatus": "AuthnState"}}
    }
    renames = modelnames.model_renames(_TEXT, doc)
    assert renames["AuthnStatusStatus"] == "AuthnState"
    text = modelnames.apply_renames(_TEXT, renames)
    assert "status: AuthnState\n" in text and "AuthnStatusStatus" not in text


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"NoSuchModel": "Better"}, "does not write: NoSuchModel"),
        ({"AuthnStatusStatus": "AuthnStatus"}, "that name is taken"),
        ({"AuthnStatusStatus": "authn-state"}, "not a class name"),
    ],
)
def test_a_bad_table_entry_is_a_clear_error(table: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        modelnames.model_renames(_TEXT, {"components": {"x-emqx-model-names": table}})


def test_enum_members_are_named_before_the_engine_runs() -> None:
    doc: dict[str, Any] = {
        "components": {
            "schemas": {
                "Message": {
                    "type": "object",
                    "properties": {
                        "qos": {"type": "integer", "enum": [0, 1, 2]},
                        "retain": {"anyOf": [{"type": "boolean", "enum": [False]}]},
                        "level": {
                            "type": "integer",
                            "enum": [0, 1],
                            "x-enum-varnames": ["OFF", "ON"],
                        },
                        "kind": {"type": "string", "enum": ["a"]},
                    },
                }
            }
        }
    }
    named = modelnames.name_enum_members(doc)
    props = named["components"]["schemas"]["Message"]["properties"]
    assert props["qos"]["x-enum-varnames"] == ["QOS_0", "QOS_1", "QOS_2"]
    assert props["retain"]["anyOf"][0]["x-enum-varnames"] == ["FALSE"]
    assert props["level"]["x-enum-varnames"] == ["OFF", "ON"]
    assert "x-enum-varnames" not in props["kind"]
    assert "x-enum-varnames" not in doc["components"]["schemas"]["Message"]["properties"]["qos"]
