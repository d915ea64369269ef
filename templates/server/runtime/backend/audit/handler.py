"""Audit (enterprise build): requests that changed something, recorded while
`log.audit.enable` is on (emqx_dashboard_audit decides what and how), and listed with
EMQX's filters, oldest first."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, Literal

from ... import errors, models
from ..common.paging import paginate
from ..state import State

_LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")
_KEY_REFUSED = "This API Key don't have permission to access this resource"


def _audit_conf(state: State) -> dict[str, Any]:
    log = state.configs.roots.get("log") or {}
    audit = log.get("audit") if isinstance(log, dict) else None
    return audit if isinstance(audit, dict) else {}


def _level(method: str, status: int) -> str:
    """emqx_dashboard_audit's level of a request at medium importance (405: high)."""
    if status == 405:
        return "warning"
    if 200 <= status < 300:
        return "info"
    if 300 <= status < 400:
        return "warning"
    return "error" if 400 <= status < 500 else "critical"


def _origin(entry: dict[str, Any], user: str) -> tuple[str, str]:
    """(from, source) as emqx_dashboard_audit tells them."""
    auth = entry.get("authorization")
    status = int(entry["status"])
    failure = entry.get("failure") or {}
    code = failure.get("code") if isinstance(failure, dict) else None
    accepted = not (status in (401, 403) and code not in (None, "UNAUTHORIZED_ROLE"))
    if entry["operation_id"] == "/login":
        body = entry["http_request"].get("body") or {}
        return "dashboard", str(body.get("username", "")) if isinstance(body, dict) else ""
    if auth is not None and accepted and code != "UNAUTHORIZED_ROLE":
        return ("rest_api", auth[1]) if auth[0] == "basic" else ("dashboard", user)
    if status in (401, 403):
        message = failure.get("message") if isinstance(failure, dict) else None
        keyish = code == "BAD_API_KEY_OR_SECRET" or (
            code == "UNAUTHORIZED_ROLE" and message == _KEY_REFUSED
        )
        return ("rest_api" if keyish else "dashboard"), ""
    return "unknown", ""


def record_request(state: State, entry: dict[str, Any], user: str = "") -> None:
    """Keep one request, when the audit log is on and its level reaches the log's."""
    with state.lock:
        conf = _audit_conf(state)
        if not conf.get("enable", False):
            return
        method, status = entry["method"], int(entry["status"])
        threshold = str(conf.get("level", "info"))
        if threshold in _LEVELS and _LEVELS.index(_level(method, status)) < _LEVELS.index(
            threshold
        ):
            return
        source_from, source = _origin(entry, user)
        created_us = time.time_ns() // 1000
        template = str(entry["operation_id"])
        failure = entry.get("failure")
        record = {
            "created_us": created_us,
            "created_at": datetime.fromtimestamp(created_us / 1e6)
            .astimezone()
            .isoformat(timespec="microseconds"),
            "node": state.node,
            "from": source_from,
            "source": source,
            "source_ip": entry["source_ip"],
            "operation_id": template,
            "operation_type": [*template.split("/"), "", ""][1] or "unknown",
            "operation_result": "failure"
            if (status >= 300 and status != 302) or failure
            else "success",
            "http_status_code": status,
            "http_method": method,
            "duration_ms": int(entry["duration_ms"]),
            "args": "",
            "failure": failure if failure is not None else "",
            "http_request": entry["http_request"],
        }
        state.audit.entries.append(record)
        keep = int(conf.get("max_filter_size", 5000))
        del state.audit.entries[: max(0, len(state.audit.entries) - keep)]


def _instant(value: str) -> int | None:
    """Epoch microseconds from RFC 3339 text or an integer of microseconds."""
    if value.lstrip("-").isdigit():
        return int(value)
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1e6)
    except ValueError:
        return None


class AuditApi:
    """AuditHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def list_audit_logs(
        self,
        *,
        from_: Literal["dashboard", "rest_api", "cli", "erlang_console"] | None = None,
        gte_created_at: str | None = None,
        gte_duration_ms: int | None = None,
        http_method: Literal["post", "put", "delete"] | None = None,
        http_status_code: int | None = None,
        limit: int = 100,
        lte_created_at: str | None = None,
        lte_duration_ms: int | None = None,
        node: str | None = None,
        operation_id: str | None = None,
        operation_result: Literal["success", "failure"] | None = None,
        operation_type: str | None = None,
        page: int = 1,
        source: str | None = None,
        source_ip: str | None = None,
    ) -> models.AuditLogPage:
        exact = {
            "from": from_,
            "node": node,
            "source": source,
            "source_ip": source_ip,
            "operation_id": operation_id,
            "operation_type": operation_type,
            "operation_result": operation_result,
            "http_status_code": http_status_code,
            "http_method": http_method,
        }
        bounds: list[tuple[str, str, int]] = []
        for key, op, given in (
            ("created_us", ">=", gte_created_at),
            ("created_us", "<=", lte_created_at),
        ):
            if given is not None:
                instant = _instant(given)
                if instant is None:
                    raise errors.bad_request(f"{op} created_at: not a time: {given!r}", status=400)
                bounds.append((key, op, instant))
        if gte_duration_ms is not None:
            bounds.append(("duration_ms", ">=", gte_duration_ms))
        if lte_duration_ms is not None:
            bounds.append(("duration_ms", "<=", lte_duration_ms))
        with self._state.lock:
            if not _audit_conf(self._state).get("enable", False):
                raise errors.bad_request("Audit is disabled", status=400)
            found = [
                e
                for e in self._state.audit.entries
                if all(v is None or e[k] == v for k, v in exact.items())
                and all(e[k] >= n if op == ">=" else e[k] <= n for k, op, n in bounds)
            ]
        chunk, meta = paginate(found, page, limit)
        data = [{k: v for k, v in e.items() if k != "created_us"} for e in chunk]
        return models.AuditLogPage.model_validate({"data": data, "meta": meta.model_dump()})
