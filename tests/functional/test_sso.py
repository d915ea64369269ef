"""Dashboard single sign-on (enterprise build) through the generated client against the
`ee` stub: the backends' settings and status, LDAP sign-in for a token, the SAML and OIDC
redirects and their return legs, and the SAML service provider metadata."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import emqx_client
import pytest

from tests.functional.conftest import LiveStub, checked_client

LDAP = {
    "backend": "ldap",
    "enable": True,
    "server": "ldap.example.com:389",
    "username": "cn=root,dc=emqx,dc=io",
    "password": "root-secret",
    "base_dn": "ou=dashboard,dc=emqx,dc=io",
}
SAML = {
    "backend": "saml",
    "enable": True,
    "dashboard_addr": "https://dash.example.com:18083",
    "idp_metadata_url": "https://idp.example.com/app/metadata",
}
OIDC = {
    "backend": "oidc",
    "enable": True,
    "issuer": "https://accounts.example.com",
    "clientid": "emqx-dashboard",
    "secret": "client-secret",
    "dashboard_addr": "http://dash.example.com:18083",
}


@pytest.fixture()
def sso(ee_client: Any) -> Iterator[Any]:
    yield ee_client
    for status in ee_client.dashboard_single_sign_on.sso_backends.list():
        ee_client.dashboard_single_sign_on.sso_backends.delete(backend=status.backend)


def login_meta(location: str, dashboard_addr: str) -> dict[str, Any]:
    assert location.startswith(f"{dashboard_addr}/?login_meta=")
    decoded: dict[str, Any] = json.loads(base64.b64decode(location.split("login_meta=", 1)[1]))
    return decoded


def test_settings_are_stored_listed_masked_and_removed(sso: Any) -> None:
    assert sso.dashboard_single_sign_on.sso_backends.list() == []
    answer = sso.dashboard_single_sign_on.sso_backends.update(backend="ldap", body=LDAP)
    assert answer.password == "******" and answer.filter.startswith("(& (objectClass=person)")
    stored = sso.dashboard_single_sign_on.sso_backends.get(backend="ldap")
    assert (stored.server, stored.password, stored.pool_size) == (
        "ldap.example.com:389",
        "******",
        8,
    )
    sso.dashboard_single_sign_on.sso_backends.update(backend="oidc", body={**OIDC, "enable": False})
    statuses = [
        (s.backend.value, s.enable, s.running)
        for s in sso.dashboard_single_sign_on.sso_backends.list()
    ]
    assert statuses == [("ldap", True, True), ("oidc", False, False)]
    assert [b.value for b in sso.dashboard_single_sign_on.list_running_sso_backends()] == ["ldap"]
    oidc = sso.dashboard_single_sign_on.sso_backends.get(backend="oidc")
    assert (oidc.secret, oidc.scopes, oidc.name_var) == (
        "******",
        ["openid"],
        "${sub}",
    )
    sso.dashboard_single_sign_on.sso_backends.delete(backend="oidc")
    with pytest.raises(emqx_client.NotFoundError) as missing:
        sso.dashboard_single_sign_on.sso_backends.get(backend="oidc")
    assert (missing.value.code, missing.value.message) == ("BACKEND_NOT_FOUND", "Backend not found")


def test_a_masked_secret_keeps_the_stored_one(sso: Any, ee_stub: LiveStub) -> None:
    sso.dashboard_single_sign_on.sso_backends.update(backend="ldap", body=LDAP)
    sso.dashboard_single_sign_on.sso_backends.update(
        backend="ldap", body={**LDAP, "password": "******"}
    )
    assert ee_stub.backend._state.sso.backends["ldap"]["password"] == "root-secret"


def test_refused_settings_change_nothing(sso: Any) -> None:
    with pytest.raises(emqx_client.BadRequestError) as other:
        sso.dashboard_single_sign_on.sso_backends.update(backend="saml", body=LDAP)
    assert other.value.message == "Reason: invalid_config"
    with pytest.raises(emqx_client.BadRequestError) as metadata:
        sso.dashboard_single_sign_on.sso_backends.update(
            backend="saml", body={**SAML, "idp_metadata_url": "not a url"}
        )
    assert metadata.value.message == "Failed to load metadata"
    with pytest.raises(emqx_client.BadRequestError):
        sso.dashboard_single_sign_on.sso_backends.update(
            backend="ldap", body={**LDAP, "query_timeout": "soon"}
        )
    assert sso.dashboard_single_sign_on.sso_backends.list() == []
    with pytest.raises(emqx_client.NotFoundError) as missing:
        sso.dashboard_single_sign_on.sso_backends.delete(backend="ldap")
    assert missing.value.code == "BACKEND_NOT_FOUND"


def test_ldap_sign_in_gives_a_viewer_token_that_works(
    sso: Any, ee_stub: LiveStub, checker: Any
) -> None:
    sso.dashboard_single_sign_on.sso_backends.update(backend="ldap", body=LDAP)
    ee_stub.backend.add_ldap_user("alice", "alice-password")
    answer = sso.dashboard_single_sign_on.sso_login(
        backend="ldap", body={"backend": "ldap", "username": "alice", "password": "alice-password"}
    )
    assert isinstance(answer, emqx_client.models.SsoLoginResponse)
    assert (answer.username, answer.role, answer.backend.value, answer.version) == (
        "alice",
        "viewer",
        "ldap",
        "5.8.9",
    )
    with checked_client(ee_stub, checker, token=answer.token) as alice:
        assert [s.backend.value for s in alice.dashboard_single_sign_on.sso_backends.list()] == [
            "ldap"
        ]
        with pytest.raises(emqx_client.PermissionDeniedError) as viewer:
            alice.dashboard_single_sign_on.sso_backends.delete(backend="ldap")
        assert viewer.value.code == "UNAUTHORIZED_ROLE"


def test_ldap_sign_in_failures(sso: Any, ee_stub: LiveStub) -> None:
    login = {"backend": "ldap", "username": "bob", "password": "bob-password"}
    with pytest.raises(emqx_client.NotFoundError) as unconfigured:
        sso.dashboard_single_sign_on.sso_login(backend="ldap", body=login)
    assert unconfigured.value.code == "BACKEND_NOT_FOUND"
    sso.dashboard_single_sign_on.sso_backends.update(backend="ldap", body=LDAP)
    with pytest.raises(emqx_client.AuthenticationError) as unknown:
        sso.dashboard_single_sign_on.sso_login(backend="ldap", body=login)
    assert (unknown.value.code, unknown.value.message) == ("BAD_USERNAME_OR_PWD", "Auth failed")
    assert unknown.value.body["reason"] == "user_not_found"
    ee_stub.backend.add_ldap_user("bob", "other-password")
    with pytest.raises(emqx_client.AuthenticationError) as wrong:
        sso.dashboard_single_sign_on.sso_login(backend="ldap", body=login)
    assert wrong.value.body["reason"] == {"result": "invalidCredentials"}


def test_saml_sign_in_round_trip(sso: Any, ee_stub: LiveStub) -> None:
    sso.dashboard_single_sign_on.sso_backends.update(backend="saml", body=SAML)
    moved = sso.dashboard_single_sign_on.sso_login(backend="saml", body={"backend": "saml"})
    assert isinstance(moved, emqx_client.Redirect) and moved.status == 302
    assert moved.location.startswith("https://idp.example.com/saml/sso?")
    assert "SAMLRequest" in parse_qs(urlsplit(moved.location).query)
    posted = ee_stub.backend.sso_grant("saml", "carol")
    back = sso.dashboard_single_sign_on.sso_saml_acs(
        body=urlencode({"SAMLResponse": posted, "RelayState": ""})
    )
    meta = login_meta(back.location, SAML["dashboard_addr"])
    assert (meta["username"], meta["role"], meta["backend"]) == ("carol", "viewer", "saml")
    with pytest.raises(emqx_client.PermissionDeniedError) as replayed:
        sso.dashboard_single_sign_on.sso_saml_acs(body=urlencode({"SAMLResponse": posted}))
    assert replayed.value.code == "UNAUTHORIZED"
    assert "duplicate" in replayed.value.message


def test_saml_failures(sso: Any) -> None:
    with pytest.raises(emqx_client.NotFoundError):
        sso.dashboard_single_sign_on.sso_saml_acs(body="SAMLResponse=x")
    with pytest.raises(emqx_client.NotFoundError):
        sso.dashboard_single_sign_on.get_sso_saml_metadata()
    sso.dashboard_single_sign_on.sso_backends.update(backend="saml", body={**SAML, "enable": False})
    with pytest.raises(emqx_client.NotFoundError):
        sso.dashboard_single_sign_on.sso_login(backend="saml", body={"backend": "saml"})
    sso.dashboard_single_sign_on.sso_backends.update(backend="saml", body=SAML)
    forged = base64.b64encode(b"<samlp:Response/>").decode()
    with pytest.raises(emqx_client.PermissionDeniedError) as refused:
        sso.dashboard_single_sign_on.sso_saml_acs(body=urlencode({"SAMLResponse": forged}))
    assert refused.value.message.startswith("Access denied, assertion failed validation:")


def test_saml_metadata_is_xml(sso: Any) -> None:
    sso.dashboard_single_sign_on.sso_backends.update(backend="saml", body=SAML)
    xml = sso.dashboard_single_sign_on.get_sso_saml_metadata()
    assert isinstance(xml, str) and "<md:EntityDescriptor" in xml
    assert 'Location="https://dash.example.com:18083/api/v5/sso/saml/acs"' in xml


def test_oidc_sign_in_round_trip(sso: Any, ee_stub: LiveStub) -> None:
    sso.dashboard_single_sign_on.sso_backends.update(backend="oidc", body=OIDC)
    moved = sso.dashboard_single_sign_on.sso_login(backend="oidc", body={"backend": "oidc"})
    assert isinstance(moved, emqx_client.Redirect)
    assert moved.location.startswith("https://accounts.example.com/authorize?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(moved.location).query).items()}
    assert query["client_id"] == "emqx-dashboard"
    assert query["redirect_uri"] == "http://dash.example.com:18083/api/v5/sso/oidc/callback"
    code = ee_stub.backend.sso_grant("oidc", "dave")
    back = sso.dashboard_single_sign_on.sso_oidc_callback(state=query["state"], code=code)
    meta = login_meta(back.location, OIDC["dashboard_addr"])
    assert (meta["username"], meta["role"], meta["backend"]) == ("dave", "viewer", "oidc")
    with pytest.raises(emqx_client.AuthenticationError) as used:
        sso.dashboard_single_sign_on.sso_oidc_callback(state=query["state"], code=code)
    assert (used.value.code, used.value.message) == ("BAD_USERNAME_OR_PWD", "session_not_exists")


def test_oidc_failures(sso: Any) -> None:
    with pytest.raises(emqx_client.NotFoundError):
        sso.dashboard_single_sign_on.sso_oidc_callback(state="s", code="c")
    sso.dashboard_single_sign_on.sso_backends.update(backend="oidc", body={**OIDC, "enable": False})
    with pytest.raises(emqx_client.AuthenticationError) as disabled:
        sso.dashboard_single_sign_on.sso_login(backend="oidc", body={"backend": "oidc"})
    assert disabled.value.body["reason"] == "No valid OIDC provider"
    sso.dashboard_single_sign_on.sso_backends.update(backend="oidc", body=OIDC)
    with pytest.raises(emqx_client.BadRequestError) as no_state:
        sso.dashboard_single_sign_on.sso_oidc_callback(code="c")
    assert no_state.value.message == "Invalid query string"
    moved = sso.dashboard_single_sign_on.sso_login(backend="oidc", body={"backend": "oidc"})
    state = parse_qs(urlsplit(moved.location).query)["state"][0]
    with pytest.raises(emqx_client.AuthenticationError) as bad_code:
        sso.dashboard_single_sign_on.sso_oidc_callback(state=state, code="never-issued")
    assert "invalid_grant" in bad_code.value.message


def test_a_login_body_for_another_backend_is_refused(sso: Any) -> None:
    sso.dashboard_single_sign_on.sso_backends.update(backend="ldap", body=LDAP)
    with pytest.raises(emqx_client.BadRequestError):
        sso.dashboard_single_sign_on.sso_login(backend="ldap", body={"backend": "oidc"})
