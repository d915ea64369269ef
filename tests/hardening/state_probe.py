"""What the failed-write tests need: the stub in-process with seeded state, the state as
seen through every GET of the spec (a snapshot), a cheap fingerprint of the backend's state,
and requests each write operation answers with an error, made from the spec."""

from __future__ import annotations

import base64
import json
import pickle
import random
import re
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from emqx_server_stub import create_app
from emqx_server_stub.backend import InMemoryBackend
from emqx_server_stub.backend.dashboard.state import TokenRecord
from fastapi.testclient import TestClient

KEY, SECRET = "probe-key", "probe-secret"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()}
SPEC_FILE = Path(__file__).resolve().parents[2] / "generated" / "openapi.json"
BASE = "/api/v5"
WRITE_METHODS = ("post", "put", "delete")
_PARAM = re.compile(r"\{([^}]+)\}")

# Fields that change by themselves between two reads of an unchanged state: clocks,
# uptimes and the counters of the node's own activity. Left out of every comparison.
VOLATILE_KEYS = frozenset(
    {"duration", "up_time", "uptime", "memory_used", "load1", "load5", "load15"}
)
# Reads whose whole answer moves by itself: the VM's memory and run queue in Prometheus
# text, the monitor's samples (a new one every few seconds).
VOLATILE_GETS = frozenset({"/prometheus/stats", "/monitor"})

# Parts of the backend's state that move by themselves: the monitor's samples (one every
# few seconds, on the next read). A dashboard token's expiry slides with each use.
VOLATILE_STATE = frozenset({"monitor_samples"})

# Path parameters that name something the seeded state holds; any other is "x".
SEEDED_IDS = {"clientid": "probe-0", "node": "emqx@127.0.0.1", "name": "probe-key-1"}
# Reads of seeded records (path parameters filled from SEEDED_IDS), besides the reads
# without path parameters.
SEEDED_GETS = (
    "/clients/{clientid}",
    "/clients/{clientid}/subscriptions",
    "/api_key/{name}",
    "/nodes/{node}",
)

SPEC: dict[str, Any] = json.loads(SPEC_FILE.read_text(encoding="utf-8"))


def fill(path: str, values: dict[str, str] | None = None) -> str:
    chosen = SEEDED_IDS if values is None else values
    return _PARAM.sub(lambda m: chosen.get(m.group(1), "x"), path)


def headers_for(op: dict[str, Any], bearer: dict[str, str]) -> dict[str, str]:
    """Basic credentials, or the dashboard token where the operation takes only that."""
    security = op.get("security", SPEC.get("security", []))
    if security and not any("basicAuth" in s for s in security):
        return dict(bearer)
    return dict(AUTH)


def seeded_client() -> tuple[InMemoryBackend, TestClient, dict[str, str]]:
    """A stub holding a little of everything: clients and subscriptions, a ban, an alarm,
    an API key, a rule and a published retained message."""
    backend = InMemoryBackend(api_key=KEY, secret_key=SECRET)
    for n in range(2):
        backend.add_client(f"probe-{n}", username=f"user{n}")
        backend.add_subscription(f"probe-{n}", f"t/{n}/#", qos=1)
    backend.raise_alarm("probe_alarm", "seeded")
    client = TestClient(create_app(backend.handlers()), raise_server_exceptions=False)
    setup = [
        ("post", "/banned", {"as": "clientid", "who": "banned-one"}),
        ("post", "/api_key", {"name": "probe-key-1", "enable": True, "desc": "seeded"}),
        ("post", "/rules", {"sql": 'SELECT * FROM "t/#"', "actions": []}),
        ("post", "/publish", {"topic": "r/1", "payload": "hi", "retain": True}),
    ]
    login = {"username": "admin", "password": "public"}
    token = client.post(BASE + "/login", json=login).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}  # API keys are made with a dashboard token
    for method, path, body in setup:
        headers = bearer if path == "/api_key" else AUTH
        answer = client.request(method.upper(), BASE + path, json=body, headers=headers)
        assert answer.status_code < 300, (path, answer.text)
    return backend, client, bearer


# -- the state as seen through the GETs ---------------------------------------------------


Read = tuple[str, dict[str, Any], dict[str, Any]]  # the path, its query, its operation


def _required_query(op: dict[str, Any]) -> dict[str, Any]:
    query = {}
    for param in op.get("parameters", []):
        param = resolve(param)
        if param.get("in") == "query" and param.get("required"):
            query[param["name"]] = sample(param.get("schema", {}))
    return query


