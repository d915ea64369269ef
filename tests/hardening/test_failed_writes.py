"""A failed write leaves nothing behind: every write operation of the spec (POST, PUT,
DELETE) is sent requests it answers with an error (made from the spec: wrong types, numbers
out of range, 10 KB strings, strings with a lone surrogate, unknown keys in nested objects,
odd path parameters), and every GET answers exactly as before each of them.

The state is compared through its fingerprint first (the whole backend state, pickled):
when it did not move, no read can answer differently; when it did, every read is made
again and compared, volatile fields left out (state_probe.VOLATILE_KEYS). After a request
that succeeded (or moved the state), the seeded state is put back, so each request meets
the same state. `make test`
sends FAILED_WRITES_PER_OP requests per operation (default 6); `make fuzz` sends them all.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.hardening import state_probe as probe

PER_OP = int(os.environ.get("FAILED_WRITES_PER_OP", "6"))


def test_the_sweep_covers_every_write_operation_and_read() -> None:
    operations = probe.write_operations()
    assert len(operations) >= 170
    assert ("post", "/banned") in {(m, p) for m, p, _ in operations}
    reads = {path for path, _, _ in probe.read_paths()}
    assert len(reads) >= 60
    assert {"/banned", "/clients/probe-0/subscriptions", "/api_key/probe-key-1"} <= reads


def test_two_reads_of_an_unchanged_state_agree() -> None:
    """The volatile list is enough: with nothing sent in between, every read answers the
    same twice, and the fingerprint does not move."""
    backend, client, bearer = probe.seeded_client()
    reads = probe.read_paths()
    first, mark = probe.snapshot(client, reads, bearer), probe.fingerprint(backend)
    frozen = probe.freeze(backend)
    assert probe.snapshot(client, reads, bearer) == first
    assert probe.fingerprint(backend) == mark
    client.delete(probe.BASE + "/banned", headers=probe.AUTH)
    assert probe.snapshot(client, reads, bearer)["/banned"][1]["data"] == []
    probe.thaw(backend, frozen)
    assert probe.snapshot(client, reads, bearer) == first
    status, body = first["/banned"]
    assert status == 200 and [b["who"] for b in body["data"]] == ["banned-one"]


def test_the_known_case_answers_as_emqx_and_leaves_the_bans_readable() -> None:
    _, client, _ = probe.seeded_client()
    before = client.get(probe.BASE + "/banned", headers=probe.AUTH).json()
    for until in ("378414633112", 378414633112, "9999-12-31T23:59:59-12:00"):
        body = {"as": "clientid", "until": until, "who": "abc"}
        answer = client.post(probe.BASE + "/banned", json=body, headers=probe.AUTH)
        assert answer.status_code == 400
        assert answer.json()["code"] == "BAD_REQUEST"
        assert '"reason":"bad_epoch"' in answer.json()["message"]
        after = client.get(probe.BASE + "/banned", headers=probe.AUTH)
        assert (after.status_code, after.json()) == (200, before)
    last = {"as": "clientid", "until": "253402214400", "who": "abc"}
    made = client.post(probe.BASE + "/banned", json=last, headers=probe.AUTH)
    assert made.status_code == 200
    assert made.json()["until"].startswith("9999-12-3")
    assert client.get(probe.BASE + "/banned", headers=probe.AUTH).json()["meta"]["count"] == 2


def test_a_lone_surrogate_is_refused_before_it_is_stored() -> None:
    _, client, _ = probe.seeded_client()
    headers = {**probe.AUTH, "content-type": "application/json"}
    raw = b'{"as": "clientid", "who": "a\\ud800b"}'
    answer = client.post(probe.BASE + "/banned", content=raw, headers=headers)
    assert answer.status_code == 400
    assert answer.json()["code"] == "BAD_REQUEST"
    assert client.get(probe.BASE + "/banned", headers=probe.AUTH).json()["meta"]["count"] == 1
    paired = b'{"as": "clientid", "who": "a\\ud83d\\ude00b"}'
    assert client.post(probe.BASE + "/banned", content=paired, headers=headers).status_code == 200


def _sweep(operations: list[tuple[str, str, Any]], per_op: int) -> tuple[int, int, list[str]]:
    """Send each operation's error requests, each to the seeded state (put back after a
    request that succeeded or moved it); (sent, refused, the reads each error moved)."""
    backend, client, bearer = probe.seeded_client()
    reads = probe.read_paths()
    baseline, seeded = probe.snapshot(client, reads, bearer), probe.freeze(backend)
    mark = probe.fingerprint(backend)
    sent = refused = 0
    differences: list[str] = []
    for method, path, op in operations:
        for attempt in probe.attempts(method, path, op, per_op, seed=20):
            answer = probe.send(client, attempt, bearer)
            sent += 1
            if probe.fingerprint(backend) == mark:
                refused += answer.status_code >= 400
                continue
            if answer.status_code >= 400:
                refused += 1
                now = probe.snapshot(client, reads, bearer)
                moved = sorted(p for p in baseline if now[p] != baseline[p])
                if moved:
                    differences.append(f"{attempt.describe()} -> {answer.status_code}: {moved}")
            probe.thaw(backend, seeded)
            mark = probe.fingerprint(backend)  # a set rebuilt may pickle in another order
    return sent, refused, differences


def test_the_sweep_sees_a_write_that_stores_before_it_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the epoch check of POST /banned undone, the sweep finds the known case: the
    ban is stored, then its `until` cannot be shown, and GET /banned answers 500."""
    from emqx_server_stub.backend.common import clock

    monkeypatch.setattr(clock, "MAX_EPOCH_S", 10**15)
    banned = [op for op in probe.write_operations() if op[:2] == ("post", "/banned")]
    _, refused, differences = _sweep(banned, per_op=0)
    assert refused >= 20
    assert any("378414633112" in d and "/banned" in d for d in differences), differences


def test_every_failed_write_leaves_every_read_as_it_was() -> None:
    operations = probe.write_operations()
    sent, refused, differences = _sweep(operations, PER_OP)
    print(f"write operations: {len(operations)}, sent: {sent}, refused: {refused}")
    print("\n".join(differences))
    assert refused >= len(operations)
    assert differences == []
