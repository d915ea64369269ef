"""Audit (enterprise build) through the generated client against the `ee` stub: off by
default, then recording each request that changes something, with EMQX's filters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest

from tests.functional.conftest import API_KEY, SECRET, LiveStub


@pytest.fixture()
def audited(ee_client: Any) -> Iterator[Any]:
    ee_client.configs.update_log(body={"audit": {"enable": True}})
    try:
        yield ee_client
    finally:
        ee_client.configs.update_log(body={"audit": {"enable": False}})


def test_the_audit_log_is_off_by_default(ee_client: Any) -> None:
    assert ee_client.configs.get_log().audit.enable is False
    with pytest.raises(emqx_client.BadRequestError) as bad:
        ee_client.audit.list_logs()
    assert (bad.value.code, bad.value.message) == ("BAD_REQUEST", "Audit is disabled")


def test_changes_are_recorded_and_filtered(audited: Any, ee_stub: LiveStub) -> None:
    audited.banned.create(body={"as": "clientid", "who": "audited-client"})
    audited.banned.delete(as_="clientid", who="audited-client")
    audited.nodes.list()  # reads are not recorded
    with emqx_client.Client(
        base_url=ee_stub.base_url, api_key=API_KEY, secret_key=SECRET + "x", max_retries=0
    ) as wrong:
        with pytest.raises(emqx_client.AuthenticationError):
            wrong.banned.create(body={"as": "clientid", "who": "nope"})
    page = audited.audit.list_logs(operation_type="banned", limit=10)
    entries = list(page.items)
    assert [(e.http_method, e.http_status_code) for e in entries][-3:] == [
        ("post", 200),
        ("delete", 204),
        ("post", 401),
    ]
    assert SECRET not in repr(entries)  # the key is recorded, never its secret
    made, removed, refused = entries[-3:]
    assert (made.from_, made.source, made.operation_id) == ("rest_api", API_KEY, "/banned")
    assert str(made.operation_result) == "success" and made.node == ee_stub.backend.node
    assert removed.operation_id == "/banned/{as}/{who}"
    assert removed.http_request.bindings == {"as": "clientid", "who": "audited-client"}
    assert made.http_request.headers["authorization"] == "******"
    assert str(refused.operation_result) == "failure" and refused.source == ""
    assert refused.failure["code"] == "BAD_API_KEY_OR_SECRET"
    only_deletes = audited.audit.list_logs(http_method="delete", operation_type="banned")
    assert {e.http_method for e in only_deletes.items} == {"delete"}
    later = audited.audit.list_logs(gte_created_at=made.created_at, operation_type="banned")
    assert len(list(later.items)) == 3


def test_the_open_source_build_has_no_audit_settings(client: Any) -> None:
    assert "audit" not in client.configs.get_log().model_fields_set
