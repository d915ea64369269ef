"""Answers of real brokers the spec does not describe, through the client's public methods
(HTTP replaced by a canned answer): an enterprise broker's Kafka connector, GB/T 32960
gateway and OCPP `ws` gateway listener (tests/fixtures/answers/), values in the other
forms EMQX's HOCON layer stores, and what the default client logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from emqx_client import (
    APIResponseValidationError,
    Client,
    EmqxError,
    RequestValidationError,
    _base_client,
    models,
)

ANSWERS = Path(__file__).resolve().parents[1] / "fixtures" / "answers"
SPEC = json.loads((Path(__file__).resolve().parents[2] / "generated" / "openapi.json").read_text())


def fixture(name: str) -> dict[str, Any]:
    data = json.loads((ANSWERS / name).read_text())
    data.pop("_about")
    return data


def example(schema: str) -> dict[str, Any]:
    value = SPEC["components"]["schemas"][schema]["example"]
    assert isinstance(value, dict)
    return dict(value)


def canned(body: Any, *, strict: bool = False, status: int = 200) -> Client:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    transport = httpx.MockTransport(
        lambda r: httpx.Response(status, content=content, headers=headers)
    )
    return Client(
        base_url="http://emqx.invalid/api/v5",
        api_key="k",
        secret_key="s",
        http_client=httpx.Client(transport=transport),
        strict_response_validation=strict,
    )


@pytest.fixture()
def debug_log(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> Iterator[pytest.LogCaptureFixture]:
    # Logged once per operation and field in a process: start from a clean slate, whatever
    # ran before in the session.
    monkeypatch.setattr(_base_client, "_logged", set())
    with caplog.at_level(logging.DEBUG, logger="emqx_client"):
        yield caplog


def test_an_enterprise_kafka_connector_among_known_ones() -> None:
    kafka = fixture("kafka_producer_connector.json")
    listed = canned([example("ConnectorsHttp"), kafka]).connectors.list()
    assert isinstance(listed[0], models.ConnectorsHttp)
    typed = listed[1]
    assert isinstance(typed, models.ConnectorsKafkaProducer)
    assert typed.bootstrap_hosts == "kafka-1.local:9092,kafka-2.local:9092"
    assert isinstance(typed.authentication, models.KafkaAuthUsernamePassword)
    # the same answer under a type this client does not know lands in the open branch
    newer = {**kafka, "type": "kafka_producer_from_a_newer_broker"}
    answer = [example("ConnectorsHttp"), newer]
    other = canned(answer).connectors.list()[1]
    assert isinstance(other, models.ConnectorsConnectorOther)
    assert other.type == "kafka_producer_from_a_newer_broker"
    assert other.model_extra is not None
    assert other.model_extra["bootstrap_hosts"] == "kafka-1.local:9092,kafka-2.local:9092"
    assert other.model_extra["node_status"][0]["status"] == "connected"
    with pytest.raises(APIResponseValidationError) as caught:
        canned(answer, strict=True).connectors.list()
    assert caught.value.method == "GET" and caught.value.path == "/connectors"
    assert any("kafka_producer" in line or "tag" in line for line in caught.value.errors)
    canned([kafka], strict=True).connectors.list()  # a typed branch is no error
    assert isinstance(caught.value, EmqxError)
    assert caught.value.response.status_code == 200


def test_an_enterprise_gbt32960_gateway() -> None:
    """Once untyped, the enterprise gateways are now branches of the union: the answer
    reads into its own class; the connection counts it carries, which no gateway's
    schema names, are kept, and a strict client names them."""
    gateway = canned(fixture("gbt32960_gateway.json")).gateways.get(name="gbt32960")
    assert isinstance(gateway, models.GatewayGbt32960)
    assert gateway.retry_interval == "8s"
    assert gateway.listeners is not None and gateway.listeners[0].bind == "7325"
    assert gateway.model_extra == {"current_connections": 3, "max_connections": 1024000}
    with pytest.raises(APIResponseValidationError) as caught:
        canned(fixture("gbt32960_gateway.json"), strict=True).gateways.get(name="gbt32960")
    assert caught.value.errors == [
        ".current_connections: not in the spec",
        ".max_connections: not in the spec",
    ]


def test_an_ocpp_ws_gateway_listener() -> None:
    answer = [fixture("ocpp_ws_listener.json")]
    (listener,) = canned(answer).gateway_listeners.list(name="ocpp")
    assert isinstance(listener, models.GatewayListenerWs)
    assert listener.websocket is not None and listener.websocket.path == "/ocpp"
    assert listener.websocket.model_extra == {"mqtt_piggyback": "multiple"}


def test_a_listener_with_a_cipher_string_and_an_integer_limit(
    debug_log: pytest.LogCaptureFixture,
) -> None:
    """EMQX stores `ciphers` as the comma-separated string it was given, and a limit as
    the number it was given; both forms are in the spec (HoconCiphers,
    HoconPositiveOrInfinity), so even the strict client takes them as sent. A field of a
    newer broker is tolerated, and logged once per operation and field."""
    answer = example("ListenerSsl")
    ciphers = "TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256"
    answer["ssl_options"] = {**answer.get("ssl_options", {}), "ciphers": ciphers}
    answer["max_connections"] = 5000
    strict = canned(answer, strict=True).listeners.get(id="ssl:default")
    assert isinstance(strict, models.ListenerSsl)
    assert strict.ssl_options is not None and strict.ssl_options.ciphers == ciphers
    assert strict.max_connections == 5000
    answer["unknown_by_this_client"] = {"since": "5.9"}
    listener = canned(answer).listeners.get(id="ssl:default")
    assert isinstance(listener, models.ListenerSsl)
    assert listener.model_extra == {"unknown_by_this_client": {"since": "5.9"}}
    answer["max_connections"] = "5000"
    canned(answer).listeners.get(id="ssl:other")
    assert canned(answer).listeners.get(id="ssl:3").max_connections == 5000
    logged = [r.getMessage() for r in debug_log.records]
    assert [m for m in logged if "max_connections" in m] == [
        "GET /listeners/{id}: tolerated .max_connections: converted '5000'"
    ]


def test_a_missing_required_field_reads_as_none() -> None:
    answer = example("ConnectorsHttp")
    del answer["description"]
    answer["enable"] = "true"
    got = canned([answer]).connectors.list()[0]
    assert isinstance(got, models.ConnectorsHttp)
    assert got.description is None
    assert "description" not in got.model_fields_set
    assert got.enable is True
    with pytest.raises(APIResponseValidationError) as caught:
        canned([answer], strict=True).connectors.list()
    assert any("description" in line for line in caught.value.errors)


def test_a_2xx_answer_that_is_not_json_is_kept_as_bytes() -> None:
    assert canned(b"{not json").nodes.list() == b"{not json"  # type: ignore[comparison-overlap]


def test_a_v1_http_bridge_answer_is_read_as_a_webhook() -> None:
    answer = dict(example("BridgesWebhook"), type="http")
    (bridge,) = canned([answer]).bridges.list()
    assert isinstance(bridge, models.BridgesWebhook)


def test_the_raw_cipher_string_of_emqx_listeners_update_suite() -> None:
    answer = example("ListenerSsl")
    changes = fixture("ssl_listener_raw_ciphers.json")
    answer.update(bind=changes["bind"])
    answer["ssl_options"] = {**answer.get("ssl_options", {}), **changes["ssl_options"]}
    got = canned(answer, strict=True).listeners.get(id="ssl:default")
    assert isinstance(got, models.ListenerSsl)
    assert got.ssl_options is not None
    assert got.ssl_options.ciphers == "TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256 "
    assert got.ssl_options.cacertfile == ""


def test_an_infinity_limit_of_emqx_gateway_api_suite() -> None:
    answer = {**example("GatewayListenerTcp"), **fixture("stomp_listener_infinity.json")}
    (got,) = canned([answer], strict=True).gateway_listeners.list(name="stomp")
    assert isinstance(got, models.GatewayListenerTcp)
    assert (got.id, got.max_connections) == ("stomp:tcp:def", "infinity")


def test_strict_in_what_it_sends() -> None:
    """A request body is held to the spec: a field it does not list is refused before
    anything is sent (answers keep such fields; requests never carry them)."""
    client = canned({})
    with pytest.raises(RequestValidationError, match=r"resource_opts\.no_such_option"):
        client.connectors.create(
            body={
                "type": "http",
                "name": "c1",
                "url": "http://127.0.0.1/",
                "resource_opts": {"no_such_option": 1},
            }
        )
