"""The single-sign-on backends' settings, the users they signed in, and what the stub
plays of the systems around them: an LDAP directory, and the identity providers' side of
the SAML and OIDC sign-ins (the grants they would hand the browser)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

BACKENDS = ("ldap", "oidc", "saml")
VIEWER = "viewer"  # the role of a user a backend signs in for the first time


@dataclass
class OidcSession:
    """A sign-in started with `POST /sso/login/oidc`, waiting for the provider's answer."""

    nonce: str
    started_at: float  # time.monotonic()


@dataclass
class DashboardSsoState:
    # backend name -> its settings by wire name, defaults filled in, secrets in clear
    backends: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the LDAP directory the stub plays: user name -> password
    directory: dict[str, str] = field(default_factory=dict, repr=False)
    # (backend, user name) -> role: the dashboard users the backends signed in
    users: dict[tuple[str, str], str] = field(default_factory=dict)
    # OIDC `state` -> the started sign-in
    sessions: dict[str, OidcSession] = field(default_factory=dict, repr=False)
    # (backend, grant) -> user name: an OIDC authorization code, or a SAML response, that
    # the identity provider handed to the browser of that user; each is good once
    grants: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    spent: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def sign_in(self, backend: str, username: str) -> str:
        """The role of a user the backend vouches for, added as a viewer the first time."""
        return self.users.setdefault((backend, username), VIEWER)

    def start_oidc(self, expiry_s: float) -> tuple[str, OidcSession]:
        """A new sign-in `state` (the expired ones dropped first)."""
        now = time.monotonic()
        for stale in [k for k, v in self.sessions.items() if now - v.started_at >= expiry_s]:
            del self.sessions[stale]
        session = OidcSession(secrets.token_urlsafe(12), now)
        state = secrets.token_urlsafe(12)
        self.sessions[state] = session
        return state, session

    def take_session(self, state: str, expiry_s: float) -> OidcSession | None:
        """The started sign-in of `state`, which is then gone (None if unknown or expired)."""
        session = self.sessions.pop(state, None)
        if session is None or time.monotonic() - session.started_at >= expiry_s:
            return None
        return session

    def grant(self, backend: str, username: str) -> str:
        """A grant for `username` from the backend's identity provider."""
        value = secrets.token_urlsafe(18)
        self.grants[(backend, value)] = username
        return value

    def redeem(self, backend: str, value: str) -> str | None:
        """The user a grant was issued to; the grant is then spent (None: not issued, or
        spent already, which `spent` tells)."""
        username = self.grants.pop((backend, value), None)
        if username is not None:
            self.spent.add((backend, value))
        return username
