"""A small fault-injecting HTTP/1.1 proxy on 127.0.0.1, for testing the client's retries
and timeouts against a live stub.

One request per connection: the proxy reads the request, takes the next fault of its
plan (or passes the request on when the plan is empty), and closes the connection after
the answer; forwarded requests go upstream with `Connection: close`, so the answer tells
the client not to reuse the connection either. It counts every request it received
(`seen`), every request that reached the upstream (`forwarded`) and every fault it
injected (`injected`, and `total` across resets).

Faults: `drop` (close without an answer), `reset` (close with a TCP RST),
`drop-after-forward` (the upstream handles the request, the answer is lost),
`truncate` (half the upstream's answer, then close), `garbage` (an answer that is not
HTTP), `delay` (wait, then forward) and a status answer (429, 502, 503, ... with or
without Retry-After, with an EMQX error body, an HTML page or nothing).
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import threading
from collections import Counter, deque
from dataclasses import dataclass
from http import HTTPStatus


@dataclass(frozen=True)
class Fault:
    kind: str  # pass, drop, reset, drop-after-forward, truncate, garbage, delay, status
    status: int = 0
    retry_after: str | None = None
    body: bytes = b""
    content_type: str | None = None
    delay: float = 0.0

    @property
    def label(self) -> str:
        if self.kind == "status":
            return f"{self.status}" + ("" if self.retry_after is None else "+retry-after")
        return self.kind


PASS = Fault("pass")
DROP = Fault("drop")
RESET = Fault("reset")
DROP_AFTER_FORWARD = Fault("drop-after-forward")
TRUNCATE = Fault("truncate")
GARBAGE = Fault("garbage")


def delay(seconds: float) -> Fault:
    return Fault("delay", delay=seconds)


def status(code: int, retry_after: str | None = None, *, emqx_code: str | None = None) -> Fault:
    """A status answer; with `emqx_code` an EMQX error body, else an HTML page for 502 and
    504 (what a gateway sends) and no body for the others."""
    if emqx_code is not None:
        message = HTTPStatus(code).phrase
        body = json.dumps({"code": emqx_code, "message": message}).encode()
        return Fault("status", code, retry_after, body, "application/json")
    if code in (502, 504):
        page = f"<html><body><h1>{code} {HTTPStatus(code).phrase}</h1></body></html>"
        return Fault("status", code, retry_after, page.encode(), "text/html")
    return Fault("status", code, retry_after)


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.seen: list[tuple[str, str]] = []
        self.forwarded: list[tuple[str, str]] = []
        self.injected: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self._plan: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        # asyncio holds connection tasks weakly: once the client hangs up (a timeout), a
        # delayed request's task could be collected mid-delay and never forwarded
        self._tasks: set[asyncio.Task[None]] = set()

    # -- control, from the test's thread ------------------------------------------------

    def start(self) -> FaultProxy:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._connected, "127.0.0.1", 0), self._loop
        )
        self._server = started.result(5)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            current = asyncio.current_task()
            for task in asyncio.all_tasks():
                if task is not current:
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def plan(self, *faults: Fault) -> None:
        """Start afresh: forget what was seen, and answer the next requests with these."""
        with self._lock:
            self._plan = deque(faults)
            self.seen.clear()
            self.forwarded.clear()
            self.injected.clear()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v5"

    # -- the proxy, on its own loop -----------------------------------------------------

    def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = self._loop.create_task(self._handle(reader, writer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            if not writer.is_closing():
                writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = [tuple(line.split(":", 1)) for line in lines[1:] if ":" in line]
        length = next((int(v) for k, v in headers if k.strip().lower() == "content-length"), 0)
        body = await reader.readexactly(length)
        with self._lock:
            fault = self._plan.popleft() if self._plan else PASS
            self.seen.append((method, target))
            if fault.kind != "pass":
                self.injected[fault.label] += 1
                self.total[fault.label] += 1

        if fault.kind == "drop":
            return
        if fault.kind == "reset":
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return
        if fault.kind == "garbage":
            writer.write(b"THIS IS NOT HTTP\r\n\r\n")
            await writer.drain()
            return
        if fault.kind == "status":
            writer.write(_status_answer(fault))
            await writer.drain()
            return
        if fault.kind == "delay":
            await asyncio.sleep(fault.delay)
        kept = [(k, v) for k, v in headers if k.strip().lower() not in ("connection", "keep-alive")]
        answer = await self._forward(method, target, [*kept, ("Connection", " close")], body)
        if fault.kind == "drop-after-forward":
            return
        if fault.kind == "truncate":
            answer = answer[: len(answer) // 2]
        writer.write(answer)
        await writer.drain()

    async def _forward(
        self, method: str, target: str, headers: list[tuple[str, ...]], body: bytes
    ) -> bytes:
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        try:
            head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}:{v}\r\n" for k, v in headers)
            up_writer.write(head.encode("latin-1") + b"\r\n" + body)
            await up_writer.drain()
            answer = await up_reader.read()  # the upstream closes after one answer
        finally:
            up_writer.close()
        with self._lock:
            self.forwarded.append((method, target))
        return answer


def _status_answer(fault: Fault) -> bytes:
    lines = [
        f"HTTP/1.1 {fault.status} {HTTPStatus(fault.status).phrase}",
        f"Content-Length: {len(fault.body)}",
        "Connection: close",
    ]
    if fault.content_type:
        lines.append(f"Content-Type: {fault.content_type}")
    if fault.retry_after is not None:
        lines.append(f"Retry-After: {fault.retry_after}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + fault.body
