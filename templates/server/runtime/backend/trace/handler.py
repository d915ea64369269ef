"""Trace: log traces by client id, topic, peer address or rule, with one file per running
node while the trace runs.

The stub writes nothing into trace files by itself: a running trace gets an empty file
on every running node, and `InMemoryBackend.append_trace_log` adds text to it.
"""

from __future__ import annotations

import io
import ipaddress
import zipfile
from typing import Any

from ... import errors, models
from ..._responses import Download
from ..cluster.members import running_nodes
from ..common import topic as _topic
from ..common.clock import dt_s, epoch_s, now_s
from ..state import State
from .state import TraceFile, TraceRecord

MAX_TRACES = 30
DEFAULT_DURATION_S = 10 * 60


def _tick(state: State) -> None:
    """What the broker's trace timer does: start due traces (their files appear on the
    running nodes) and disable finished ones."""
    now = now_s()
    nodes = running_nodes(state)
    for rec in state.trace.traces.values():
        if not rec.enable:
            continue
        if rec.end_at <= now:
            rec.enable = False
        elif rec.start_at <= now:
            for node in nodes:
                rec.files.setdefault(node, TraceFile(mtime=now))


def append_trace_log(state: State, name: str, text: str, node: str | None = None) -> None:
    """Append text to a running trace's file (KeyError: no such trace or file)."""
    with state.lock:
        _tick(state)
        rec = state.trace.traces[name]
        if not rec.enable:
            raise KeyError(f"trace {name} is not running")
        file = rec.files[node or state.node]
        file.content += text.encode("utf-8")
        file.mtime = now_s()


def _status(rec: TraceRecord, now: int) -> str:
    if not rec.enable:
        return "stopped"
    if now < rec.start_at:
        return "waiting"
    if now >= rec.end_at:
        return "stopped"
    return "running"


def _format(rec: TraceRecord, log_size: dict[str, int], end_at: int) -> models.Trace:
    data: dict[str, Any] = {
        "name": rec.name,
        "type": rec.type,
        rec.type: rec.filter,
        "payload_encode": rec.payload_encode,
        "formatter": rec.formatter,
        "start_at": dt_s(rec.start_at),
        "end_at": dt_s(end_at),
        "status": _status(rec, now_s()),
        "log_size": log_size,
    }
    return models.Trace.model_validate(data)


def _epoch(name: str, value: int | Any | None) -> int | None:
    return None if value is None else epoch_s(name, value)


def _filter_of(body: models.TraceCreateRequest) -> str:
    """The filter for the trace's type, validated as the trace module does."""
    kind = str(body.type.value)
    value: str | None = getattr(body, kind)
    if value is None:
        raise errors.invalid_params(f"required {kind} field", status=400)
    if kind == "topic":
        try:
            _topic.validate_filter(value)
        except _topic.InvalidTopic as exc:
            raise errors.invalid_params(f"topic: {value} invalid by {exc}", status=400) from None
    elif kind == "ip_address":
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise errors.invalid_params("ip address: einval", status=400) from None
    return value


