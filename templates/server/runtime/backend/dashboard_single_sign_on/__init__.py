"""Dashboard single sign-on (enterprise build): LDAP, SAML 2.0 and OIDC backends, their
settings, and signing in through them for a bearer token.

The area dashboard_single_sign_on: handler.py, state.py."""
