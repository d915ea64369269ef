"""The client survives faults: through a fault-injecting proxy (fault_proxy.py) in front of
a live stub, an idempotent call succeeds within its retry budget, a POST is never sent
twice, timeouts fire at the configured time (plus a small margin) and every failure
surfaces as the documented exception type, with the EMQX code when the answer has one.

The rules under test (emqx_client/_base_client.py, the README's "Retries and timeouts"):
GET, PUT and DELETE are retried up to `max_retries` times on a connection error, a
timeout and on 429, 502, 503 and 504; Retry-After (seconds or an HTTP date, at most 60 s)
is honoured, else the wait is 0.5 s * 2**(n-1) with 0-25 % jitter taken off; POST is
never retried.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    Client,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
    models,
)

from tests.hardening import fault_proxy as fp
from tests.hardening.fault_proxy import FaultProxy
from tests.hardening.live_stub import API_KEY, SECRET, Stub, running_stub

MARGIN = 0.4  # seconds a timeout or a wait may overrun on a busy machine
BACKOFF_1 = (0.375, 0.5)  # the first backoff: 0.5 s less 0-25 % jitter
BACKOFF_2 = (0.75, 1.0)
TOTAL: Counter[str] = Counter()  # faults injected by the whole module


@pytest.fixture(scope="module")
def env() -> Iterator[tuple[Stub, FaultProxy]]:
    with running_stub() as stub:
        stub.backend.add_client("faulty/1", username="faulty")
        proxy = FaultProxy(stub.host, stub.port).start()
        try:
            yield stub, proxy
        finally:
            TOTAL.update(proxy.total)
            proxy.stop()
            print(f"\nfaults injected: {sum(TOTAL.values())} {dict(sorted(TOTAL.items()))}")


def _client(proxy: FaultProxy, **kwargs: Any) -> Client:
    kwargs.setdefault("max_retries", 2)
    kwargs.setdefault("timeout", 5.0)
    kwargs.setdefault("strict_response_validation", True)
    return Client(base_url=proxy.url, api_key=API_KEY, secret_key=SECRET, **kwargs)


def _http_date(offset: float) -> str:
    return email.utils.formatdate(time.time() + offset, usegmt=True)


def _publish_count(stub: Stub, payload: str) -> int:
    return sum(1 for m in stub.backend.published if m.payload == payload)


# (fault, the wait the client must make before its retry: (min, max) seconds)
RECOVERABLE = {
    "drop": (fp.DROP, BACKOFF_1),
    "reset": (fp.RESET, BACKOFF_1),
    "truncate": (fp.TRUNCATE, BACKOFF_1),
    "garbage": (fp.GARBAGE, BACKOFF_1),
    "429": (fp.status(429), BACKOFF_1),
    "502-html": (fp.status(502), BACKOFF_1),
    "503-emqx": (fp.status(503, emqx_code="SERVICE_UNAVAILABLE"), BACKOFF_1),
    "504-html": (fp.status(504), BACKOFF_1),
    "429-retry-after-0": (fp.status(429, "0"), (0.0, 0.0)),
    "503-retry-after-1": (fp.status(503, "1", emqx_code="SERVICE_UNAVAILABLE"), (1.0, 1.0)),
    "502-retry-after-past-date": (fp.status(502, _http_date(-3600)), (0.0, 0.0)),
    # above 60 s the client backs off instead of waiting that long
    "503-retry-after-120": (fp.status(503, "120"), BACKOFF_1),
}


@pytest.mark.parametrize("name", list(RECOVERABLE))
def test_idempotent_get_recovers_within_its_budget(env: Any, name: str) -> None:
    _stub, proxy = env
    fault, (low, high) = RECOVERABLE[name]
    proxy.plan(fault)
    with _client(proxy, max_retries=1) as emqx:
        started = time.monotonic()
        client = emqx.clients.get(clientid="faulty/1")
        elapsed = time.monotonic() - started
    assert client.clientid == "faulty/1"
    assert len(proxy.seen) == 2, proxy.seen  # the faulty attempt and one retry
    assert proxy.injected == Counter({fault.label: 1})
    assert low <= elapsed <= high + MARGIN, f"{name}: {elapsed:.3f}s, expected {low}-{high}"


def test_two_faults_in_a_row_use_the_whole_budget(env: Any) -> None:
    stub, proxy = env
    proxy.plan(fp.DROP, fp.status(503, "0", emqx_code="SERVICE_UNAVAILABLE"))
    with _client(proxy, max_retries=2) as emqx:
        started = time.monotonic()
        nodes = emqx.nodes.list()
        elapsed = time.monotonic() - started
    assert [n.node for n in nodes] == [stub.backend.node]
    assert len(proxy.seen) == 3
    assert BACKOFF_1[0] <= elapsed <= BACKOFF_1[1] + MARGIN


def test_a_slow_answer_inside_the_timeout_is_not_retried(env: Any) -> None:
    _stub, proxy = env
    proxy.plan(fp.delay(0.3))
    with _client(proxy, timeout=3.0) as emqx:
        assert emqx.clients.get(clientid="faulty/1").clientid == "faulty/1"
    assert len(proxy.seen) == 1


def test_put_and_delete_are_retried(env: Any) -> None:
    _stub, proxy = env
    with _client(proxy) as emqx:
        emqx.banned.create(body={"as": "clientid", "who": "retried/delete"})
        proxy.plan(fp.status(503, "0"), fp.RESET)
        assert emqx.banned.delete(as_=models.BannedAs.CLIENTID, who="retried/delete") is None
        assert proxy.seen.count(("DELETE", "/api/v5/banned/clientid/retried%2Fdelete")) == 3
        assert len(proxy.forwarded) == 1
        proxy.plan(fp.status(502, "0"))
        settings = emqx.slow_subscriptions.update_settings(body={"enable": True, "top_k_num": 7})
        assert settings.top_k_num == 7
        assert [m for m, _ in proxy.seen] == ["PUT", "PUT"]


def test_a_lost_delete_answer_is_retried_into_not_found(env: Any) -> None:
    """The first DELETE did its work, its answer was lost, the retry finds nothing: EMQX's
    DELETE is not idempotent in its answer, so the caller sees NotFoundError although the
    ban is gone. This is the documented retry rule at work, written down here."""
    _stub, proxy = env
    with _client(proxy) as emqx:
        emqx.banned.create(body={"as": "clientid", "who": "lost-answer"})
        proxy.plan(fp.DROP_AFTER_FORWARD)
        with pytest.raises(NotFoundError) as caught:
            emqx.banned.delete(as_=models.BannedAs.CLIENTID, who="lost-answer")
        assert caught.value.code == "NOT_FOUND"
        assert len(proxy.forwarded) == 2
        assert not any(b.who == "lost-answer" for b in emqx.banned.list())


# (fault repeated for every attempt, the exception, its EMQX code)
EXHAUSTED = {
    "503-emqx": (
        fp.status(503, "0", emqx_code="SERVICE_UNAVAILABLE"),
        ServiceUnavailableError,
        "SERVICE_UNAVAILABLE",
    ),
    "429-empty": (fp.status(429, "0"), RateLimitError, None),
    "502-html": (fp.status(502, "0"), InternalServerError, None),
    "504-html": (fp.status(504, "0"), InternalServerError, None),
    # a code of the error table gets its own class, a subclass of its status class
    "500-emqx": (
        fp.status(500, emqx_code="INTERNAL_ERROR"),
        emqx_client.InternalError,
        "INTERNAL_ERROR",
    ),
}


@pytest.mark.parametrize("name", list(EXHAUSTED))
def test_an_exhausted_budget_surfaces_the_documented_error(env: Any, name: str) -> None:
    _stub, proxy = env
    fault, kind, code = EXHAUSTED[name]
    proxy.plan(*[fault] * 5)
    with _client(proxy, max_retries=2) as emqx, pytest.raises(emqx_client.APIStatusError) as caught:
        emqx.nodes.list()
    err = caught.value
    assert type(err) is kind, repr(err)
    assert isinstance(err, InternalServerError if fault.status >= 500 else RateLimitError)
    assert err.status_code == fault.status
    assert err.code == code
    # 500 is not retried; the others are tried 1 + max_retries times
    assert len(proxy.seen) == (1 if fault.status == 500 else 3)


def test_dropped_connections_surface_as_connection_errors(env: Any) -> None:
    _stub, proxy = env
    proxy.plan(fp.DROP, fp.RESET)
    with _client(proxy, max_retries=1) as emqx, pytest.raises(APIConnectionError) as caught:
        emqx.nodes.list()
    assert not isinstance(caught.value, APITimeoutError)
    assert str(caught.value)
    assert len(proxy.seen) == 2


def test_a_refused_connection_is_a_connection_error(env: Any) -> None:
    from tests.functional.conftest import _free_port

    closed = f"http://127.0.0.1:{_free_port()}/api/v5"
    with Client(base_url=closed, max_retries=0) as emqx:
        started = time.monotonic()
        with pytest.raises(APIConnectionError) as caught:
            emqx.nodes.list()
    assert not isinstance(caught.value, APITimeoutError)
    assert time.monotonic() - started < MARGIN


# (fault, the exception, its EMQX code, whether the stub got the request)
POST_FAULTS = {
    "drop": (fp.DROP, APIConnectionError, None, False),
    "reset": (fp.RESET, APIConnectionError, None, False),
    "garbage": (fp.GARBAGE, APIConnectionError, None, False),
    "drop-after-forward": (fp.DROP_AFTER_FORWARD, APIConnectionError, None, True),
    "truncate": (fp.TRUNCATE, APIConnectionError, None, True),
    "429-retry-after-0": (fp.status(429, "0"), RateLimitError, None, False),
    "502": (fp.status(502), InternalServerError, None, False),
    "503-retry-after-0": (
        fp.status(503, "0", emqx_code="SERVICE_UNAVAILABLE"),
        ServiceUnavailableError,
        "SERVICE_UNAVAILABLE",
        False,
    ),
}


@pytest.mark.parametrize("name", list(POST_FAULTS))
def test_a_post_is_never_sent_twice(env: Any, name: str) -> None:
    stub, proxy = env
    fault, kind, code, reached = POST_FAULTS[name]
    payload = f"post once {name}"
    proxy.plan(*[fault] * 5)
    with _client(proxy, max_retries=5) as emqx, pytest.raises(kind) as caught:
        emqx.publish.message(body={"topic": "once/t", "payload": payload})
    assert type(caught.value) is kind
    assert getattr(caught.value, "code", None) == code
    assert proxy.seen == [("POST", "/api/v5/publish")]
    assert _publish_count(stub, payload) == int(reached)


def test_a_post_that_times_out_is_not_sent_again(env: Any) -> None:
    stub, proxy = env
    payload = "post once timeout"
    proxy.plan(fp.delay(0.8), fp.delay(0.8))
    with _client(proxy, max_retries=5, timeout=0.3) as emqx, pytest.raises(APITimeoutError):
        emqx.publish.message(body={"topic": "once/t", "payload": payload})
    deadline = time.monotonic() + 5
    while not proxy.forwarded and time.monotonic() < deadline:
        time.sleep(0.05)  # the proxy forwards the slow request after its delay
    assert proxy.seen == [("POST", "/api/v5/publish")]
    assert proxy.forwarded == [("POST", "/api/v5/publish")]
    assert _publish_count(stub, payload) == 1


@pytest.mark.parametrize("how", ["client", "call", "httpx"])
def test_a_timeout_fires_at_the_configured_time(env: Any, how: str) -> None:
    import httpx

    _stub, proxy = env
    proxy.plan(fp.delay(2.0))
    limit = 0.5
    client_timeout: Any = {"client": limit, "call": 30.0, "httpx": httpx.Timeout(limit)}[how]
    with _client(proxy, max_retries=0, timeout=client_timeout) as emqx:
        started = time.monotonic()
        with pytest.raises(APITimeoutError) as caught:
            if how == "call":
                emqx.nodes.list(timeout=limit)
            else:
                emqx.nodes.list()
        elapsed = time.monotonic() - started
    assert limit - 0.02 <= elapsed <= limit + MARGIN, f"{elapsed:.3f}s"
    assert isinstance(caught.value, APIConnectionError)  # documented: a kind of it
    assert len(proxy.seen) == 1


def test_a_timeout_is_retried_for_get_then_surfaces(env: Any) -> None:
    _stub, proxy = env
    proxy.plan(fp.delay(2.0), fp.delay(2.0))
    limit = 0.4
    with _client(proxy, max_retries=1, timeout=limit) as emqx:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            emqx.nodes.list()
        elapsed = time.monotonic() - started
    low, high = 2 * limit + BACKOFF_1[0], 2 * limit + BACKOFF_1[1]
    assert low - 0.02 <= elapsed <= high + MARGIN, f"{elapsed:.3f}s"
    assert len(proxy.seen) == 2


def test_async_client_follows_the_same_rules(env: Any) -> None:
    stub, proxy = env

    async def scenario() -> dict[str, Any]:
        found: dict[str, Any] = {}
        async with AsyncClient(
            base_url=proxy.url,
            api_key=API_KEY,
            secret_key=SECRET,
            max_retries=2,
            timeout=0.5,
            strict_response_validation=True,
        ) as emqx:
            proxy.plan(fp.RESET, fp.status(503, "0"))
            found["client"] = await emqx.clients.get(clientid="faulty/1")
            found["get_seen"] = len(proxy.seen)

            proxy.plan(fp.DROP)
            try:
                await emqx.publish.message(body={"topic": "once/t", "payload": "async once"})
            except APIConnectionError as err:
                found["post_error"] = err
            found["post_seen"] = list(proxy.seen)

            proxy.plan(*[fp.delay(2.0)] * 3)
            started = time.monotonic()
            try:
                await emqx.nodes.list(timeout=0.3)
            except APITimeoutError as err:
                found["timeout"] = (err, time.monotonic() - started)

            proxy.plan(*[fp.status(503, "0", emqx_code="SERVICE_UNAVAILABLE")] * 3)
            try:
                await emqx.nodes.list()
            except ServiceUnavailableError as err:
                found["exhausted"] = (err, len(proxy.seen))
        return found

    found = asyncio.run(scenario())
    assert found["client"].clientid == "faulty/1" and found["get_seen"] == 3
    assert isinstance(found["post_error"], APIConnectionError)
    assert found["post_seen"] == [("POST", "/api/v5/publish")]
    assert _publish_count(stub, "async once") == 0
    error, elapsed = found["timeout"]
    # the call's 0.3 s, retried twice with backoff
    assert 3 * 0.3 + BACKOFF_1[0] + BACKOFF_2[0] - 0.02 <= elapsed
    assert elapsed <= 3 * 0.3 + BACKOFF_1[1] + BACKOFF_2[1] + MARGIN
    error, seen = found["exhausted"]
    assert error.code == "SERVICE_UNAVAILABLE" and seen == 3


def test_a_garbled_retry_after_falls_back_to_backoff(env: Any) -> None:
    _stub, proxy = env
    proxy.plan(fp.status(503, "soon"))
    with _client(proxy, max_retries=1) as emqx:
        assert emqx.clients.get(clientid="faulty/1").clientid == "faulty/1"
    assert len(proxy.seen) == 2


def test_faults_were_injected(env: Any) -> None:
    _stub, proxy = env
    assert set(proxy.total) >= {
        "drop",
        "reset",
        "drop-after-forward",
        "truncate",
        "garbage",
        "delay",
        "429",
        "429+retry-after",
        "502",
        "502+retry-after",
        "503",
        "503+retry-after",
        "504",
        "504+retry-after",
    }