def read_paths() -> list[Read]:
    """Every GET without path parameters, then the seeded reads; with required queries."""
    reads = []
    for path, item in SPEC["paths"].items():
        op = item.get("get")
        if op is None or path in VOLATILE_GETS:
            continue
        if "{" not in path or path in SEEDED_GETS:
            reads.append((fill(path), _required_query(op), op))
    return reads


def _steady(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _steady(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_steady(v) for v in value]
    return value


def snapshot(client: TestClient, reads: list[Read], bearer: dict[str, str]) -> dict[str, Any]:
    """Each read's status and body, volatile fields left out."""
    seen: dict[str, Any] = {}
    for path, query, op in reads:
        answer = client.get(BASE + path, params=query, headers=headers_for(op, bearer))
        try:
            body: Any = _steady(answer.json())
        except ValueError:
            body = answer.text
        seen[path] = (answer.status_code, body)
    return seen


_SHARED = (ContextVar, type(threading.RLock()), type(threading.Lock()))


class _Freezer(pickle.Pickler):
    """Pickles the state, keeping its locks and context variables aside (by reference)."""

    def __init__(self, out: BytesIO) -> None:
        super().__init__(out, protocol=pickle.HIGHEST_PROTOCOL)
        self.kept: list[Any] = []

    def persistent_id(self, obj: Any) -> int | None:
        if isinstance(obj, _SHARED):
            self.kept.append(obj)
            return len(self.kept) - 1
        return None


@dataclass(frozen=True)
class Frozen:
    """The backend's whole state as bytes: equal bytes, equal answers to every read."""

    data: bytes
    kept: tuple[Any, ...]


def freeze(backend: InMemoryBackend) -> Frozen:
    out = BytesIO()
    freezer = _Freezer(out)
    freezer.dump(vars(backend._state))
    return Frozen(out.getvalue(), tuple(freezer.kept))


class _Fingerprinter(_Freezer):
    """Like _Freezer, with a dashboard token's sliding expiry left out."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, TokenRecord):
            return (str, (obj.username,))
        return NotImplemented


def fingerprint(backend: InMemoryBackend) -> bytes:
    """The state without what moves by itself (VOLATILE_STATE, a token's expiry): equal
    bytes, equal answers to every read."""
    out = BytesIO()
    state = vars(backend._state)
    _Fingerprinter(out).dump({k: v for k, v in state.items() if k not in VOLATILE_STATE})
    return out.getvalue()


def thaw(backend: InMemoryBackend, frozen: Frozen) -> None:
    """Put the state back as it was frozen (the same State object, which every area
    handler holds)."""
    unpickler = pickle.Unpickler(BytesIO(frozen.data))
    unpickler.persistent_load = lambda pid: frozen.kept[pid]  # type: ignore[method-assign]
    vars(backend._state).update(unpickler.load())


# -- requests made from the spec ----------------------------------------------------------


def resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def sample(schema: Any, depth: int = 0) -> Any:
    """A value the schema takes: its example, default or first enum value, else one built
    from its type (the required properties of an object)."""
    schema = resolve(schema)
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return sample(schema[key][0], depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = sample(part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        if depth > 4:
            return {}
        return {k: sample(props[k], depth + 1) for k in schema.get("required", []) if k in props}
    if kind == "array":
        return []
    if kind == "integer":
        return int(schema.get("minimum", 0))
    if kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if schema.get("format") == "date-time":
        return "2030-01-01T00:00:00Z"
    return "x"


def json_body(op: dict[str, Any]) -> tuple[Any, Any] | None:
    """A valid JSON body of the operation (its example, else one built from its schema)
    and its schema; None when the operation takes no JSON body."""
    body = resolve(op.get("requestBody") or {})
    media = body.get("content", {}).get("application/json")
    if media is None:
        return None
    schema = media.get("schema", {})
    if "example" in media:
        return media["example"], schema
    examples = media.get("examples") or {}
    if examples:
        return resolve(next(iter(examples.values()))).get("value"), schema
    return sample(schema), schema


_LONG = "x" * 10_240
_LONE = "a\ud800b"


def _alternatives(schema: Any) -> list[Any]:
    schema = resolve(schema)
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return [a for alt in schema[key] for a in _alternatives(alt)]
    return [schema]


def _edges(schema: Any) -> Iterator[Any]:
    """Values just out of what the schema (each of its alternatives) takes, or at its edge
    where EMQX draws a tighter line: past a maximum, below a minimum, a longer string, a
    value out of an enum, a date-time past year 9999 or before year 1 in UTC, a string of
    digits past any epoch."""
    for alt in _alternatives(schema):
        if "maximum" in alt:
            yield alt["maximum"] + 1
        if "minimum" in alt:
            yield alt["minimum"] - 1
        if "maxLength" in alt:
            yield "x" * (alt["maxLength"] + 1)
        if alt.get("enum"):
            yield "zz_not_in_enum"
        if alt.get("format") == "date-time":
            yield from ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59")
        if alt.get("pattern") == "^[0-9]+$":
            yield from ("378414633112", "9" * 30)


def _properties(schema: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for alt in _alternatives(schema):
        for part in [alt, *(resolve(p) for p in alt.get("allOf", []))]:
            for key, sub in part.get("properties", {}).items():
                found.setdefault(key, sub)
    return found


def _mutations(value: Any, schema: Any, depth: int = 0) -> Iterator[Any]:
    """Copies of a valid body, each wrong in one place: a wrong type, a number out of any
    range, a value past the schema's edges, a 10 KB string, a string with a lone
    surrogate, an unknown key in an object."""
    yield from _edges(schema)
    if isinstance(value, bool):
        yield "yes"
    elif isinstance(value, int | float):
        yield from ("x", 2**64, -(2**63) - 1, -1)
    elif isinstance(value, str):
        yield from (123, _LONG, _LONE, "")
    elif isinstance(value, list):
        yield {"a": 1}
        if value and depth < 4:
            items = resolve(schema).get("items", {})
            for inner in _mutations(value[0], items, depth + 1):
                yield [inner, *value[1:]]
    elif isinstance(value, dict):
        yield {**value, "zz_unknown": {"k": 1}}
        yield [value]
        if depth < 4:
            props = _properties(schema)
            for key, inner_value in value.items():
                for inner in _mutations(inner_value, props.get(key, {}), depth + 1):
                    yield {**value, key: inner}
            for key in props.keys() - value.keys():
                for inner in _edges(props[key]):
                    yield {**value, key: inner}
    elif value is None:
        yield {"x": 1}


@dataclass(frozen=True)
class Attempt:
    method: str
    path: str  # the spec's path
    op: dict[str, Any]
    url: str
    query: dict[str, Any]
    body: bytes | None  # ASCII JSON (a lone surrogate as \\ud800), or no body

    def describe(self) -> str:
        shown = (self.body or b"")[:160].decode()
        return f"{self.method.upper()} {self.url[:120]} {shown}"


def write_operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        if method in WRITE_METHODS
    ]


def attempts(method: str, path: str, op: dict[str, Any], per_op: int, seed: int) -> list[Attempt]:
    """Requests the operation should answer with an error; at most `per_op` of them
    (0: all), picked with `seed`."""
    query = _required_query(op)
    body = json_body(op)
    base, schema = body if body is not None else (None, {})
    urls = [fill(path)]
    if "{" in path:
        urls += [fill(path, {}), _PARAM.sub(_LONG, path), _PARAM.sub("%ED%A0%80", path)]
    found: list[Attempt] = []
    seen: set[tuple[str, bytes | None]] = set()

    def add(url: str, body: Any | None, has_body: bool) -> None:
        raw = json.dumps(body).encode("ascii") if has_body else None
        if (url, raw) not in seen:
            seen.add((url, raw))
            found.append(Attempt(method, path, op, BASE + url, query, raw))

    for url in urls[1:]:
        add(url, base, body is not None)
    if body is not None:
        for wrong in _mutations(base, schema):
            add(urls[0], wrong, True)
    elif len(urls) == 1:
        add(urls[0], {"zz_unknown": _LONE}, True)
    if per_op and len(found) > per_op:
        found = random.Random(f"{seed}:{method}:{path}").sample(found, per_op)
    return found


def send(client: TestClient, attempt: Attempt, bearer: dict[str, str]) -> Any:
    headers = headers_for(attempt.op, bearer)
    if attempt.body is not None:
        headers["content-type"] = "application/json"
    return client.request(
        attempt.method.upper(),
        attempt.url,
        params=attempt.query,
        content=attempt.body,
        headers=headers,
    )
