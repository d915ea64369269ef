"""The message transformation's variform subset and dry run, without HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from emqx_server_stub.backend.message_transformation.dryrun import DryrunFailure, key_path, run
from emqx_server_stub.backend.message_transformation.variform import (
    VariformError,
    VariformSyntaxError,
    parse,
    render,
)
from emqx_server_stub.errors import ApiError


def _never(_name: str, _inner: list[str]) -> bool:
    return False


def test_render_literals_variables_and_calls() -> None:
    bindings: dict[str, Any] = {"topic": "a/b", "payload": {"n": 3, "f": 1.5}, "flag": True}
    assert render(parse("concat([topic, '/', payload.n])"), bindings) == "a/b/3"
    assert render(parse('upper("x")'), bindings) == "X"
    assert render(parse("payload.f"), bindings) == "1.5"
    assert render(parse("flag"), bindings) == "true"
    assert render(parse("payload"), bindings, as_text=False) == {"n": 3, "f": 1.5}
    assert render(parse("coalesce([payload.none, 'd'])"), bindings) == "d"


def test_render_failures_name_their_reason() -> None:
    with pytest.raises(VariformError) as unbound:
        render(parse("payload.none"), {"payload": {}})
    assert unbound.value.reason == {"reason": "var_unbound", "var_name": "payload.none"}
    with pytest.raises(VariformError) as unknown:
        render(parse("nope(1)"), {})
    assert unknown.value.reason["reason"] == "invalid_function_reference"
    with pytest.raises(VariformSyntaxError):
        parse("concat([1,")


def test_keys_operations_may_write() -> None:
    assert key_path("payload.a.b") == ["payload", "a", "b"]
    assert key_path("user_property.k") == ["user_property", "k"]
    for bad in ("", "clientid", "user_property", "user_property.a.b", "payload..x"):
        with pytest.raises(ApiError):
            key_path(bad)


def test_run_keeps_the_payload_bytes_unless_written() -> None:
    transformation = {
        "payload_decoder": {"type": "json"},
        "payload_encoder": {"type": "json"},
        "operations": [{"key": "retain", "value": "'true'"}],
    }
    message = {"payload": '{ "a" : 1 }', "topic": "t"}
    out = run(transformation, message, "n@h", _never)
    assert (out["payload"], out["retain"]) == ('{ "a" : 1 }', True)
    written = {**transformation, "operations": [{"key": "payload.b", "value": "2"}]}
    assert run(written, message, "n@h", _never)["payload"] == '{"a":1,"b":2}'


def test_run_fails_on_a_payload_that_is_not_an_object() -> None:
    transformation = {"operations": [{"key": "payload.x", "value": "'1'"}]}
    with pytest.raises(DryrunFailure) as failed:
        run(transformation, {"payload": "text", "topic": "t"}, "n@h", _never)
    assert failed.value.body()["msg"] == "transformation_eval_operation_exception"
