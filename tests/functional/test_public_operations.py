"""Error answers of the operations served without credentials."""

from __future__ import annotations

from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.functional.conftest import LiveStub
from tests.functional.openapi_check import SpecChecker


def test_an_unknown_error_code_is_a_bad_request(anonymous: Any) -> None:
    assert str(anonymous.error_codes.get(code="NOT_FOUND").code) == "NOT_FOUND"
    with pytest.raises(emqx_client.BadRequestError) as info:
        anonymous.error_codes.get(code="NO_SUCH_CODE")  # type: ignore[arg-type]
    assert info.value.code == models.ErrorCode.BAD_REQUEST


@pytest.mark.parametrize(
    "path", ["/prometheus/auth", "/prometheus/data_integration", "/prometheus/stats"]
)
def test_prometheus_refuses_an_unknown_mode(
    stub: LiveStub, checker: SpecChecker, path: str
) -> None:
    with httpx.Client(event_hooks={"response": [checker.check]}) as http:
        answer = http.get(stub.base_url + path, params={"mode": "everywhere"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "BAD_REQUEST"
