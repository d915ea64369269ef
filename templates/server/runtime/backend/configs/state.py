"""The node's configuration as the Configs and Listeners APIs see it: raw roots with every
default filled in (as EMQX keeps them after an update), and which listeners run.

Defaults come from the request models of the spec, so the stub and the document agree:
`fill(Model, data)` completes `data` (wire names) with each field's default, and fills
nested objects the way EMQX's `fill_defaults` does, even when they are left out.
"""

from __future__ import annotations

import functools
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import typing_extensions
from pydantic import BaseModel, RootModel, TypeAdapter, ValidationError
from pydantic_core import PydanticUndefined

from ... import models

_ANY: TypeAdapter[Any] = TypeAdapter(Any)
OBFUSCATED = "******"
SENSITIVE = frozenset({"password", "db_password", "default_password"})
# Hidden nested objects that EMQX leaves out unless they are set.
_NOT_FILLED = frozenset(
    {"limiter", "client", "bytes", "messages", "connection", "message_routing", "internal", "s3"}
)

# The roots the stub models, by name, with the model giving their defaults.
ROOT_MODELS: dict[str, type[BaseModel]] = {
    "alarm": models.ConfigAlarm,
    "broker": models.ConfigBroker,
    "dashboard": models.ConfigDashboard,
    "log": models.ConfigLog,
    "sys_topics": models.ConfigSysTopics,
    "sysmon": models.ConfigSysmon,
    "limiter": models.ConfigLimiterUpdate,
    "mqtt": models.ConfigMqtt,
    "flapping_detect": models.ConfigFlappingDetect,
    "force_shutdown": models.ConfigForceShutdown,
    "force_gc": models.ConfigForceGc,
    "durable_sessions": models.ConfigDurableSessions,
    "file_transfer": models.ConfigFileTransfer,  # enterprise build only
}
ENTERPRISE_ROOTS = frozenset({"file_transfer"})
ZONE_ROOTS = ("mqtt", "flapping_detect", "force_shutdown", "force_gc", "durable_sessions")
# Listener configuration by type: the update body holds every setting (and no defaults
# for the id, type and status fields, which are not stored).
LISTENER_MODELS: dict[str, type[BaseModel]] = {
    "tcp": models.ListenerTcpUpdate,
    "ssl": models.ListenerSslUpdate,
    "ws": models.ListenerWsUpdate,
    "wss": models.ListenerWssUpdate,
    "quic": models.ListenerQuicUpdate,
}
LISTENER_META = ("id", "type", "name", "running", "current_connections")


def _candidates(annotation: Any) -> list[Any]:
    """The concrete types a field annotation allows (through Annotated, unions, aliases)."""
    if isinstance(annotation, typing_extensions.TypeAliasType):
        return _candidates(annotation.__value__)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _candidates(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [c for arg in typing.get_args(annotation) for c in _candidates(arg)]
    return [annotation]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel) and not issubclass(tp, RootModel)


def model_choices(annotation: Any) -> list[type[BaseModel]]:
    """The object models an annotation allows, in order (a model, or each model of a union
    or of a union alias such as IoTDB's connector variants)."""
    return [c for c in _candidates(annotation) if _is_model(c)]


def nested(annotation: Any) -> tuple[type[BaseModel] | None, type[BaseModel] | None]:
    """(object model, model of a map's values) a field may hold, either may be None."""
    obj = mapped = None
    for cand in _candidates(annotation):
        if _is_model(cand):
            obj = obj or cand
        elif typing.get_origin(cand) is dict:
            value = typing.get_args(cand)[1]
            mapped = mapped or next((c for c in _candidates(value) if _is_model(c)), None)
    return obj, mapped


def fields_by_alias(model: type[BaseModel]) -> dict[str, Any]:
    return {(info.alias or name): info for name, info in model.model_fields.items()}


def _as_map(model: type[BaseModel], value: Mapping[str, Any]) -> bool:
    """Whether a value of a `Model | dict[str, Model]` field is the map form."""
    known = fields_by_alias(model)
    return bool(value) and not any(key in known for key in value)


def fitting(annotation: Any, value: Mapping[str, Any], default: type[BaseModel]) -> type[BaseModel]:
    """Of the models a union field allows (Redis's deployments, InfluxDB's API versions),
    the one the union picks for `value` (its discriminator, or the branch the broker takes
    for a body without it), so that filling gives that branch's defaults; failing that,
    the one whose fields name the most keys of `value`."""
    models_ = model_choices(annotation)
    if len(models_) < 2:
        return default
    picked = _picked(annotation, value)
    if picked in models_:
        return picked
    best: type[BaseModel] = max(models_, key=lambda m: len(set(value) & set(fields_by_alias(m))))
    return best


def _picked(annotation: Any, value: Mapping[str, Any]) -> type[BaseModel] | None:
    """The model a union annotation validates `value` into (None when it does not)."""
    try:
        parsed = _adapter(annotation).validate_python(dict(value))
    except (ValidationError, TypeError):
        return None
    return type(parsed) if isinstance(parsed, BaseModel) else None


