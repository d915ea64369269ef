"""Enterprise version 1 bridges and their version 2 records: splitting a flat v1
configuration into a connector and an action (or source), and merging them back.

The split follows the broker's generic conversion (emqx_connector_schema.erl,
`split_bridge_to_connector_and_action`): the fields the connector's shape has go to the
connector, `enable`, `local_topic`, `resource_opts` and `description` stay at the top of
the action, and everything else becomes the action's `parameters`; `resource_opts` is cut
to what each side takes. The merge is the reverse (emqx_action_info.erl,
`connector_action_config_to_bridge_v1_config`): both sides' `parameters` unindented into
one flat object. The few types whose `*_action_info` module converts otherwise are listed
below: which field of the connector's `parameters` names their variant (Redis, MongoDB,
InfluxDB), and which v1 field holds their parameters instead of the top level (Kafka, Azure
Event Hubs and the two consumers).

Which fields each side has comes from the models of the spec's connector, action and source
unions (`integration/type_table.py`); both sides are plain dicts by wire names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from ... import errors
from ..configs.state import fields_by_alias, model_choices
from ..integration.state import Kind, all_types

# v1 type -> (the field of the connector's `parameters` that names the variant, its value)
VARIANTS: dict[str, tuple[str, str]] = {
    "redis_single": ("redis_type", "single"),
    "redis_sentinel": ("redis_type", "sentinel"),
    "redis_cluster": ("redis_type", "cluster"),
    "mongodb_rs": ("mongo_type", "rs"),
    "mongodb_sharded": ("mongo_type", "sharded"),
    "mongodb_single": ("mongo_type", "single"),
    "influxdb_api_v1": ("influxdb_type", "influxdb_api_v1"),
    "influxdb_api_v2": ("influxdb_type", "influxdb_api_v2"),
}
# v1 type -> the v1 field that holds the action's (or source's) parameters
# (emqx_bridge_kafka_producer_action_info, emqx_bridge_kafka_consumer_action_info,
# emqx_bridge_gcp_pubsub_consumer_action_info)
NESTED: dict[str, str] = {
    "kafka": "kafka",
    "azure_event_hub_producer": "kafka",
    "kafka_consumer": "kafka",
    "gcp_pubsub_consumer": "consumer",
}
# the Kafka consumer's v1 `kafka` block; its other parameters sit at the top level
_KAFKA_CONSUMER_BLOCK = (
    "max_batch_bytes",
    "max_rejoin_attempts",
    "offset_commit_interval_seconds",
    "offset_reset_policy",
)
_TOP = ("enable", "local_topic", "resource_opts", "description")
_NOT_V1 = ("connector", "created_at", "last_modified_at", "description")


def _keys(model: type[BaseModel]) -> set[str]:
    return set(fields_by_alias(model))


def _field_model(model: type[BaseModel], field: str) -> type[BaseModel] | None:
    info = fields_by_alias(model).get(field)
    choices = model_choices(info.annotation) if info is not None else []
    return choices[0] if choices else None


def _variant_model(connector: type[BaseModel], v1_type: str) -> type[BaseModel] | None:
    """The model of the connector's `parameters` branch a v1 type is (Redis single...)."""
    if v1_type not in VARIANTS:
        return None
    field, value = VARIANTS[v1_type]
    info = fields_by_alias(connector).get("parameters")
    for choice in model_choices(info.annotation) if info is not None else []:
        marker = fields_by_alias(choice).get(field)
        if marker is None:
            continue
        try:
            TypeAdapter(marker.annotation).validate_python(value)
        except ValidationError:
            continue
        return choice
    return None


