"""The client's retries, timeouts and error mapping, against httpx's mock transport."""

from __future__ import annotations

import json

import emqx_client
import httpx
import pytest
from emqx_client import _base_client, models


def make(handler, **kwargs):  # type: ignore[no-untyped-def]
    calls: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return handler(request, len(calls))

    http = httpx.Client(transport=httpx.MockTransport(record))
    client = emqx_client.Client(
        base_url="http://emqx.test/api/v5", api_key="k", secret_key="s", http_client=http, **kwargs
    )
    return client, calls


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(_base_client.time, "sleep", slept.append)
    return slept


def test_idempotent_calls_retry_on_503_and_honour_retry_after(no_sleep: list[float]) -> None:
    def handler(request: httpx.Request, n: int) -> httpx.Response:
        if n < 3:
            return httpx.Response(
                503, headers={"Retry-After": "2"}, json={"code": "SERVICE_UNAVAILABLE"}
            )
        return httpx.Response(200, json=[])

    client, calls = make(handler, max_retries=2)
    assert client.api_keys.list() == []
    assert len(calls) == 3
    assert no_sleep == [2.0, 2.0]


def test_post_is_never_sent_twice() -> None:
    client, calls = make(
        lambda r, n: httpx.Response(503, json={"code": "SERVICE_UNAVAILABLE"}), max_retries=5
    )
    with pytest.raises(emqx_client.ServiceUnavailableError):
        client.publish.message(body={"topic": "t", "payload": "p"})
    assert len(calls) == 1


def test_conflict_is_not_retried() -> None:
    client, calls = make(
        lambda r, n: httpx.Response(409, json={"code": "ALREADY_EXISTS", "message": "dup"}),
        max_retries=5,
    )
    with pytest.raises(emqx_client.ConflictError) as info:
        client.banned.clear()
    assert len(calls) == 1
    assert info.value.code == models.ErrorCode.ALREADY_EXISTS and info.value.message == "dup"


def test_connection_errors_are_retried_then_raised() -> None:
    def handler(request: httpx.Request, n: int) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client, calls = make(handler, max_retries=2)
    with pytest.raises(emqx_client.APIConnectionError):
        client.nodes.list()
    assert len(calls) == 3


def test_timeouts_raise_the_timeout_error() -> None:
    def handler(request: httpx.Request, n: int) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    client, _ = make(handler, max_retries=0)
    with pytest.raises(emqx_client.APITimeoutError):
        client.nodes.list()


def test_codes_map_to_their_own_classes_and_unknown_codes_stay_strings() -> None:
    client, _ = make(
        lambda r, n: httpx.Response(404, json={"code": "CLIENTID_NOT_FOUND", "message": "gone"})
    )
    with pytest.raises(emqx_client.ClientidNotFoundError) as info:
        client.clients.get(clientid="a/b")
    assert isinstance(info.value, emqx_client.NotFoundError)
    client, _ = make(lambda r, n: httpx.Response(404, json={"code": "SOMETHING_NEW"}))
    with pytest.raises(emqx_client.NotFoundError) as other:
        client.clients.get(clientid="a/b")
    assert other.value.code == "SOMETHING_NEW"


def test_path_parameters_are_url_encoded_and_bodies_send_only_set_fields() -> None:
    def handler(request: httpx.Request, n: int) -> httpx.Response:
        return httpx.Response(204)

    client, calls = make(handler)
    client.clients.unsubscribe(clientid="a/b#+ c", body={"topic": "x/#"})
    assert calls[0].url.raw_path == b"/api/v5/clients/a%2Fb%23%2B%20c/unsubscribe"
    assert calls[0].content == b'{"topic":"x/#"}'


def test_query_lists_repeat_or_join_as_the_spec_says() -> None:
    def handler(request: httpx.Request, n: int) -> httpx.Response:
        return httpx.Response(
            200, json={"data": [], "meta": {"page": 1, "limit": 10, "hasnext": False}}
        )

    client, calls = make(handler)
    page = client.clients.list(clientid=["a", "b"], fields=["clientid", "username"], limit=10)
    assert list(page) == []
    query = calls[0].url.query.decode()
    assert "clientid=a&clientid=b" in query
    assert "fields=clientid%2Cusername" in query


def test_the_secret_is_not_in_the_client_repr() -> None:
    client, _ = make(lambda r, n: httpx.Response(204))
    assert "s" not in repr(client).split("base_url=")[0][len("Client(") :]
    assert "secret" not in repr(client)


def test_a_redirect_is_returned_not_followed() -> None:
    def handler(request: httpx.Request, n: int) -> httpx.Response:
        headers = {"Location": "https://idp.test/authorize?state=s", "Content-Type": "text/plain"}
        return httpx.Response(302, headers=headers, text="Redirecting...")

    client, calls = make(handler)
    moved = client.dashboard_single_sign_on.sso_login(backend="oidc", body={"backend": "oidc"})
    assert moved == emqx_client.Redirect(302, "https://idp.test/authorize?state=s")
    assert len(calls) == 1  # the identity provider was not asked


def test_an_xml_answer_is_text_and_asked_for() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request, n: int) -> httpx.Response:
        seen.append(request.headers["accept"])
        return httpx.Response(200, headers={"Content-Type": "text/xml"}, text="<md:E/>")

    client, _ = make(handler)
    assert client.dashboard_single_sign_on.get_sso_saml_metadata() == "<md:E/>"
    assert seen == ["text/xml"]


def test_a_password_field_is_sent_in_clear() -> None:
    sent: list[bytes] = []

    def handler(request: httpx.Request, n: int) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(201, json={"name": "l", "server": "h:1883", "topics": ["t"]})

    client, _ = make(handler)
    body = {"name": "l", "server": "h:1883", "topics": ["t"], "password": "s3cret"}
    client.cluster.links.create(body=body)
    client.cluster.links.create(body=models.ClusterLink.model_validate(body))
    assert [json.loads(raw)["password"] for raw in sent] == ["s3cret", "s3cret"]
