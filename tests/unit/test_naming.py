from __future__ import annotations

import pytest

from generator import naming


@pytest.mark.parametrize(
    ("text", "snake", "pascal"),
    [
        ("API Keys", "api_keys", "ApiKeys"),
        ("Error Codes", "error_codes", "ErrorCodes"),
        ("clientId", "client_id", "ClientId"),
        ("LwM2M Gateways", "lwm2m_gateways", "Lwm2mGateways"),
        ("CoAP Gateways", "coap_gateways", "CoapGateways"),
        ("ExHook", "exhook", "Exhook"),
    ],
)
def test_tag_names(text: str, snake: str, pascal: str) -> None:
    assert naming.tag_module(text) == snake
    assert naming.tag_class(text) == pascal


def test_identifiers_avoid_keywords_and_reserved_arguments() -> None:
    assert naming.identifier("as") == "as_"
    assert naming.identifier("timeout") == "timeout_"
    assert naming.identifier("body") == "body_"
    assert naming.identifier("like_clientid") == "like_clientid"


def test_error_class_names() -> None:
    assert naming.error_class("CLIENTID_NOT_FOUND") == "ClientidNotFoundError"
    assert naming.error_class("INTERNAL_ERROR") == "InternalError"
    assert naming.status_error_class(404) == "NotFoundError"
    assert naming.status_error_class(502) == "InternalServerError"
    assert naming.status_error_class(418) == "APIStatusError"


def test_the_status_table_is_the_client_runtimes() -> None:
    from emqx_client._exceptions import STATUS_ERRORS

    by_runtime = {status: cls.__name__ for status, cls in STATUS_ERRORS.items()}
    assert {status: naming.status_error_class(status) for status in STATUS_ERRORS} == by_runtime
    assert {"BadRequestError", "APIStatusError"} <= naming.runtime_error_classes()
