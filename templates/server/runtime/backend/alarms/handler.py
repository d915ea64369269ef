"""Alarms: raised and cleared through the seeding API, listed, force-cleared and purged
over HTTP."""

from __future__ import annotations

from typing import Any

from ... import errors, models
from ..common.clock import dt_ms, now_ms
from ..common.paging import paginate
from ..state import State
from .state import AlarmRecord

MAX_CLEARED = 1000  # alarm.size_limit default: cleared alarms kept


def raise_alarm(state: State, name: str, message: str, details: dict[str, Any] | None) -> None:
    """Activate an alarm; an alarm of that name that is active already stays as it is."""
    with state.lock:
        if name not in state.active_alarms:
            state.active_alarms[name] = AlarmRecord(name, message, dict(details or {}), now_ms())


def clear_alarm(state: State, name: str) -> None:
    """Deactivate the active alarm of that name, if any; it joins the cleared alarms."""
    with state.lock:
        alarm = state.active_alarms.pop(name, None)
        if alarm is not None:
            alarm.deactivate_at = now_ms()
            state.cleared_alarms.append(alarm)
            del state.cleared_alarms[:-MAX_CLEARED]


def format_alarm(node: str, alarm: AlarmRecord) -> models.Alarm:
    end = alarm.deactivate_at if alarm.deactivate_at is not None else now_ms()
    data: dict[str, Any] = {
        "node": node,
        "name": alarm.name,
        "message": alarm.message,
        "details": dict(alarm.details),
        "duration": max(0, end - alarm.activate_at),
        "activate_at": dt_ms(alarm.activate_at),
    }
    if alarm.deactivate_at is not None:
        data["deactivate_at"] = dt_ms(alarm.deactivate_at)
    return models.Alarm.model_validate(data)


class AlarmsApi:
    """AlarmsHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def list_alarms(
        self, *, activated: bool = True, limit: int = 100, page: int = 1
    ) -> models.AlarmPage:
        with self._state.lock:
            if activated:
                alarms = sorted(self._state.active_alarms.values(), key=lambda a: a.activate_at)
            else:
                alarms = list(self._state.cleared_alarms)
            chunk, meta = paginate(alarms, page, limit)
            data = [format_alarm(self._state.node, a) for a in chunk]
        return models.AlarmPage(data=data, meta=meta)

    async def delete_deactivated_alarms(self) -> None:
        with self._state.lock:
            self._state.cleared_alarms.clear()

    async def force_deactivate_alarm(self, *, body: models.AlarmForceDeactivateRequest) -> None:
        if not body.name:
            raise errors.invalid_parameter("name is required", status=400)
        with self._state.lock:
            if body.name not in self._state.active_alarms:
                message = "Alarm not found or already deactivated"
                raise errors.not_found(message, status=400)
            clear_alarm(self._state, body.name)