@functools.cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _has_default(info: Any) -> bool:
    """Whether an optional field has a default of its own (not None)."""
    return not info.is_required() and info.default not in (None, PydanticUndefined)


def fill(model: type[BaseModel], data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with the defaults of `model` filled in, recursively."""
    out: dict[str, Any] = {}
    for key, info in fields_by_alias(model).items():
        obj, mapped = nested(info.annotation)
        if key in data:
            value = data[key]
            if obj is not None and isinstance(value, Mapping):
                obj = fitting(info.annotation, value, obj)
            if (
                isinstance(value, Mapping)
                and mapped is not None
                and (obj is None or _as_map(obj, value))
            ):
                value = {
                    k: fill(mapped, v) if isinstance(v, Mapping) else v for k, v in value.items()
                }
            elif isinstance(value, Mapping) and obj is not None:
                value = fill(obj, value)
            elif isinstance(value, list) and mapped is None and obj is None:
                value = [_ANY.dump_python(v, mode="json") for v in value]
            out[key] = value
        elif obj is not None and key not in _NOT_FILLED and not _has_default(info):
            out[key] = fill(obj, {})
        elif _has_default(info):
            # the field's own default, its nested defaults filled in (a container's
            # `{"type": "csv"}`); a union's default may be a plain value (Pulsar's `none`)
            default = _ANY.dump_python(info.default, mode="json")
            if isinstance(default, Mapping) and (mapped is not None or obj is not None):
                default = fill(model, {key: default})[key]
            out[key] = default
    return out


def obfuscate(value: Any) -> Any:
    """A copy with every secret replaced by `******`, as EMQX answers configuration."""
    if isinstance(value, Mapping):
        return {
            k: OBFUSCATED if k in SENSITIVE and isinstance(v, str) else obfuscate(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [obfuscate(v) for v in value]
    return value


def deobfuscate(new: Any, old: Any) -> Any:
    """`new` with each `******` secret replaced by the stored value in `old`."""
    if isinstance(new, Mapping):
        before = old if isinstance(old, Mapping) else {}
        out = {}
        for k, v in new.items():
            if k in SENSITIVE and v == OBFUSCATED and k in before:
                out[k] = before[k]
            else:
                out[k] = deobfuscate(v, before.get(k))
        return out
    return new


def normalize_log(log: Mapping[str, Any]) -> dict[str, Any]:
    """EMQX's converter: a single nameless file handler becomes the one named `default`."""
    out = dict(log)
    if "file" not in out:
        out["file"] = {"default": {"level": "warning"}}
    file = out["file"]
    if isinstance(file, Mapping) and not _as_map(models.ConfigLogFileHandler, file):
        out["file"] = {"default": dict(file)}
    return out


def fill_root(name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    if name == "log":
        data = normalize_log(data)
    if name == "dashboard":
        # Required in the schema, and with defaults: the models cannot carry these.
        data = {"default_username": "admin", "default_password": "public", **data}
    return fill(ROOT_MODELS[name], data)


def fill_listener(type_: str, data: Mapping[str, Any]) -> dict[str, Any]:
    conf = {k: v for k, v in data.items() if k not in LISTENER_META}
    return fill(LISTENER_MODELS[type_], conf)


def _default_listeners() -> dict[str, dict[str, dict[str, Any]]]:
    certs = {
        "cacertfile": "${EMQX_ETC_DIR}/certs/cacert.pem",
        "certfile": "${EMQX_ETC_DIR}/certs/cert.pem",
        "keyfile": "${EMQX_ETC_DIR}/certs/key.pem",
    }
    ws = {"mqtt_path": "/mqtt"}
    return {
        "tcp": {"default": fill_listener("tcp", {"bind": "0.0.0.0:1883"})},
        "ssl": {"default": fill_listener("ssl", {"bind": "0.0.0.0:8883", "ssl_options": certs})},
        "ws": {"default": fill_listener("ws", {"bind": "0.0.0.0:8083", "websocket": ws})},
        "wss": {
            "default": fill_listener(
                "wss", {"bind": "0.0.0.0:8084", "ssl_options": certs, "websocket": ws}
            )
        },
    }


def _default_roots() -> dict[str, Any]:
    roots: dict[str, Any] = {name: fill_root(name, {}) for name in ROOT_MODELS}
    # What a fresh node's emqx.conf sets on top of the schema defaults.
    roots["dashboard"] = fill_root(
        "dashboard",
        {"listeners": {"http": {"bind": 18083, "num_acceptors": os.cpu_count() or 4}}},
    )
    roots["listeners"] = _default_listeners()
    return roots


@dataclass
class ConfigStore:
    """Raw configuration by root name (roots the stub does not model are kept as sent),
    and whether each listener (by id) is running."""

    roots: dict[str, Any] = field(default_factory=_default_roots)
    running: dict[str, bool] = field(
        default_factory=lambda: {f"{t}:default": True for t in ("tcp", "ssl", "ws", "wss")}
    )
