"""Trace: creating traces, reading their files in chunks, downloading them as a zip,
stopping and deleting them, and the refusals on the way."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import timedelta
from typing import Any

import emqx_client
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub

LINES = "".join(
    f"2025-01-20T10:00:0{n}.000+00:00 [MQTT] dev-001@127.0.0.1:52390 msg: packet {n}\n"
    for n in range(5)
)


def _fails(error: type[Exception], call: Any, **kwargs: Any) -> Any:
    with pytest.raises(error) as info:
        call(**kwargs)
    return info.value


def test_trace_lifecycle_with_its_file(client: Any, stub: LiveStub) -> None:
    trace, node = client.trace, stub.backend.node
    trace.clear()
    made = trace.create(body={"name": "dev-001_trace", "type": "clientid", "clientid": "dev-001"})
    assert (made.name, made.type.value, made.clientid) == ("dev-001_trace", "clientid", "dev-001")
    assert made.status.value == "running" and made.log_size == {node: 0}
    assert made.payload_encode.value == "text" and made.formatter.value == "text"
    assert made.end_at == made.start_at  # as the broker answers a creation
    [listed] = trace.list()
    assert listed.end_at - listed.start_at == timedelta(minutes=10)

    stub.backend.append_trace_log("dev-001_trace", LINES)
    assert trace.list()[0].log_size == {node: len(LINES)}
    [detail] = trace.list_log_files(name="dev-001_trace")
    assert (detail.node, detail.size) == (node, len(LINES))
    assert abs(detail.mtime - time.time()) < 60

    text, position = "", 0
    while True:
        chunk = trace.get_log(name="dev-001_trace", bytes=100, position=position)
        assert chunk.meta.bytes == 100
        if not chunk.items:
            break
        assert len(chunk.items) <= 100
        text, position = text + chunk.items, chunk.meta.position
    assert text == LINES and chunk.meta.position == len(LINES)
    tail = trace.get_log(name="dev-001_trace", position=10, node=node)
    assert tail.items == LINES[10:] and tail.meta.position == len(LINES)
    assert tail.meta.bytes == 1000

    archive = zipfile.ZipFile(io.BytesIO(trace.download(name="dev-001_trace")))
    [entry] = archive.namelist()
    assert entry.startswith(f"{node}-trace_dev-001_trace_") and entry.endswith(".log")
    assert archive.read(entry).decode() == LINES
    assert trace.download(name="dev-001_trace", node=node) != b""

    stopped = trace.stop(name="dev-001_trace")
    assert (stopped.name, stopped.enable) == ("dev-001_trace", False)
    assert trace.stop(name="dev-001_trace").enable is False
    assert trace.list()[0].status.value == "stopped"
    # A stopped trace keeps its file.
    assert trace.get_log(name="dev-001_trace").items == LINES

    trace.delete(name="dev-001_trace")
    assert trace.list() == []


def test_waiting_and_empty_traces(client: Any, stub: LiveStub) -> None:
    trace = client.trace
    later = int(time.time()) + 3600
    made = trace.create(
        body={
            "name": "later",
            "type": "topic",
            "topic": "sensors/#",
            "start_at": later,
            "end_at": later + 60,
            "payload_encode": "hex",
            "formatter": "json",
        }
    )
    assert made.status.value == "waiting" and made.topic == "sensors/#"
    assert (made.payload_encode.value, made.formatter.value) == ("hex", "json")
    assert trace.list_log_files(name="later") == []
    chunk = trace.get_log(name="later", position=7)
    assert (chunk.items, chunk.meta.position) == ("", 7)
    empty = _fails(emqx_client.NotFoundError, trace.download, name="later")
    assert empty.message == "Trace is empty"

    trace.create(body={"name": "by-ip", "type": "ip_address", "ip_address": "10.0.0.7"})
    running = _fails(emqx_client.NotFoundError, trace.download, name="by-ip")
    assert running.message == "Trace is empty"
    [detail] = trace.list_log_files(name="by-ip")
    assert detail.size == 0
    names = [t.name for t in trace.list()]
    assert names == ["later", "by-ip"]  # newest start first
    trace.clear()
    assert trace.list() == []


def test_trace_refusals(client: Any, stub: LiveStub) -> None:
    trace = client.trace
    trace.clear()
    base = {"name": "t1", "type": "clientid", "clientid": "c1"}
    trace.create(body=base)
    exists = _fails(emqx_client.ConflictError, trace.create, body=base)
    assert (exists.code, exists.message) == (models.ErrorCode.ALREADY_EXISTS, "t1 Already Exists")

    start = int(time.time()) - 5
    trace.create(body={**base, "name": "t2", "start_at": start})
    twin = _fails(
        emqx_client.ConflictError,
        trace.create,
        body={**base, "name": "t3", "start_at": start},
    )
    assert (twin.code, twin.message) == (
        models.ErrorCode.DUPLICATE_CONDITION,
        "t2 Duplication Condition",
    )

    past = int(time.time()) - 60
    for body, message in (
        ({"name": "t4", "type": "topic"}, "required topic field"),
        (
            {"name": "t4", "type": "topic", "topic": "a/#/b"},
            "topic: a/#/b invalid by topic_invalid_#",
        ),
        ({"name": "t4", "type": "ip_address", "ip_address": "10.0.0"}, "ip address: einval"),
        ({**base, "name": "t4", "end_at": past}, "end_at time has already passed"),
        (
            {**base, "name": "t4", "start_at": past + 7200, "end_at": past + 3600},
            "failed by start_at >= end_at",
        ),
    ):
        error = _fails(emqx_client.BadRequestError, trace.create, body=body)
        assert (error.code, error.message) == (models.ErrorCode.INVALID_PARAMS, message)

    assert _fails(emqx_client.BadRequestError, trace.delete, name="no.dots").code == (
        models.ErrorCode.BAD_REQUEST
    )

    for call in (
        trace.delete,
        trace.stop,
        trace.list_log_files,
        trace.get_log,
        trace.download,
    ):
        missing = _fails(emqx_client.NotFoundError, call, name="ghost")
        assert (missing.code, missing.message) == (models.ErrorCode.NOT_FOUND, "ghost NOT FOUND")
    for call in (trace.get_log, trace.download):
        node = _fails(emqx_client.NotFoundError, call, name="t1", node="other@host")
        assert node.message == "Node NOT FOUND"
    _fails(emqx_client.BadRequestError, trace.get_log, name="t1", bytes=-1)

    for n in range(28):
        trace.create(body={"name": f"bulk{n}", "type": "ruleid", "ruleid": f"rule{n}"})
    assert len(trace.list()) == 30
    full = _fails(
        emqx_client.BadRequestError,
        trace.create,
        body={"name": "one_more", "type": "ruleid", "ruleid": "r"},
    )
    assert full.code == models.ErrorCode.INVALID_PARAMS
    assert full.message.startswith("The number of traces created has reached the maximum")
    trace.clear()
