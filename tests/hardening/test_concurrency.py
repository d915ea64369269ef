"""Nothing is lost under load: 50 concurrent writers (the generated AsyncClient, one task
each) against a stub of their own create and delete bans, API keys, client subscriptions
and published messages while readers list and fetch the same things. Every answer is
checked against the spec; at the end the state is exactly what the successful answers
promised, no more and no less.

Contention is part of it: every writer tries to create the same few bans and API keys,
and afterwards every writer tries to delete them: each is created once and deleted once,
the others get EMQX's refusal. `CONCURRENCY_WRITERS` and `CONCURRENCY_ROUNDS` make it
bigger (`make fuzz`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx
from emqx_client import APIStatusError, AsyncClient, NotFoundError, models

from tests.functional.openapi_check import SpecChecker
from tests.hardening.live_stub import API_KEY, SECRET, running_stub

WRITERS = int(os.environ.get("CONCURRENCY_WRITERS", "50"))
ROUNDS = int(os.environ.get("CONCURRENCY_ROUNDS", "2"))
READERS = 4
SHARED = 5  # contested bans and API keys


@dataclass
class Promised:
    """What the successful answers promised, and what was counted on the way."""

    bans: dict[str, str] = field(default_factory=dict)  # who -> reason
    keys: dict[str, tuple[bool, str]] = field(default_factory=dict)  # name -> (enable, desc)
    subs: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    published: dict[str, str | None] = field(default_factory=dict)  # payload -> id (None: 202)
    ban_winners: Counter[str] = field(default_factory=Counter)
    key_winners: Counter[str] = field(default_factory=Counter)
    ban_deleters: Counter[str] = field(default_factory=Counter)
    key_deleters: Counter[str] = field(default_factory=Counter)
    writes: int = 0
    reads: int = 0
    exchanges: int = 0  # HTTP requests answered
    validated: int = 0  # of which validated against the spec
    refused: int = 0  # answers that were the expected refusal of a contested write
    problems: list[str] = field(default_factory=list)


def _client_id(i: int) -> str:
    return f"conc/{i}"


async def _writer(i: int, basic: AsyncClient, bearer: AsyncClient, p: Promised) -> None:
    cid = _client_id(i)
    for r in range(ROUNDS):
        who = f"w{i}-r{r}"
        ban = await basic.banned.create(body={"as": "clientid", "who": who, "reason": f"by {i}"})
        p.writes += 1
        if ban.who != who or ban.reason != f"by {i}":
            p.problems.append(f"create_banned answered {ban!r} for {who}")
        p.bans[who] = f"by {i}"
        if r % 2:
            await basic.banned.delete(as_=models.BannedAs.CLIENTID, who=who)
            p.writes += 1
            del p.bans[who]

        shared = f"shared-{(i + r) % SHARED}"
        try:
            await basic.banned.create(body={"as": "clientid", "who": shared, "reason": f"by {i}"})
            p.ban_winners[shared] += 1
            p.bans[shared] = f"by {i}"
        except APIStatusError as err:
            if (err.status_code, err.code) != (400, "ALREADY_EXISTS"):
                raise
            p.refused += 1
        p.writes += 1

        topic = f"t/{i}/{r}"
        qos = r % 3
        sub = await basic.clients.subscribe(clientid=cid, body={"topic": topic, "qos": qos})
        p.writes += 1
        if (sub.clientid, sub.topic, sub.qos) != (cid, topic, qos):
            p.problems.append(f"subscribe answered {sub!r} for {cid} {topic}")
        p.subs[cid][topic] = qos
        if r == 1:
            await basic.clients.unsubscribe(clientid=cid, body={"topic": topic})
            p.writes += 1
            del p.subs[cid][topic]

        # to the writer's own live subscription (200 with an id) or to nobody (202)
        target = f"t/{i}/0" if r % 2 == 0 else f"nobody/{i}"
        payload = f"message {i}/{r}"
        result = await basic.publish.message(body={"topic": target, "payload": payload})
        p.writes += 1
        p.published[payload] = result.id if isinstance(result, models.PublishResult) else None

    name = f"key{i}"
    made = await bearer.api_keys.create(body={"name": name, "desc": f"desc {i}", "enable": True})
    p.writes += 1
    if made.name != name or not made.api_secret:
        p.problems.append(f"create_api_key answered {made.name!r}")
    p.keys[name] = (True, f"desc {i}")
    updated = await bearer.api_keys.update(name=name, body={"enable": False, "desc": f"off {i}"})
    p.writes += 1
    if (updated.enable, updated.desc) != (False, f"off {i}"):
        p.problems.append(f"update_api_key answered {updated!r}")
    p.keys[name] = (False, f"off {i}")
    if i % 3 == 0:
        await bearer.api_keys.delete(name=name)
        p.writes += 1
        del p.keys[name]

    shared_key = f"sharedkey{i % SHARED}"
    try:
        await bearer.api_keys.create(body={"name": shared_key, "desc": f"desc {i}", "enable": True})
        p.key_winners[shared_key] += 1
        p.keys[shared_key] = (True, f"desc {i}")
    except APIStatusError as err:
        if err.status_code != 400:
            raise
        p.refused += 1
    p.writes += 1


async def _delete_contested(i: int, basic: AsyncClient, bearer: AsyncClient, p: Promised) -> None:
    """Ten writers race to delete each contested ban and API key."""
    who = f"shared-{i % SHARED}"
    try:
        await basic.banned.delete(as_=models.BannedAs.CLIENTID, who=who)
        p.ban_deleters[who] += 1
        p.bans.pop(who, None)
    except NotFoundError:
        p.refused += 1
    p.writes += 1
    name = f"sharedkey{i % SHARED}"
    try:
        await bearer.api_keys.delete(name=name)
        p.key_deleters[name] += 1
        p.keys.pop(name, None)
    except NotFoundError:
        p.refused += 1
    p.writes += 1


async def _reader(
    n: int, basic: AsyncClient, bearer: AsyncClient, p: Promised, stop: asyncio.Event
) -> None:
    """Reads while the writers write. The client parses every answer into its models and
    the checker validates it against the spec; the checks here catch objects mixed up
    between writers or updates seen half applied."""
    rng = random.Random(1000 + n)
    while not stop.is_set():
        i = rng.randrange(WRITERS)
        kind = rng.randrange(5)
        if kind == 0:
            for ban in (await basic.banned.list(limit=100, page=rng.randrange(1, 4))).items:
                if ban.who.startswith("w") and ban.reason != f"by {ban.who[1:].split('-')[0]}":
                    p.problems.append(f"ban read mixed up: {ban!r}")
        elif kind == 1:
            for key in await bearer.api_keys.list():
                off = (key.desc or "").startswith("off ")
                if off == key.enable:
                    p.problems.append(f"API key read half updated: {key!r}")
        elif kind == 2:
            for sub in await basic.clients.list_subscriptions(clientid=_client_id(i)):
                if sub.clientid != _client_id(i) or not sub.topic.startswith(f"t/{i}/"):
                    p.problems.append(f"subscription of another client: {sub!r}")
        elif kind == 3:
            for sub in (await basic.subscriptions.list(limit=100)).items:
                if not sub.topic.startswith(f"t/{(sub.clientid or '').split('/')[-1]}/"):
                    p.problems.append(f"subscription mixed up: {sub!r}")
        else:
            try:
                key = await bearer.api_keys.get(name=f"key{i}")
                if (key.desc or "").startswith("off ") == key.enable:
                    p.problems.append(f"API key read half updated: {key!r}")
            except NotFoundError:
                pass  # not made yet, or deleted
        p.reads += 1
        await asyncio.sleep(0.005)


async def _run(base_url: str, checker: SpecChecker, p: Promised) -> dict[str, Any]:
    """Writers parse every answer into the client's models; readers (and the final
    reads) also have each answer validated against the spec by the checker."""
    limits = httpx.Limits(max_connections=WRITERS + READERS + 10)
    async with contextlib.AsyncExitStack() as stack:

        async def count(response: httpx.Response) -> None:
            p.exchanges += 1

        async def check(response: httpx.Response) -> None:
            p.validated += 1
            await checker.acheck(response)

        async def client(checked: bool, **auth: Any) -> AsyncClient:
            hooks = {"response": [count, check] if checked else [count]}
            http = httpx.AsyncClient(limits=limits, event_hooks=hooks)
            made = AsyncClient(
                base_url=base_url,
                http_client=http,
                max_retries=0,
                strict_response_validation=True,
                **auth,
            )
            return await stack.enter_async_context(made)

        basic = await client(False, api_key=API_KEY, secret_key=SECRET)
        login = await basic.dashboard.login(body={"username": "admin", "password": "public"})
        bearer = await client(False, token=login.token)
        read_basic = await client(True, api_key=API_KEY, secret_key=SECRET)
        read_bearer = await client(True, token=login.token)

        stop = asyncio.Event()
        readers = [
            asyncio.create_task(_reader(n, read_basic, read_bearer, p, stop))
            for n in range(READERS)
        ]
        try:
            await asyncio.gather(*(_writer(i, basic, bearer, p) for i in range(WRITERS)))
            await asyncio.gather(*(_delete_contested(i, basic, bearer, p) for i in range(WRITERS)))
        finally:
            stop.set()
            await asyncio.gather(*readers)

        # the state as the API shows it now, nothing running
        pages = await read_basic.banned.list(limit=10000)
        bans = {b.who: b.reason async for b in pages}
        keys = {k.name: (k.enable, k.desc) for k in await read_bearer.api_keys.list()}
        subs = {}
        for i in range(WRITERS):
            found = await read_basic.clients.list_subscriptions(clientid=_client_id(i))
            subs[_client_id(i)] = {s.topic: int(s.qos) for s in found}
        listed = [s async for s in await read_basic.subscriptions.list(limit=1000)]
    return {"bans": bans, "keys": keys, "subs": subs, "listed": listed}


def test_fifty_writers_end_in_the_promised_state(bundled: dict[str, Any]) -> None:
    checker = SpecChecker(bundled)
    p = Promised()
    with running_stub() as stub:
        for i in range(WRITERS):
            stub.backend.add_client(_client_id(i), username=f"user{i}")
        seen = asyncio.run(_run(stub.base_url, checker, p))
        published = stub.backend.published

    assert p.problems == []
    assert checker.failures == []
    # contested writes: each made once and deleted once, whoever won
    assert p.ban_winners == Counter({f"shared-{n}": 1 for n in range(SHARED)})
    assert p.key_winners == Counter({f"sharedkey{n}": 1 for n in range(SHARED)})
    assert p.ban_deleters == p.ban_winners
    assert p.key_deleters == p.key_winners
    # the end state is exactly the promised one
    assert seen["bans"] == p.bans
    assert seen["keys"] == p.keys
    assert seen["subs"] == {cid: p.subs.get(cid, {}) for cid in seen["subs"]}
    assert sorted((s.clientid, s.topic) for s in seen["listed"]) == sorted(
        (cid, topic) for cid, topics in p.subs.items() for topic in topics
    )
    assert len(published) == len(p.published)
    by_payload = {m.payload: m for m in published}
    assert set(by_payload) == set(p.published)
    for payload, msg_id in p.published.items():
        if msg_id is not None:
            assert by_payload[payload].id == msg_id
            assert by_payload[payload].delivered == 1
        else:
            assert by_payload[payload].delivered == 0
    print(
        f"\nconcurrency: {WRITERS} writers, {p.writes} writes and {p.reads} reads, "
        f"{p.exchanges} requests ({p.validated} validated against the spec), "
        f"{p.refused} contested writes refused, {len(published)} messages"
    )
