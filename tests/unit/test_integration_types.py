"""The data-integration type tables: what the generator reads from the unions
(generator/viewmodel/integration.py) and what the stub's `TypeTable` answers from the
rendered rows."""

from __future__ import annotations

from typing import Any

from generator.viewmodel.integration import integration_kinds


def _branch(type_: str, extra: dict[str, Any] | None = None, fields: tuple[str, ...] = ()) -> Any:
    props = {"type": {"type": "string", "enum": [type_]}, "name": {"type": "string"}}
    props.update({f: {"type": "string"} for f in fields})
    return {"type": "object", "properties": props, **(extra or {})}


def _update(fields: tuple[str, ...]) -> Any:
    return {"type": "object", "properties": {f: {"type": "string"} for f in fields}}


def _union(mapping: dict[str, str], discriminated: bool = True) -> Any:
    node: dict[str, Any] = {
        "oneOf": [{"$ref": f"#/components/schemas/{n}"} for n in mapping.values()]
    }
    if discriminated:
        node["discriminator"] = {
            "propertyName": "type",
            "mapping": {t: f"#/components/schemas/{n}" for t, n in mapping.items()},
        }
    return node


def _document() -> dict[str, Any]:
    ee = {"x-emqx-edition": "enterprise"}
    schemas = {
        "ConnectorsHttpCreate": _branch("http", fields=("url",)),
        "ConnectorsHttpUpdate": _update(("url",)),
        "ConnectorsHttp": _branch("http", fields=("url",)),
        "ConnectorsPgCreate": _branch("pgsql", ee, fields=("server", "database")),
        # named otherwise: found by its properties (the create shape's, less type and name)
        "PgConnectorPut": _update(("server", "database")),
        # the same names defined otherwise is not the same shape
        "PgLookalike": {
            "type": "object",
            "properties": {"server": {"type": "integer"}, "database": {"type": "string"}},
        },
        "ConnectorsPg": _branch("pgsql", ee, fields=("server",)),
        "ActionsTsCreate": _branch("timescale", {**ee, "x-emqx-connector-type": "pgsql"}),
        "ActionsTs": _branch("timescale", ee),
        "ConnectorsConnector": _union({"http": "ConnectorsHttp", "pgsql": "ConnectorsPg"}),
        "ConnectorsConnectorCreate": _union(
            {"http": "ConnectorsHttpCreate", "pgsql": "ConnectorsPgCreate"}
        ),
        "ConnectorsConnectorUpdate": _union(
            {"a": "ConnectorsHttpUpdate", "c": "PgLookalike", "b": "PgConnectorPut"},
            discriminated=False,
        ),
        "ActionsAction": _union({"timescale": "ActionsTs"}),
        "ActionsActionCreate": _union({"timescale": "ActionsTsCreate"}),
    }
    return {"components": {"schemas": schemas}}


def test_types_models_and_editions_come_from_the_unions() -> None:
    kinds = {k.kind: k for k in integration_kinds(_document())}
    assert list(kinds) == ["connector", "action", "source", "bridge"]
    http, pgsql = kinds["connector"].types
    assert (http.name, http.create_model, http.update_model, http.answer_model) == (
        "http",
        "ConnectorsHttpCreate",
        "ConnectorsHttpUpdate",
        "ConnectorsHttp",
    )
    assert http.enterprise is False and http.connector_type == "http"
    assert pgsql.enterprise is True and pgsql.update_model == "PgConnectorPut"
    (timescale,) = kinds["action"].types
    # no update union: the stub checks updates against the create shape
    assert timescale.update_model == "" and timescale.connector_type == "pgsql"
    assert timescale.enterprise is True
    assert kinds["source"].types == ()


def test_the_rendered_rows_cover_every_branch_of_the_spec(bundled: dict[str, Any]) -> None:
    from emqx_server_stub.backend import _edition_types as rows

    schemas = bundled["components"]["schemas"]
    for kind_rows, union in (
        (rows.CONNECTOR_TYPES, "ConnectorsConnectorCreate"),
        (rows.ACTION_TYPES, "ActionsActionCreate"),
        (rows.SOURCE_TYPES, "SourcesSourceCreate"),
    ):
        mapping = schemas[union]["discriminator"]["mapping"]
        assert [r.name for r in kind_rows] == list(mapping)
        for row in kind_rows:
            branch = schemas[row.create_model.__name__]
            assert row.enterprise == (branch.get("x-emqx-edition") == "enterprise")


def test_type_table_hides_enterprise_types_from_the_open_source_build() -> None:
    from emqx_server_stub.backend._edition_types import CONNECTOR_TYPES
    from emqx_server_stub.backend.integration.type_table import TypeTable

    ee = TypeTable(CONNECTOR_TYPES, "ee")
    ce = ee.for_edition("ce")
    enterprise = [r.name for r in CONNECTOR_TYPES if r.enterprise]
    assert enterprise and "http" in ce and "mqtt" in ce
    assert all(t in ee and t not in ce for t in enterprise)
    assert ce.get("kafka_producer") is None and ee.is_enterprise("kafka_producer")
    assert ce.names() == [r.name for r in CONNECTOR_TYPES if not r.enterprise]
    assert "nope" not in ee and ee.get("nope") is None


def test_type_enums_name_every_action_and_source_type(bundled: dict[str, Any]) -> None:
    """`GET /action_types` and `/source_types` answer with these enums: each type of the
    unions must be one of their values."""
    schemas = bundled["components"]["schemas"]
    for enum, union in (
        ("ActionsType", "ActionsActionCreate"),
        ("SourcesType", "SourcesSourceCreate"),
    ):
        assert set(schemas[union]["discriminator"]["mapping"]) <= set(schemas[enum]["enum"])
