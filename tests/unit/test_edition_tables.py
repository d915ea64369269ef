"""The enterprise branches outside data integration, as the generator reads them from the
spec (generator/viewmodel/editions.py) for the stub's generated table."""

from __future__ import annotations

from typing import Any

from generator.viewmodel.editions import defaults_of, edition_tables

EE = {"x-emqx-edition": "enterprise"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _union(field: str, mapping: dict[str, str], extra: dict[str, Any] | None = None) -> Any:
    return {
        "oneOf": [_ref(n) for n in mapping.values()],
        "discriminator": {
            "propertyName": field,
            "mapping": {v: _ref(n)["$ref"] for v, n in mapping.items()},
        },
        **(extra or {}),
    }


def _obj(props: dict[str, Any], extra: dict[str, Any] | None = None) -> Any:
    return {"type": "object", "properties": props, **(extra or {})}


def _document() -> dict[str, Any]:
    schemas = {
        "AuthnConfig": _union("mechanism", {"password_based": "Pw", "scram": "Scram", "k": "K"}),
        "Pw": _obj({}),
        "K": _obj({}, EE),
        "Scram": _union("backend", {"built_in_database": "ScramDb", "http": "ScramHttp"}),
        "ScramDb": _obj({}),
        "ScramHttp": _union("method", {"get": "G", "post": "P"}, EE),
        "G": _obj({}),
        "P": _obj({}),
        "GatewayConf": _union("name", {"stomp": "Stomp", "ocpp": "Ocpp"}),
        "Stomp": _obj({"listeners": {"type": "array", "items": _ref("StompListener")}}),
        "Ocpp": _obj(
            {
                "name": {"type": "string", "default": "ocpp"},
                "mountpoint": {"type": "string", "default": "ocpp/"},
                "frame": _ref("Frame"),
                "listeners": {"type": "array", "items": _ref("OcppListener")},
            },
            EE,
        ),
        "Frame": _obj({"max": {"type": "integer", "default": 10}, "min": {"type": "integer"}}),
        "StompListener": _union("type", {"tcp": "Tcp"}),
        "OcppListener": _union("type", {"ws": "Ws", "wss": "Wss"}),
        "GatewayListener": _union("type", {"tcp": "Tcp", "ws": "Ws", "wss": "Wss"}),
        "Tcp": _obj({"acceptors": {"type": "integer", "default": 16}}),
        "Ws": _obj({"path": {"type": "string", "default": "/"}}, EE),
        "Wss": _obj({"path": {"type": "string", "default": "/"}, "ssl_options": _ref("Frame")}, EE),
    }
    return {"components": {"schemas": schemas}}


def test_authenticator_choices_follow_nested_unions_to_the_enterprise_branch() -> None:
    tables = edition_tables(_document())
    (authn,) = tables.authenticators
    assert authn.union == "AuthnConfig"
    assert authn.choices == ((("mechanism", "scram"), ("backend", "http")), (("mechanism", "k"),))


def test_enterprise_gateways_with_listener_types_and_defaults() -> None:
    tables = edition_tables(_document())
    (gateway,) = tables.gateways
    assert gateway.name == "ocpp"
    assert gateway.listener_types == ("ws", "wss")
    # its name and listeners aside; a nested block gets its schema's defaults
    assert gateway.defaults == {"mountpoint": "ocpp/", "frame": {"max": 10}}


def test_enterprise_listener_types_without_their_tls_options() -> None:
    tables = edition_tables(_document())
    assert [(x.type, x.defaults) for x in tables.listeners] == [
        ("ws", {"path": "/"}),
        ("wss", {"path": "/"}),
    ]


def test_a_document_without_the_unions_has_empty_tables() -> None:
    tables = edition_tables({"components": {"schemas": {}}})
    assert (tables.authenticators, tables.gateways, tables.listeners) == ((), (), ())


def test_a_self_referencing_schema_does_not_loop() -> None:
    schemas = {"Loop": _obj({"next": _ref("Loop"), "x": {"type": "integer", "default": 1}})}
    assert defaults_of(schemas, "Loop") == {"x": 1}