def _pick(data: Mapping[str, Any], keys: set[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in keys}


def _resource_opts(data: Mapping[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """`resource_opts` of `data` cut to what `model`'s `resource_opts` takes."""
    shape = _field_model(model, "resource_opts")
    given = data.get("resource_opts") or {}
    return _pick(given, _keys(shape)) if shape is not None else dict(given)


def _models(kind: Kind, channel_type: str) -> tuple[type[BaseModel], type[BaseModel]]:
    """(connector model, action or source model) of an action or source type."""
    row = all_types(kind).get(channel_type)
    conn_row = all_types("connector").get(row.connector_type) if row is not None else None
    if row is None or conn_row is None:
        raise errors.bad_request(f"unknown bridge type: {channel_type}")
    return conn_row.config_model, row.config_model


def split(
    v1_type: str, channel_type: str, kind: Kind, config: Mapping[str, Any], connector: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(connector configuration, action or source configuration) of a v1 configuration
    (no `type`, no `name`)."""
    conn_model, channel_model = _models(kind, channel_type)
    conn_keys = _keys(conn_model) - {"parameters"}
    variant = _variant_model(conn_model, v1_type)
    variant_keys = _keys(variant) if variant is not None else set()
    conn = _pick(config, conn_keys - {"resource_opts", "description"})
    if "resource_opts" in config:
        conn["resource_opts"] = _resource_opts(config, conn_model)
    if variant is not None:
        field, value = VARIANTS[v1_type]
        conn["parameters"] = {**_pick(config, variant_keys), field: value}
    channel: dict[str, Any] = _pick(config, set(_TOP) & _keys(channel_model))
    if "resource_opts" in config:
        channel["resource_opts"] = _resource_opts(config, channel_model)
    rest = {
        k: v
        for k, v in config.items()
        if k not in conn_keys and k not in variant_keys and k not in _TOP
    }
    nested = NESTED.get(v1_type)
    if nested is None:
        params = rest
        if v1_type in VARIANTS and v1_type.startswith("redis"):
            params["redis_type"] = VARIANTS[v1_type][1]
    else:
        params = dict(rest.pop(nested, None) or {})
        if v1_type == "kafka_consumer":
            params.update(rest)
            mapping = params.get("topic_mapping") or [{}]
            params.setdefault("topic", mapping[0].get("kafka_topic", ""))
        elif v1_type == "gcp_pubsub_consumer":
            mapping = params.get("topic_mapping") or [{}]
            params.setdefault("topic", mapping[0].get("pubsub_topic", ""))
    shape = _field_model(channel_model, "parameters")
    if shape is not None:
        params = _pick(params, _keys(shape))
    return conn, {**channel, "parameters": params, "connector": connector}


def merge(v1_type: str, conn: Mapping[str, Any], channel: Mapping[str, Any]) -> dict[str, Any]:
    """The v1 configuration of a connector and its one action or source (no defaults
    filled in)."""
    flat_conn = {k: v for k, v in conn.items() if k not in ("parameters", "description")}
    if v1_type in VARIANTS:
        flat_conn.update(conn.get("parameters") or {})
    top = {k: v for k, v in channel.items() if k not in _NOT_V1 and k != "parameters"}
    params = dict(channel.get("parameters") or {})
    nested = NESTED.get(v1_type)
    if nested is None:
        params.pop("redis_type", None)
        merged = {**flat_conn, **params, **top}
    elif v1_type == "kafka_consumer":
        block = {k: params.pop(k) for k in _KAFKA_CONSUMER_BLOCK if k in params}
        topic = params.pop("topic", None)
        params.pop("group_id", None)
        params.pop("max_wait_time", None)
        if not params.get("topic_mapping") and topic:
            params["topic_mapping"] = [{"kafka_topic": topic}]
        merged = {**flat_conn, **params, **top, nested: block}
    else:
        if nested == "consumer":
            params.pop("topic", None)
        merged = {**flat_conn, **top, nested: params}
    resource_opts = {**(conn.get("resource_opts") or {}), **(channel.get("resource_opts") or {})}
    if resource_opts:
        merged["resource_opts"] = resource_opts
    return merged


def v1_type_of(candidates: list[str], conn: Mapping[str, Any]) -> str:
    """Which of the v1 types stored as one action type a connector is (its `parameters`
    name the variant); the first when none is told apart."""
    params = conn.get("parameters") or {}
    for v1_type in candidates:
        field, value = VARIANTS.get(v1_type, ("", ""))
        if field and params.get(field) == value:
            return v1_type
    return candidates[0]