class TraceApi:
    """TraceHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _trace(self, name: str) -> TraceRecord:
        rec = self._state.trace.traces.get(name)
        if rec is None:
            raise errors.not_found(f"{name} NOT FOUND", status=404)
        return rec

    def _node(self, node: str | None, default: str | None) -> str | None:
        if node is None:
            return default
        if node not in running_nodes(self._state):
            raise errors.not_found("Node NOT FOUND", status=404)
        return node

    async def list_traces(self) -> list[models.Trace]:
        with self._state.lock:
            _tick(self._state)
            nodes = running_nodes(self._state)
            records = sorted(
                self._state.trace.traces.values(), key=lambda r: r.start_at, reverse=True
            )
            result = []
            for rec in records:
                sizes = {n: len(rec.files[n].content) if n in rec.files else 0 for n in nodes}
                result.append(_format(rec, sizes, rec.end_at))
            return result

    async def create_trace(self, *, body: models.TraceCreateRequest) -> models.Trace:
        with self._state.lock:
            _tick(self._state)
            traces = self._state.trace.traces
            if len(traces) >= MAX_TRACES:
                message = (
                    "The number of traces created has reached the maximum"
                    " please delete the useless ones first"
                )
                raise errors.invalid_params(message, status=400)
            filter_ = _filter_of(body)
            now = now_s()
            start = _epoch("start_at", body.start_at)
            end = _epoch("end_at", body.end_at)
            if end is not None:
                end = max(now, end)
                if end <= now:
                    raise errors.invalid_params("end_at time has already passed", status=400)
            start = now if start is None else start
            end = start + DEFAULT_DURATION_S if end is None else end
            if end <= start:
                raise errors.invalid_params("failed by start_at >= end_at", status=400)
            if body.name in traces:
                raise errors.already_exists(f"{body.name} Already Exists", status=409)
            kind = str(body.type.value)
            for other in traces.values():
                if (other.start_at, other.type, other.filter) == (start, kind, filter_):
                    message = f"{other.name} Duplication Condition"
                    raise errors.duplicate_condition(message, status=409)
            rec = TraceRecord(
                name=body.name,
                type=kind,
                filter=filter_,
                payload_encode=str(body.payload_encode.value),
                formatter=str(body.formatter.value),
                start_at=start,
                end_at=end,
            )
            traces[rec.name] = rec
            _tick(self._state)
            sizes = dict.fromkeys(running_nodes(self._state), 0)
            # The broker's handler answers the start time as the end time.
            return _format(rec, sizes, rec.start_at)

    async def clear_traces(self) -> None:
        with self._state.lock:
            self._state.trace.traces.clear()

    async def delete_trace(self, *, name: str) -> None:
        with self._state.lock:
            self._trace(name)
            del self._state.trace.traces[name]

    async def stop_trace(self, *, name: str) -> models.TraceStopResult:
        with self._state.lock:
            _tick(self._state)
            self._trace(name).enable = False
        return models.TraceStopResult(name=name, enable=False)

    async def list_trace_log_files(self, *, name: str) -> list[models.TraceLogFileDetail]:
        with self._state.lock:
            _tick(self._state)
            rec = self._trace(name)
            details = [
                models.TraceLogFileDetail(node=node, size=len(file.content), mtime=file.mtime)
                for node, file in rec.files.items()
                if node in running_nodes(self._state)
            ]
        details.reverse()
        return details

    async def get_trace_log(
        self, *, name: str, bytes: int = 1000, node: str | None = None, position: int = 0
    ) -> models.TraceLogChunk:
        size_limit = bytes
        with self._state.lock:
            _tick(self._state)
            where = self._node(node, self._state.node)
            rec = self._trace(name)
            file = rec.files.get(where or self._state.node)
            content = b"" if file is None else bytes_of(file)
        if file is None:
            chunk, next_position = b"", position
        else:
            start = max(position, 0)  # the broker cannot seek to a negative offset
            if start >= len(content) and size_limit > 0:
                chunk, next_position = b"", len(content)
            else:
                chunk = content[start : start + size_limit]
                next_position = position + len(chunk)
        return models.TraceLogChunk.model_validate(
            {
                "items": chunk.decode("utf-8", errors="replace"),
                "meta": {"position": next_position, "bytes": size_limit},
            }
        )

    async def download_trace(self, *, name: str, node: str | None = None) -> Download:
        with self._state.lock:
            _tick(self._state)
            rec = self._trace(name)
            where = self._node(node, None)
            nodes = [where] if where is not None else running_nodes(self._state)
            files = [
                (n, bytes_of(rec.files[n]))
                for n in nodes
                if n in rec.files and rec.files[n].content
            ]
            filename = rec.filename
        if not files:
            raise errors.not_found("Trace is empty", status=404)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, content in files:
                archive.writestr(f"{n}-{filename}", content)
        return Download(buffer.getvalue(), filename=f"{name}.zip", media_type="application/x-zip")


def bytes_of(file: TraceFile) -> bytes:
    return bytes(file.content)
