"""Errors: every failure an EmqxError; a code's class under each status it is listed
with; messages with method, path, status and code; half credentials refused at once; a
404 off the API prefix hints at `/api/v5`; docstrings list what a method raises."""

from __future__ import annotations

import inspect

import emqx_client
import httpx
import pytest
from emqx_client import _error_codes
from emqx_client._exceptions import APIStatusError, status_error_class

from tests.client._mock import json_answer, make

SEVERAL_STATUSES = {
    "ALREADY_EXISTS": (400, 409),
    "BAD_LISTENER_ID": (400, 404),
    "EXCEED_LIMIT": (409, 413),
    "INTERNAL_ERROR": (500, 400),
    "UPDATE_FAILED": (400, 403),
}


def test_the_codes_listed_with_several_statuses() -> None:
    several = {
        code: tuple(by_status)
        for code, by_status in _error_codes.CODE_ERRORS.items()
        if len(by_status) > 1
    }
    assert several == SEVERAL_STATUSES


@pytest.mark.parametrize(
    ("code", "status"),
    [(code, status) for code, statuses in SEVERAL_STATUSES.items() for status in statuses],
)
def test_a_codes_class_catches_it_under_every_status_it_is_listed_with(
    code: str, status: int
) -> None:
    client, _ = make(json_answer({"code": code, "message": "no"}, status))
    code_class = getattr(
        emqx_client, _error_codes.CODE_ERRORS[code][SEVERAL_STATUSES[code][0]].__name__
    )
    with pytest.raises(code_class) as info:
        client.nodes.list()
    status_class = status_error_class(status)
    assert isinstance(info.value, status_class)
    assert info.value.status_code == status and info.value.code == code


def test_every_listed_status_of_every_code_gives_a_class_of_that_status() -> None:
    for code, by_status in _error_codes.CODE_ERRORS.items():
        first = next(iter(by_status.values()))
        for status, cls in by_status.items():
            assert issubclass(cls, first), (code, status)
            expected = status_error_class(status)
            if expected is not APIStatusError:
                assert issubclass(cls, expected), (code, status, cls)


def test_409_already_exists_is_an_already_exists_error_and_a_conflict_error() -> None:
    client, _ = make(json_answer({"code": "ALREADY_EXISTS", "message": "dup"}, 409))
    with pytest.raises(emqx_client.AlreadyExistsError) as info:
        client.authentication.create(
            body={"mechanism": "password_based", "backend": "built_in_database"}
        )
    assert isinstance(info.value, emqx_client.ConflictError)
    assert str(info.value) == "POST /api/v5/authentication: 409 ALREADY_EXISTS: dup"


def test_a_message_carries_method_path_status_and_code() -> None:
    client, _ = make(json_answer({"code": "BAD_REQUEST", "message": "topic_name_invalid"}, 400))
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.publish.message(body={"topic": "t/#", "payload": "p"})
    error = info.value
    assert str(error) == "POST /api/v5/publish: 400 BAD_REQUEST: topic_name_invalid"
    assert (error.method, error.path, error.status_code) == ("POST", "/api/v5/publish", 400)
    assert "method='POST'" in repr(error) and "code=" in repr(error)


def test_a_body_without_a_code_reads_cleanly() -> None:
    client, _ = make(lambda r: httpx.Response(502, text="<html>bad gateway</html>"), max_retries=0)
    with pytest.raises(emqx_client.InternalServerError) as info:
        client.nodes.list()
    assert str(info.value) == "GET /api/v5/nodes: 502 Bad Gateway: <html>bad gateway</html>"
    client, _ = make(lambda r: httpx.Response(418), max_retries=0)
    with pytest.raises(emqx_client.APIStatusError) as other:
        client.nodes.list()
    assert str(other.value) == "GET /api/v5/nodes: 418 I'm a teapot"


def test_a_404_without_the_api_prefix_hints_at_it() -> None:
    client, _ = make(
        json_answer({"code": "NOT_FOUND", "message": "Not Found"}, 404),
        base_url="http://emqx.test:18083",
    )
    with pytest.raises(emqx_client.NotFoundError, match=r"/api/v5 missing from base_url"):
        client.nodes.list()
    client, _ = make(json_answer({"code": "NOT_FOUND", "message": "Not Found"}, 404))
    with pytest.raises(emqx_client.NotFoundError) as info:
        client.nodes.list()
    assert "/api/v5 missing" not in str(info.value)


def test_an_emqx_404_names_no_prefix() -> None:
    client, _ = make(
        json_answer({"code": "CLIENTID_NOT_FOUND", "message": "Client ID not found"}, 404),
        base_url="http://emqx.test:18083/api/v5",
    )
    with pytest.raises(emqx_client.ClientidNotFoundError) as info:
        client.clients.get(clientid="c1")
    assert str(info.value) == (
        "GET /api/v5/clients/c1: 404 CLIENTID_NOT_FOUND: Client ID not found"
    )


@pytest.mark.parametrize(
    "credentials",
    [{"api_key": "KEY"}, {"secret_key": "SECRET"}],
)
def test_half_credentials_raise_at_construction(
    credentials: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EMQX_API_KEY", raising=False)
    monkeypatch.delenv("EMQX_SECRET_KEY", raising=False)
    with pytest.raises(emqx_client.ClientOptionsError) as info:
        emqx_client.Client(**credentials)
    assert isinstance(info.value, emqx_client.EmqxError)
    assert "api_key" in str(info.value) and "secret_key" in str(info.value)
    with pytest.raises(emqx_client.ClientOptionsError):
        emqx_client.AsyncClient(**credentials)


def test_half_credentials_from_the_environment_raise_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMQX_API_KEY", "KEY")
    monkeypatch.delenv("EMQX_SECRET_KEY", raising=False)
    with pytest.raises(emqx_client.ClientOptionsError):
        emqx_client.Client()
    assert emqx_client.Client(token="a token") is not None


def test_connection_failures_are_emqx_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client, calls = make(refuse, max_retries=0)
    with pytest.raises(emqx_client.APIConnectionError) as info:
        client.nodes.list()
    assert isinstance(info.value, emqx_client.EmqxError) and len(calls) == 1


def test_docstrings_list_the_description_and_the_errors_raised() -> None:
    doc = inspect.getdoc(emqx_client.Client(api_key="k", secret_key="s").banned.create)
    assert doc is not None
    assert "`POST /banned`" in doc and "A ban that already exists" in doc
    raises = doc.split("Raises:", 1)[1]
    for expected in (
        "RequestValidationError",
        "BadRequestError: 400 (AlreadyExistsError)",
        "AuthenticationError: 401 (BadApiKeyOrSecretError",
        "UnsupportedMediaTypeError: 415",
        "APIConnectionError",
    ):
        assert expected in raises, expected
