"""Retainer: the retained messages that `POST /publish` (retain=true) stores in
`state.retained`, listed, looked up and deleted here, and the retainer's settings."""

from __future__ import annotations

import base64
import copy
import re
from typing import Any

from ... import errors, models
from ..common.clock import dt_ms, now_ms
from ..common.durations import duration_ms
from ..common.paging import check_pager
from ..common.topic import is_wildcard, match
from ..publish.state import HTTP_PUBLISHER, PublishedMessage, payload_bytes, published_ms
from ..state import State

MAX_DETAIL_PAYLOAD = 1024 * 1024  # payloads above this are left out of the detail

_BYTESIZE = re.compile(r"^\s*\d+\s*(b|kb|mb|gb)?\s*$", re.IGNORECASE)
_RATE = re.compile(r"^\s*(?:\d+[a-zA-Z]*(?:/\d*[mshdMSHD]{1,2})?|infinity)\s*$")


# -- Helpers shared with the MQTT module ------------------------------------------------


# -- Settings checks --------------------------------------------------------------------


def _check_settings(given: dict[str, Any]) -> None:
    """What the broker's schema check refuses (400 BAD_REQUEST)."""
    for name in ("msg_expiry_interval", "msg_clear_interval"):
        if name in given:
            try:
                duration_ms(given[name])
            except ValueError:
                raise errors.bad_request(f"{name}: not a duration", status=400) from None
    override = given.get("msg_expiry_interval_override", "disabled")
    if override != "disabled":
        try:
            duration_ms(override)
        except ValueError:
            raise errors.bad_request(
                "msg_expiry_interval_override: not a duration or disabled", status=400
            ) from None
    size = given.get("max_payload_size", 0)
    if isinstance(size, str) and not _BYTESIZE.match(size):
        raise errors.bad_request("max_payload_size: not a byte size", status=400)
    for name in ("delivery_rate", "max_publish_rate"):
        if name in given and not _RATE.match(str(given[name])):
            raise errors.bad_request(f"{name}: not a rate", status=400)
    specs = (given.get("backend") or {}).get("index_specs")
    if specs is not None:
        for spec in specs:
            if len(spec) != len(set(spec)):
                raise errors.bad_request("index_specs: unique_index_spec_limited", status=400)
        if len({tuple(spec) for spec in specs}) != len(specs):
            raise errors.bad_request("index_specs: unique_index_spec_limited", status=400)


class RetainerApi:
    """RetainerHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _settings(self) -> dict[str, Any]:
        return self._state.retainer.settings

    def _expires_at(self, message: PublishedMessage) -> int | None:
        """Epoch ms after which the message is not served, or None if it never expires."""
        props = message.properties
        if props is not None and props.message_expiry_interval is not None:
            interval = props.message_expiry_interval
            return None if interval == 0 else published_ms(message) + interval * 1000
        default = duration_ms(self._settings.get("msg_expiry_interval", 0))
        return None if default == 0 else published_ms(message) + default

    def _matching(self, topic: str | None) -> list[PublishedMessage]:
        """The live retained messages (matching `topic` if given), oldest first."""
        if not self._settings.get("enable", True):
            return []
        now = now_ms()
        found = []
        for name, message in self._state.retained.items():
            expires = self._expires_at(message)
            if expires is not None and expires <= now:
                continue
            if topic is None or name == topic or match(name, topic):
                found.append(message)
        return sorted(found, key=published_ms)

    @staticmethod
    def _summary(message: PublishedMessage) -> dict[str, Any]:
        return {
            "msgid": message.id,
            "topic": message.topic,
            "qos": int(message.qos),
            "publish_at": dt_ms(published_ms(message)),
            "from_clientid": HTTP_PUBLISHER,
            "from_username": "",
        }

    async def list_retained_messages(
        self, *, limit: int = 100, page: int = 1, topic: str | None = None
    ) -> models.RetainedMessagePage:
        check_pager(page, limit)
        with self._state.lock:
            found = self._matching(topic)
            start = (page - 1) * limit
            chunk = found[start : start + limit]
            meta: dict[str, Any] = {"page": page, "limit": limit}
            # The broker reports a next page whenever this one is full.
            meta["hasnext"] = len(chunk) == limit
            if topic is None:
                enabled = self._settings.get("enable", True)
                meta["count"] = len(self._state.retained) if enabled else 0
            return models.RetainedMessagePage.model_validate(
                {"data": [self._summary(m) for m in chunk], "meta": meta}
            )

    async def clear_retained_messages(self) -> None:
        with self._state.lock:
            self._state.retained.clear()

    async def get_retained_message(self, *, topic: str) -> models.RetainedMessage:
        with self._state.lock:
            found = self._matching(topic)
            if not found:
                raise errors.not_found("Viewed message doesn't exist", status=404)
            message = found[0]
            body = self._summary(message)
            payload = payload_bytes(message)
            if len(payload) <= MAX_DETAIL_PAYLOAD:
                body["payload"] = base64.b64encode(payload).decode("ascii")
            return models.RetainedMessage.model_validate(body)

    async def delete_retained_message(self, *, topic: str) -> None:
        with self._state.lock:
            if not self._matching(topic):
                raise errors.not_found("Viewed message doesn't exist", status=404)
            if is_wildcard(topic):
                for name in [n for n in self._state.retained if match(n, topic)]:
                    del self._state.retained[name]
            else:
                self._state.retained.pop(topic, None)

    async def get_retainer_settings(self) -> models.RetainerSettings:
        with self._state.lock:
            return models.RetainerSettings.model_validate(copy.deepcopy(self._settings))

    async def update_retainer_settings(
        self, *, body: models.RetainerSettings
    ) -> models.RetainerSettings:
        given = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        _check_settings(given)
        with self._state.lock:
            merged = {**self._settings, **given}
            backend = merged.get("backend") or {}
            if not backend.get("enable", True) and not merged.get("external_backends"):
                raise errors.update_failed("{badmatch,{error,no_enabled_backend}}\n", status=400)
            self._state.retainer.settings = merged
            return models.RetainerSettings.model_validate(copy.deepcopy(merged))
