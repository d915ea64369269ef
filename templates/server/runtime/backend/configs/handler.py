"""Configs: the configuration roots under /configs/<root>, the global zone, the node-wide
rate limits, resetting roots to their defaults, and the whole configuration as HOCON text.

Changes apply at once to the in-memory configuration (`State.configs`) and every GET
answers what the last change stored, defaults filled in and secrets as `******`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from ... import errors, models
from ..common import hocon as _hocon
from ..state import State
from .file_transfer_root import check_single_backends
from .state import (
    ENTERPRISE_ROOTS,
    LISTENER_MODELS,
    ROOT_MODELS,
    ZONE_ROOTS,
    ConfigStore,
    deobfuscate,
    fields_by_alias,
    fill,
    fill_listener,
    fill_root,
    nested,
    obfuscate,
)

M = TypeVar("M", bound=BaseModel)
RootName = Literal["dashboard", "alarm", "sys_topics", "sysmon", "log", "broker"]

# Roots `GET /configs` leaves out of the HOCON text, as EMQX does.
_HIDDEN_ROOTS = frozenset({"broker", "plugins", "stats", "trace", "zones"})
_READONLY_ROOTS = ("rpc", "node")
_LIMITER_SHORT = ("max_conn_rate", "messages_rate", "bytes_rate")
_RATE = re.compile(r"^\s*(infinity|[0-9]+[a-zA-Z]*(/[0-9]*[mshdMSHD]{1,2})?)\s*$")
_DURATION = re.compile(r"^\s*([0-9]+)\s*(ms|s|m|h|d)\s*$", re.IGNORECASE)
_DURATION_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
_TIME_OFFSET = re.compile(r"^(system|utc|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$")


def _wire(body: BaseModel) -> dict[str, Any]:
    return body.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _duration_ms(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    match = _DURATION.match(str(value))
    if match is None:
        return None
    return int(match.group(1)) * _DURATION_MS[match.group(2).lower()]


def _erl_path(parts: list[str]) -> str:
    return "[" + ",".join(f'<<"{p}">>' for p in parts) + "]"


def _port(bind: Any) -> int:
    text = str(bind)
    return int(text.rsplit(":", 1)[-1]) if text.rsplit(":", 1)[-1].isdigit() else 0


def check_root(name: str, conf: Mapping[str, Any]) -> None:
    """The validators of the broker's schema (400 BAD_REQUEST) and the failures of
    applying the change (400 UPDATE_FAILED) that the stub imitates."""
    if name == "dashboard":
        interval = _duration_ms(conf.get("sample_interval", "10s"))
        if interval is None or not (1000 <= interval <= 60000 and 60000 % interval == 0):
            raise errors.bad_request(
                "dashboard.sample_interval: must be between 1 and 60 and be a divisor of 60."
            )
        listeners = conf.get("listeners") or {}
        http = _port((listeners.get("http") or {}).get("bind", 0))
        https = _port((listeners.get("https") or {}).get("bind", 0))
        if http and http == https:
            raise errors.update_failed(
                "{post_config_update,emqx_dashboard,{failed_to_start,eaddrinuse}}"
            )
    if name == "log":
        handlers = [conf.get("console") or {}, *((conf.get("file") or {}).values())]
        for handler in handlers:
            offset = handler.get("time_offset", "system")
            if not _TIME_OFFSET.match(str(offset)):
                raise errors.bad_request(f"log: time_offset: bad_time_offset {offset!r}")
    if name == "file_transfer":
        check_single_backends(conf)
    if name == "limiter":
        for key in _LIMITER_SHORT:
            if key in conf and not _RATE.match(str(conf[key])):
                raise errors.bad_request(f"limiter.{key}: failed_to_parse_rate {conf[key]!r}")


class ConfigsApi:
    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _store(self) -> ConfigStore:
        return self._state.configs

    # -- one root ---------------------------------------------------------------------

    def _edition_view(self, name: str, data: Any) -> Any:
        """The root as the edition has it: the open-source build has no `log.audit`."""
        if name == "log" and self._state.edition != "ee" and isinstance(data, dict):
            return {k: v for k, v in data.items() if k != "audit"}
        return data

    def _get(self, name: str, model: type[M]) -> M:
        with self._state.lock:
            data = self._edition_view(name, copy.deepcopy(self._store.roots[name]))
        return model.model_validate(obfuscate(data))

    def _put(self, name: str, model: type[M], body: BaseModel) -> M:
        with self._state.lock:
            sent = self._edition_view(name, _wire(body))
            new = deobfuscate(sent, self._store.roots.get(name))
            filled = fill_root(name, new)
            check_root(name, filled)
            self._store.roots[name] = filled
        return model.model_validate(obfuscate(self._edition_view(name, filled)))

    async def get_alarm_config(self) -> models.ConfigAlarm:
        return self._get("alarm", models.ConfigAlarm)

    async def update_alarm_config(self, *, body: models.ConfigAlarm) -> models.ConfigAlarm:
        return self._put("alarm", models.ConfigAlarm, body)

    async def get_broker_config(self) -> models.ConfigBroker:
        return self._get("broker", models.ConfigBroker)

    async def update_broker_config(self, *, body: models.ConfigBroker) -> models.ConfigBroker:
        return self._put("broker", models.ConfigBroker, body)

    async def get_dashboard_config(self) -> models.ConfigDashboard:
        return self._get("dashboard", models.ConfigDashboard)

    async def update_dashboard_config(
        self, *, body: models.ConfigDashboard
    ) -> models.ConfigDashboard:
        return self._put("dashboard", models.ConfigDashboard, body)

    async def get_log_config(self) -> models.ConfigLog:
        return self._get("log", models.ConfigLog)

    async def update_log_config(self, *, body: models.ConfigLog) -> models.ConfigLog:
        return self._put("log", models.ConfigLog, body)

    async def get_sys_topics_config(self) -> models.ConfigSysTopics:
        return self._get("sys_topics", models.ConfigSysTopics)

    async def update_sys_topics_config(
        self, *, body: models.ConfigSysTopics
    ) -> models.ConfigSysTopics:
        return self._put("sys_topics", models.ConfigSysTopics, body)

    async def get_file_transfer_config(self) -> models.ConfigFileTransfer:
        return self._get("file_transfer", models.ConfigFileTransfer)

    async def update_file_transfer_config(
        self, *, body: models.ConfigFileTransfer
    ) -> models.ConfigFileTransfer:
        return self._put("file_transfer", models.ConfigFileTransfer, body)

    async def get_sysmon_config(self) -> models.ConfigSysmon:
        return self._get("sysmon", models.ConfigSysmon)

    async def update_sysmon_config(self, *, body: models.ConfigSysmon) -> models.ConfigSysmon:
        return self._put("sysmon", models.ConfigSysmon, body)

    # -- global zone and limiter ------------------------------------------------------

    async def get_global_zone_config(self) -> models.ConfigGlobalZone:
        with self._state.lock:
            data = {name: copy.deepcopy(self._store.roots[name]) for name in ZONE_ROOTS}
        return models.ConfigGlobalZone.model_validate(data)

    async def update_global_zone_config(
        self, *, body: models.ConfigGlobalZone
    ) -> models.ConfigGlobalZone:
        answer: dict[str, Any] = {}
        with self._state.lock:
            for name, value in _wire(body).items():
                filled = fill_root(name, value)
                self._store.roots[name] = filled
                answer[name] = filled
        return models.ConfigGlobalZone.model_validate(answer)

    def _limiter(self) -> models.ConfigLimiter:
        conf = self._store.roots["limiter"]
        return models.ConfigLimiter.model_validate(
            {k: conf[k] for k in _LIMITER_SHORT if k in conf}
        )

    async def get_limiter_config(self) -> models.ConfigLimiter:
        with self._state.lock:
            return self._limiter()

    async def update_limiter_config(
        self, *, body: models.ConfigLimiterUpdate
    ) -> models.ConfigLimiter:
        with self._state.lock:
            filled = fill_root("limiter", _wire(body))
            check_root("limiter", filled)
            self._store.roots["limiter"] = filled
            return self._limiter()

    # -- reset ------------------------------------------------------------------------

    async def reset_config(self, *, rootname: RootName, conf_path: str | None = None) -> None:
        parts = [p for p in re.split(r"[. ]", conf_path or "") if p]
        defaults = fill_root(rootname, {})
        with self._state.lock:
            if not parts:
                self._store.roots[rootname] = defaults
                return
            value = _default_at(rootname, parts, defaults)
            target = self._store.roots[rootname]
            for part in parts[:-1]:
                child = target.get(part)
                if not isinstance(child, dict):
                    child = target[part] = {}
                target = child
            target[parts[-1]] = copy.deepcopy(value)

    # -- the whole configuration as HOCON text ------------------------------------------

    async def get_configs(self, *, key: str | None = None, node: str | None = None) -> str:
        if node is not None and node != self._state.node:
            raise errors.internal_error(f"{{badrpc,nodedown}} from {node}")
        with self._state.lock:
            roots = {
                k: self._edition_view(k, v)
                for k, v in self._store.roots.items()
                if self._state.edition == "ee" or k not in ENTERPRISE_ROOTS
            }
            if key is not None:
                return _hocon.dumps({key: roots.get(key, {})})
            return _hocon.dumps({k: v for k, v in roots.items() if k not in _HIDDEN_ROOTS})

    async def update_configs(
        self,
        *,
        body: str,
        ignore_readonly: bool = False,
        mode: Literal["replace", "merge"] = "merge",
    ) -> None:
        try:
            conf = _hocon.loads(body)
        except _hocon.HoconError as exc:
            raise errors.bad_request(
                {"errors": {"type": "parse_error", "reason": exc.reason, "line": exc.line}}
            ) from exc
        conf = _drop_readonly(conf, ignore_readonly)
        with self._state.lock:
            roots = self._store.roots
            staged: dict[str, Any] = {}
            failures: dict[str, str] = {}
            for name, value in conf.items():
                old = roots.get(name)
                merged = value
                if mode == "merge" and isinstance(old, Mapping) and isinstance(value, Mapping):
                    merged = _hocon.deep_merge(old, value)
                try:
                    staged[name] = _checked(name, merged)
                except (ValidationError, ValueError, TypeError) as exc:
                    failures[name] = str(exc).splitlines()[0]
                except errors.ApiError as exc:
                    failures[name] = str(exc.message)
            if failures:
                raise errors.bad_request({"errors": failures})
            for name, value in staged.items():
                roots[name] = value
                if name == "listeners":
                    self._sync_running(value)

    def _sync_running(self, listeners: Mapping[str, Any]) -> None:
        running = self._store.running
        ids = {f"{t}:{n}": conf for t, group in listeners.items() for n, conf in group.items()}
        for id_ in list(running):
            if id_ not in ids:
                del running[id_]
        for id_, conf in ids.items():
            running[id_] = bool(conf.get("enable", True))


def _drop_readonly(conf: dict[str, Any], ignore: bool) -> dict[str, Any]:
    bad = [k for k in _READONLY_ROOTS if k in conf]
    cluster = conf.get("cluster")
    if isinstance(cluster, Mapping):
        bad += [f"cluster.{k}" for k in cluster if k != "links"]
    if not bad:
        return conf
    if not ignore:
        keys = ",".join(bad)
        raise errors.bad_request({"errors": f"Cannot update read-only key '{keys}'."})
    out = {k: v for k, v in conf.items() if k not in _READONLY_ROOTS}
    if isinstance(cluster, Mapping):
        out["cluster"] = {k: v for k, v in cluster.items() if k == "links"}
    return out


def _checked(name: str, value: Any) -> Any:
    """A root of HOCON text checked against its schema and completed with defaults."""
    if name in ROOT_MODELS:
        if not isinstance(value, Mapping):
            raise ValueError(f"{name}: expected an object")
        filled = fill_root(name, value)
        ROOT_MODELS[name].model_validate(filled)
        check_root(name, filled)
        return filled
    if name == "listeners":
        if not isinstance(value, Mapping):
            raise ValueError("listeners: expected an object")
        out: dict[str, Any] = {}
        for type_, group in value.items():
            if type_ not in LISTENER_MODELS or not isinstance(group, Mapping):
                raise ValueError(f"listeners: unknown listener type {type_!r}")
            out[type_] = {}
            for lname, conf in group.items():
                filled = fill_listener(type_, conf)
                LISTENER_MODELS[type_].model_validate(
                    {**filled, "type": type_, "id": f"{type_}:{lname}"}
                )
                out[type_][lname] = filled
        return out
    return value


def _default_at(rootname: str, parts: list[str], defaults: Mapping[str, Any]) -> Any:
    """The default value of the setting at `parts` inside a root; raises REST_FAILED for a
    path that names no setting and NO_DEFAULT_VALUE for a setting without a default."""
    model: type[BaseModel] = ROOT_MODELS[rootname]
    value: Any = defaults
    i = 0
    while i < len(parts):
        fields = fields_by_alias(model)
        if parts[i] not in fields:
            raise errors.rest_failed(f"{{config_not_found,{_erl_path([rootname, *parts])}}}")
        obj, mapped = nested(fields[parts[i]].annotation)
        value = value.get(parts[i]) if isinstance(value, Mapping) else None
        i += 1
        if (
            i < len(parts)
            and mapped is not None
            and (obj is None or parts[i] not in fields_by_alias(obj))
        ):
            value = value.get(parts[i]) if isinstance(value, Mapping) else None
            value = fill(mapped, {}) if value is None else value
            model, i = mapped, i + 1
        elif obj is not None:
            model = obj
        elif i < len(parts):
            raise errors.rest_failed(f"{{config_not_found,{_erl_path([rootname, *parts])}}}")
    if value is None:
        raise errors.no_default_value("No Default Value.")
    return value
