"""The stub keeps the secrets a caller sends as sent, as the broker does: answers mask them,
the stored configuration does not (a masked copy would be all a later use could read)."""

from __future__ import annotations

import asyncio

from emqx_server_stub import models
from emqx_server_stub.backend import InMemoryBackend
from pydantic import TypeAdapter

PASSWORD = "the-kafka-password"


def test_a_nested_connector_password_is_stored_in_clear_and_answered_masked() -> None:
    backend = InMemoryBackend(api_key="k", secret_key="s", edition="ee")
    body = TypeAdapter(models.ConnectorsConnectorCreate).validate_python(
        {
            "type": "kafka_producer",
            "name": "k1",
            "bootstrap_hosts": "kafka-1.local:9092",
            "authentication": {
                "mechanism": "plain",
                "username": "emqx",
                "password": PASSWORD,
            },
        }
    )
    answer = asyncio.run(backend.handlers().connectors.create_connector(body=body))
    stored = backend._state.integration.connectors[("kafka_producer", "k1")].config
    assert stored["authentication"]["password"] == PASSWORD
    answered = TypeAdapter(models.ConnectorsConnector).dump_python(answer, mode="json")
    assert PASSWORD not in str(answered)


def test_the_stub_models_take_a_password_as_plain_text() -> None:
    source = models.__file__
    with open(source, encoding="utf-8") as text:
        assert "SecretStr" not in text.read()
