"""Request bodies: checked before sending (RequestValidationError), typed as models or the
TypedDicts of `params`, and per-call extra_body / extra_query / extra_headers / timeout."""

from __future__ import annotations

import json

import emqx_client
import httpx
import pytest
from emqx_client import RequestValidationError, models, params

from tests.client._mock import json_answer, make

BAN = {"as": "clientid", "who": "c1", "by": "t", "reason": "", "at": "2026-01-01T00:00:00Z"}


def test_an_unknown_key_names_the_key_and_the_allowed_ones_and_nothing_is_sent() -> None:
    client, calls = make(json_answer(BAN))
    with pytest.raises(RequestValidationError) as info:
        client.banned.create(body={"as": "clientid", "who": "x", "reasn": "typo"})  # type: ignore[typeddict-unknown-key]
    assert calls == []
    text = str(info.value)
    assert "POST /banned" in text and "reasn" in text
    assert "allowed: as, at, by, reason, until, who" in text
    assert isinstance(info.value, emqx_client.EmqxError)
    assert info.value.errors == [
        "reasn: not a field of the spec (allowed: as, at, by, reason, until, who)"
    ]


def test_a_nested_unknown_key_is_named_by_its_path() -> None:
    client, calls = make(json_answer({}))
    with pytest.raises(RequestValidationError, match=r"resource_opts\.no_such_option"):
        client.connectors.create(
            body={
                "type": "http",
                "name": "c1",
                "url": "http://127.0.0.1/",
                "resource_opts": {"no_such_option": 1},  # type: ignore[typeddict-unknown-key]
            }
        )
    assert calls == []


def test_a_wrong_value_in_a_union_body_gives_a_short_message() -> None:
    client, calls = make(json_answer({}))
    with pytest.raises(RequestValidationError) as info:
        client.listeners.create(
            body={"type": "tcp", "name": "x", "bind": [1], "max_connections": "lots"}  # type: ignore[typeddict-item]
        )
    text = str(info.value)
    assert calls == [] and len(text) < 400, text
    assert "tagged-union" not in text and "constrained" not in text
    assert "tcp.bind" in text and "tcp.max_connections" in text
    with pytest.raises(RequestValidationError, match="'nonsense'"):
        client.listeners.create(body={"type": "nonsense"})  # type: ignore[typeddict-item]


def test_a_model_a_typeddict_and_a_list_of_them_are_sent_by_wire_names() -> None:
    client, calls = make(json_answer(BAN))
    client.banned.create(body=models.BannedCreate(as_="clientid", who="c1"))
    typed: params.BannedCreate = {"as": "clientid", "who": "c2", "reason": "r"}
    client.banned.create(body=typed)
    assert [json.loads(c.content) for c in calls] == [
        {"as": "clientid", "who": "c1"},
        {"as": "clientid", "who": "c2", "reason": "r"},
    ]


def test_extra_body_query_headers_and_timeout_per_call() -> None:
    client, calls = make(json_answer(BAN))
    client.banned.create(
        body={"as": "clientid", "who": "c1"},
        extra_body={"note": "not in the spec"},
        extra_query={"trace": "1"},
        extra_headers={"X-Request-Id": "abc"},
        timeout=2.5,
    )
    sent = calls[0]
    assert json.loads(sent.content) == {"as": "clientid", "who": "c1", "note": "not in the spec"}
    assert sent.url.params["trace"] == "1"
    assert sent.headers["x-request-id"] == "abc"
    assert sent.extensions["timeout"]["read"] == 2.5


def test_extra_body_alone_is_the_body_and_a_list_body_refuses_it() -> None:
    client, calls = make(lambda r: httpx.Response(204))
    client.banned.clear(extra_body={"force": True})
    assert json.loads(calls[0].content) == {"force": True}
    client, calls = make(json_answer([]))
    with pytest.raises(RequestValidationError, match="extra_body"):
        client.authentication.users.bulk_import(
            id="password_based:built_in_database",
            body=[{"user_id": "u1", "password": "p"}],
            extra_body={"x": 1},
        )
    assert calls == []


def test_a_body_and_an_upload_together_is_a_request_validation_error() -> None:
    client, calls = make(json_answer([]))
    with pytest.raises(RequestValidationError, match="not both"):
        client.authentication.users.bulk_import(
            id="password_based:built_in_database",
            body=[{"user_id": "u1", "password": "p"}],
            filename=("users.csv", b"user_id,password\n"),
        )
    assert calls == []


def test_a_misspelt_required_key_is_named_beside_the_missing_one() -> None:
    client, calls = make(json_answer(BAN))
    with pytest.raises(RequestValidationError) as info:
        client.banned.create(body={"as": "clientid", "whom": "x"})  # type: ignore[typeddict-unknown-key]
    assert calls == []
    assert info.value.errors == [
        "whom: not a field of the spec (allowed: as, at, by, reason, until, who)",
        "who: Field required",
    ]


def test_a_misspelt_key_of_a_union_body_is_named_against_its_branch() -> None:
    client, calls = make(json_answer({}))
    with pytest.raises(RequestValidationError) as info:
        client.listeners.create(
            body={"type": "tcp", "name": "x", "bindd": "0.0.0.0:1883"}  # type: ignore[typeddict-unknown-key]
        )
    assert calls == []
    first, second = info.value.errors
    assert first.startswith("bindd: not a field of the spec (allowed: ") and " bind," in first
    assert second == "tcp.bind: Field required"
