"""Secrets are hidden in the repr and str of models and never logged, checked by
searching the captured output for the secret values."""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from emqx_client import _base_client, _secrets, models

from tests.client._mock import make

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "eyJ-the-bearer-token-value"
API_SECRET = "the-api-secret-value"
PASSWORD = "the-password-value"
KEY_SECRET = "s3cr3t-basic-password"


def login_answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, json={"token": TOKEN, "version": "5.8.9", "license": {"edition": "opensource"}}
    )


def test_the_spec_marks_the_usual_secrets() -> None:
    assert {"token", "api_secret", "password", "secret", "keyfile", "bind_password"} <= (
        _secrets.SECRET_FIELDS
    )
    assert "username" not in _secrets.SECRET_FIELDS


def test_repr_and_str_hide_the_token_and_the_api_secret_but_keep_the_values() -> None:
    login = models.LoginResponse.model_validate(
        {"token": TOKEN, "version": "5.8.9", "license": {"edition": "opensource"}}
    )
    key = models.ApiKeyWithSecret.model_validate(
        {
            "name": "k1",
            "api_key": "a1",
            "api_secret": API_SECRET,
            "enable": True,
            "desc": "",
            "expired": False,
            "expired_at": "infinity",
            "created_at": "2026-01-01T00:00:00+00:00",
        }
    )
    shown = "\n".join([repr(login), str(login), repr(key), str(key), f"{login!r} {key}"])
    assert TOKEN not in shown and API_SECRET not in shown
    assert "token='**********'" in repr(login) and "api_key='a1'" in repr(key)
    assert login.token == TOKEN and key.api_secret == API_SECRET
    assert login.model_dump()["token"] == TOKEN


def test_a_nested_password_and_an_unknown_field_are_hidden() -> None:
    authn = models.AuthnPasswordBasedMysql.model_validate(
        {
            "mechanism": "password_based",
            "backend": "mysql",
            "server": "db:3306",
            "database": "mqtt",
            "username": "root",
            "password": PASSWORD,
            "query": "SELECT 1",
            "secret": "an unknown field named like a secret",
        }
    )
    assert PASSWORD not in repr(authn) and PASSWORD not in str(authn)
    assert "an unknown field" not in repr(authn)
    assert "username='root'" in repr(authn)


def test_debug_logs_hide_the_password_sent_the_token_answered_and_the_credentials(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, _ = make(login_answer, api_key="key-id", secret_key=KEY_SECRET)
    with caplog.at_level(logging.DEBUG, logger="emqx_client"):
        login = client.dashboard.login(body={"username": "admin", "password": PASSWORD})
        print(login)
    text = caplog.text
    assert "POST http://emqx.test/api/v5/login" in text and "200" in text
    assert "'username': 'admin'" in text
    for secret in (PASSWORD, TOKEN, KEY_SECRET):
        assert secret not in text
    assert base64.b64encode(f"key-id:{KEY_SECRET}".encode()).decode() not in text


@pytest.mark.parametrize("level", ["debug", "info"])
def test_emqx_log_switches_logging_on_without_secrets(level: str) -> None:
    script = f"""
import httpx, emqx_client
def answer(request):
    return httpx.Response(200, json={{"token": "{TOKEN}", "version": "5.8.9",
                                      "license": {{"edition": "opensource"}}}})
client = emqx_client.Client(base_url="http://emqx.test/api/v5", api_key="k",
    secret_key="{KEY_SECRET}", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
print(repr(client.dashboard.login(body={{"username": "admin", "password": "{PASSWORD}"}})))
"""
    env = {**os.environ, "EMQX_LOG": level, "PYTHONPATH": str(ROOT / "generated")}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "POST http://emqx.test/api/v5/login -> 200" in done.stderr
    assert ("headers=" in done.stderr) == (level == "debug")
    captured = done.stdout + done.stderr
    for secret in (PASSWORD, TOKEN, KEY_SECRET):
        assert secret not in captured


def test_a_secret_the_tolerant_reader_keeps_is_not_logged(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The client logs what it tolerated once per operation and field in a process; an
    # earlier test of the session may already have logged this one.
    monkeypatch.setattr(_base_client, "_logged", set())

    def answer(request: httpx.Request) -> httpx.Response:
        body = {"token": {"jwt": TOKEN}, "version": "5.8.9", "license": {"edition": "opensource"}}
        return httpx.Response(200, json=body)

    client, _ = make(answer)
    with caplog.at_level(logging.DEBUG, logger="emqx_client"):
        login = client.dashboard.login(body={"username": "admin", "password": PASSWORD})
    assert login.token == {"jwt": TOKEN}
    assert "tolerated .token: kept (a secret: value not logged)" in caplog.text
    assert TOKEN not in caplog.text and TOKEN not in repr(login)
