"""Running a transformation on one message, as the broker's dry run does: decode the
payload, apply each operation in order, encode the payload; or the failure's context.

The stub decodes and encodes `none` and `json` payloads; Avro and Protobuf payloads
fail with `payload_decode_schema_not_found` when the registry lacks the schema and
with `payload_decode_schema_failure` otherwise (the stub has no serializers).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from ... import errors
from .variform import Node, VariformError, VariformSyntaxError, parse, render

_ROOT_KEYS = ["payload", "qos", "retain", "topic", "user_property"]


class DryrunFailure(errors.ApiError):
    """400 with the failure's context (`msg` and its fields) as the body, as the broker
    answers a dry run that fails."""

    def __init__(self, msg: str, **context: Any) -> None:
        super().__init__(400, "BAD_REQUEST", msg)
        self.context = {**context, "msg": msg}

    def body(self) -> dict[str, Any]:
        return dict(self.context)


def key_path(key: str) -> list[str]:
    """An operation's key split on dots; BAD_REQUEST unless it names a message field
    the broker lets operations write (its parse_key_path)."""
    if key == "":
        raise errors.bad_request("key must be non-empty")
    parts = key.split(".")
    if "" in parts:
        raise errors.bad_request(f"invalid_key: {key}")
    if parts[0] == "payload" or parts in (["qos"], ["retain"], ["topic"]):
        return parts
    if parts[0] == "user_property":
        if len(parts) == 2:
            return parts
        raise errors.bad_request(
            f"invalid_key: {key}: must define exactly one key inside user property"
        )
    raise errors.bad_request(f"invalid_key: {key}; allowed root keys: {', '.join(_ROOT_KEYS)}")


def compiled(value: str) -> Node:
    """An operation's value as an expression; BAD_REQUEST when it does not parse."""
    try:
        return parse(value)
    except VariformSyntaxError as exc:
        raise errors.bad_request(f"invalid expression {value!r}: {exc}") from exc


def _serde(serde: dict[str, Any], has_schema: Callable[[str, list[str]], bool]) -> str:
    """The decoder's type; DryrunFailure for a schema-based one (see the module)."""
    kind: str = serde.get("type", "none")
    if kind in ("none", "json"):
        return kind
    inner = [serde["message_type"]] if "message_type" in serde else []
    context = {"schema_name": serde["schema"], **({"message_type": inner[0]} if inner else {})}
    if not has_schema(serde["schema"], inner):
        raise DryrunFailure("payload_decode_schema_not_found", decoder=kind, **context)
    raise DryrunFailure(
        "payload_decode_schema_failure",
        decoder=kind,
        kind="error",
        reason=f"the stub does not decode {kind} payloads",
        **context,
    )


def _decode(
    payload: str, decoder: dict[str, Any], has_schema: Callable[[str, list[str]], bool]
) -> Any:
    if _serde(decoder, has_schema) == "none":
        return payload
    try:
        return json.loads(payload)
    except ValueError as exc:
        raise DryrunFailure("payload_decode_failed", decoder="json", reason=str(exc)) from exc


def _encode(
    payload: Any, encoder: dict[str, Any], has_schema: Callable[[str, list[str]], bool]
) -> Any:
    kind = encoder.get("type", "none")
    if kind in ("avro", "protobuf"):
        if not has_schema(encoder["schema"], []):
            raise DryrunFailure(
                "payload_encode_schema_not_found", encoder=kind, schema_name=encoder["schema"]
            )
        raise DryrunFailure(
            "payload_encode_schema_failure",
            encoder=kind,
            schema_name=encoder["schema"],
            reason=f"the stub does not encode {kind} payloads",
        )
    if kind == "none":
        return payload
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def _put(context: dict[str, Any], path: list[str], value: Any) -> None:
    head = path[0]
    if head == "user_property":
        context["user_property"][path[1]] = value
    elif head == "payload" and len(path) > 1:
        target = context["payload"]
        for part in path[1:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
    else:
        context[head] = value


def _result(head: str, rendered: str) -> Any:
    if head == "qos":
        if rendered not in ("0", "1", "2"):
            raise VariformError({"reason": "bad_qos_value", "input": rendered})
        return int(rendered)
    if head == "retain":
        if rendered not in ("true", "false"):
            raise VariformError({"reason": "bad_retain_value", "input": rendered})
        return rendered == "true"
    return rendered


def run(
    transformation: dict[str, Any],
    message: dict[str, Any],
    node: str,
    has_schema: Callable[[str, list[str]], bool],
) -> dict[str, Any]:
    """The message after `transformation` (both as JSON objects); DryrunFailure with the
    broker's failure context when it fails."""
    decoder = transformation.get("payload_decoder", {"type": "none"})
    encoder = transformation.get("payload_encoder", {"type": "none"})
    now = int(time.time() * 1000)
    context: dict[str, Any] = {
        "client_attrs": dict(message.get("client_attrs", {})),
        "clientid": message.get("clientid", "test-clientid"),
        "flags": {"dup": False, "retain": message.get("retain", False)},
        "id": uuid.uuid4().hex.upper(),
        "node": node,
        "payload": _decode(message["payload"], decoder, has_schema),
        "peername": message.get("peername", "127.0.0.1:19872"),
        "pub_props": dict(message.get("pub_props", {})),
        "publish_received_at": now,
        "qos": message.get("qos", 0),
        "retain": message.get("retain", False),
        "timestamp": now,
        "topic": message["topic"],
        "user_property": dict(message.get("user_property", {})),
        "username": message.get("username"),
    }
    payload_dirty = decoder != encoder
    for operation in transformation.get("operations", []):
        path = key_path(operation["key"])
        expression = compiled(operation["value"])
        try:
            rendered = render(expression, context, as_text=path[0] != "payload")
            value = _result(path[0], rendered) if path[0] != "payload" else rendered
        except VariformError as exc:
            raise DryrunFailure("transformation_eval_operation_failure", reason=exc.reason) from exc
        try:
            _put(context, path, value)
        except (AttributeError, TypeError) as exc:
            raise DryrunFailure(
                "transformation_eval_operation_exception",
                kind="error",
                reason=f"cannot write {operation['key']}: the payload is not an object",
                operation=dict(operation),
            ) from exc
        payload_dirty = payload_dirty or path[0] == "payload"
    payload = message["payload"]
    if payload_dirty:
        payload = _encode(context["payload"], encoder, has_schema)
    return {
        "payload": payload,
        "qos": context["qos"],
        "topic": context["topic"],
        "retain": context["retain"],
        "user_property": context["user_property"],
    }
