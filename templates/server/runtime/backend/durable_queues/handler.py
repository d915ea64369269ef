"""Durable Queues (enterprise build): list, declare, read and delete queues.

While the feature is off every operation answers 404 `Durable queues are disabled`, as
EMQX's filter does. The list's cursor is opaque: the stub's is the base64 of the last
listed id, and anything else is refused with 400.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from datetime import datetime

from ... import errors, models
from ..common.clock import now_ms
from ..common.paging import check_pager
from ..state import State
from .state import DurableQueueRecord

QUEUE_NOT_FOUND = "Queue not found"


def start_ms(value: int | str | None, created_at: int) -> int:
    """`start_time` as epoch milliseconds (an integer, or an RFC 3339 time)."""
    if value is None:
        return created_at
    if isinstance(value, int):
        return value
    try:
        return int(datetime.fromisoformat(value).timestamp() * 1000)
    except ValueError:
        raise errors.bad_request(f"start_time: not an epoch time: {value}", status=400) from None


def check_queue_id(queue_id: str) -> None:
    """One topic level that is not a wildcard (the path parameter's validator)."""
    if "/" in queue_id or queue_id in ("+", "#"):
        raise errors.bad_request("Invalid queue id", status=400)


def shown(record: DurableQueueRecord) -> models.DurableQueue:
    return models.DurableQueue(
        id=record.id,
        group=record.group,
        topic=record.topic,
        created_at=record.created_at,
        start_time=record.start_time,
    )


class DurableQueuesApi:
    """DurableQueuesHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _check_enabled(self) -> None:
        with self._state.lock:
            enabled = self._state.durable_queues.enabled
        if not enabled:
            raise errors.not_found("Durable queues are disabled")

    async def list_durable_queues(
        self, *, cursor: str | None = None, limit: int = 100
    ) -> models.DurableQueuePage:
        self._check_enabled()
        check_pager(1, limit)
        after = ""
        if cursor is not None:
            try:
                after = base64.b64decode(cursor, altchars=b"-_", validate=True).decode()
            except (binascii.Error, UnicodeError, ValueError):
                after = ""
            if not after:
                raise errors.bad_request("Invalid cursor", status=400)
        with self._state.lock:
            queues = [q for q in self._state.durable_queues.ordered() if q.id > after]
        chunk = queues[:limit]
        if len(queues) > limit:
            token = base64.urlsafe_b64encode(chunk[-1].id.encode()).decode()
            meta = models.DurableQueueCursorMeta(hasnext=True, cursor=token)
        else:
            meta = models.DurableQueueCursorMeta(hasnext=False)
        return models.DurableQueuePage(data=[shown(q) for q in chunk], meta=meta)

    async def declare_durable_queue(
        self, *, body: models.DurableQueueDeclare
    ) -> models.DurableQueue:
        self._check_enabled()
        created_at = now_ms()
        start = start_ms(body.start_time, created_at)
        with self._state.lock:
            queues = self._state.durable_queues.queues
            if any((q.group, q.topic) == (body.group, body.topic) for q in queues.values()):
                raise errors.conflict("Queue with given group name and topic filter already exists")
            queue_id = f"{body.group}:{secrets.token_hex(6).upper()}"
            record = DurableQueueRecord(queue_id, body.group, body.topic, created_at, start)
            queues[queue_id] = record
        return shown(record)

    async def get_durable_queue(self, *, id: str) -> models.DurableQueue:
        self._check_enabled()
        check_queue_id(id)
        with self._state.lock:
            record = self._state.durable_queues.queues.get(id)
        if record is None:
            raise errors.not_found(QUEUE_NOT_FOUND)
        return shown(record)

    async def delete_durable_queue(self, *, id: str) -> str:
        self._check_enabled()
        check_queue_id(id)
        with self._state.lock:
            state = self._state.durable_queues
            if id not in state.queues:
                raise errors.not_found(QUEUE_NOT_FOUND)
            if id in state.active:
                raise errors.conflict("Queue is currently active")
            del state.queues[id]
        return "Queue deleted"
