"""The single-sign-on state and settings: sign-ins add viewers once, OIDC sessions and
identity provider grants are good once, secrets are masked and kept, and settings EMQX
refuses are refused."""

from __future__ import annotations

import time

import pytest
from emqx_server_stub.backend.dashboard_single_sign_on import flows
from emqx_server_stub.backend.dashboard_single_sign_on.settings import masked, prepared
from emqx_server_stub.backend.dashboard_single_sign_on.state import DashboardSsoState
from emqx_server_stub.errors import ApiError


def test_a_first_sign_in_makes_a_viewer_and_a_later_one_keeps_the_role() -> None:
    state = DashboardSsoState()
    assert state.sign_in("ldap", "alice") == "viewer"
    state.users[("ldap", "alice")] = "administrator"
    assert state.sign_in("ldap", "alice") == "administrator"
    assert state.sign_in("saml", "alice") == "viewer"  # another backend, another user


def test_an_oidc_session_is_taken_once_and_expires() -> None:
    state = DashboardSsoState()
    key, _ = state.start_oidc(30)
    assert state.take_session(key, 30) is not None
    assert state.take_session(key, 30) is None
    old, session = state.start_oidc(30)
    session.started_at = time.monotonic() - 31
    assert state.take_session(old, 30) is None


def test_a_grant_is_redeemed_once_and_then_spent() -> None:
    state = DashboardSsoState()
    code = state.grant("oidc", "dave")
    assert state.redeem("oidc", code) == "dave"
    assert state.redeem("oidc", code) is None and ("oidc", code) in state.spent
    assert state.redeem("saml", "never-issued") is None


def test_secrets_are_masked_and_a_masked_secret_keeps_the_stored_one() -> None:
    sent = {"backend": "ldap", "server": "h:389", "username": "u", "password": "p", "base_dn": "b"}
    stored = prepared("ldap", sent, None)
    assert stored["pool_size"] == 8 and stored["password"] == "p"
    assert masked(stored)["password"] == "******"
    again = prepared("ldap", {**sent, "password": "******"}, stored)
    assert again["password"] == "p"


@pytest.mark.parametrize(
    ("backend", "sent", "message"),
    [
        ("saml", {"backend": "ldap"}, "Reason: invalid_config"),
        (
            "saml",
            {"backend": "saml", "enable": True, "idp_metadata_url": "idp"},
            "Failed to load metadata",
        ),
        (
            "saml",
            {"backend": "saml", "sp_sign_request": True, "sp_private_key": "not a key"},
            "Reason: Failed to save sp signing key(s)",
        ),
        ("oidc", {"backend": "oidc", "session_expiry": "later"}, "session_expiry: not a duration"),
    ],
)
def test_settings_emqx_refuses(backend: str, sent: dict[str, object], message: str) -> None:
    with pytest.raises(ApiError) as refused:
        prepared(backend, sent, None)
    assert (refused.value.status, refused.value.message) == (400, message)


def test_the_saml_response_of_the_stub_provider_reads_back() -> None:
    assert flows.read_saml_response(flows.saml_response("id1", "carol")) == ("id1", "carol")
    assert flows.read_saml_response("%%%") == "{bad_decode,badarg}"
    assert flows.oidc_username("${preferred_username}@corp", "eve") == "eve@corp"
    assert flows.oidc_username("${email}", "eve") == "undefined"
