"""The documents of the SAML and OIDC sign-ins, as the stub plays both sides: where the
dashboard sends the browser, the service provider metadata, the SAML response the stub's
identity provider posts back, and the dashboard address a finished sign-in returns to."""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from html import escape
from typing import Any
from urllib.parse import urlencode, urlsplit

API = "/api/v5"
_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
_ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion"
_METADATA = "urn:oasis:names:tc:SAML:2.0:metadata"
_ID = re.compile(r'<samlp:Response\b[^>]*\bID="([^"]+)"')
_NAME_ID = re.compile(r"<saml:NameID\b[^>]*>([^<]*)</saml:NameID>")
_VAR = re.compile(r"\$\{([^}]*)\}")


def _sp_urls(dashboard_addr: str) -> tuple[str, str]:
    """The service provider's entity id (its metadata URL) and assertion consumer URL."""
    base = dashboard_addr + API
    return base + "/sso/saml/metadata", base + "/sso/saml/acs"


def saml_login_url(config: dict[str, Any], request_id: str) -> str:
    """The identity provider's sign-in address (where its metadata is served, at
    `/saml/sso`) with a deflated, base64 AuthnRequest, as the HTTP-Redirect binding has it."""
    entity, acs = _sp_urls(config["dashboard_addr"])
    request = (
        f'<samlp:AuthnRequest xmlns:samlp="{_PROTOCOL}" xmlns:saml="{_ASSERTION}" '
        f'ID="{request_id}" Version="2.0" AssertionConsumerServiceURL="{escape(acs)}">'
        f"<saml:Issuer>{escape(entity)}</saml:Issuer></samlp:AuthnRequest>"
    )
    deflater = zlib.compressobj(wbits=-15)
    packed = deflater.compress(request.encode()) + deflater.flush()
    idp = urlsplit(config["idp_metadata_url"])
    query = urlencode({"SAMLRequest": base64.b64encode(packed).decode(), "RelayState": ""})
    return f"{idp.scheme}://{idp.netloc}/saml/sso?{query}"


def sp_metadata(config: dict[str, Any]) -> str:
    """The service provider metadata of the dashboard."""
    entity, acs = _sp_urls(config["dashboard_addr"])
    signing = ""
    if config.get("sp_sign_request"):
        cert = "".join(
            line
            for line in str(config.get("sp_public_key", "")).splitlines()
            if line and not line.startswith("-----")
        )
        signing = (
            '<md:KeyDescriptor use="signing"><ds:KeyInfo '
            'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>'
            f"{escape(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        )
    sign = "true" if config.get("sp_sign_request") else "false"
    return (
        '<?xml version="1.0"?>'
        f'<md:EntityDescriptor xmlns:md="{_METADATA}" entityID="{escape(entity)}">'
        f'<md:SPSSODescriptor AuthnRequestsSigned="{sign}" WantAssertionsSigned="true" '
        f'protocolSupportEnumeration="{_PROTOCOL}">{signing}'
        '<md:AssertionConsumerService isDefault="true" index="0" '
        'Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        f'Location="{escape(acs)}"/></md:SPSSODescriptor>'
        '<md:Organization><md:OrganizationName xml:lang="en">EMQX</md:OrganizationName>'
        '<md:OrganizationDisplayName xml:lang="en">EMQX Dashboard</md:OrganizationDisplayName>'
        f'<md:OrganizationURL xml:lang="en">{escape(config["dashboard_addr"])}'
        "</md:OrganizationURL></md:Organization></md:EntityDescriptor>"
    )


def saml_response(grant: str, username: str) -> str:
    """The SAML response (base64) the stub's identity provider posts for `username`."""
    xml = (
        f'<samlp:Response xmlns:samlp="{_PROTOCOL}" xmlns:saml="{_ASSERTION}" ID="{grant}" '
        f'Version="2.0"><saml:Assertion><saml:Subject><saml:NameID>{escape(username)}'
        "</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>"
    )
    return base64.b64encode(xml.encode()).decode()


def read_saml_response(value: str | None) -> tuple[str, str] | str:
    """The response's id and subject, or why it cannot be read (EMQX's reason term)."""
    if not value:
        return "{bad_decode,badarg}"
    try:
        xml = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return "{bad_decode,badarg}"
    found_id, found_name = _ID.search(xml), _NAME_ID.search(xml)
    if found_id is None or found_name is None:
        return "bad_assertion"
    return found_id.group(1), found_name.group(1)


def oidc_login_url(config: dict[str, Any], state: str, nonce: str, verifier: str) -> str:
    """The provider's authorization endpoint (`<issuer>/authorize`) with the request."""
    params = {
        "response_type": "code",
        "client_id": config["clientid"],
        "redirect_uri": config["dashboard_addr"] + API + "/sso/oidc/callback",
        "scope": " ".join(config["scopes"]),
        "state": state,
        "nonce": nonce,
    }
    if config.get("require_pkce"):
        params["code_challenge"] = verifier
        params["code_challenge_method"] = "plain"
    issuer = str(config["issuer"]).rstrip("/")
    return f"{issuer}/authorize?{urlencode(params)}"


def oidc_username(name_var: str, username: str) -> str:
    """The dashboard user name `name_var` makes from the claims of the stub provider's
    user information (`sub`, `preferred_username` and `name` are the user's name); a
    claim it does not have reads `undefined`."""
    claims = {"sub": username, "preferred_username": username, "name": username}
    return _VAR.sub(lambda m: claims.get(m.group(1).strip(), "undefined"), name_var)


def dashboard_return(dashboard_addr: str, login_meta: dict[str, Any]) -> str:
    """Where a finished sign-in sends the browser: the dashboard, the login answer in
    the query."""
    meta = base64.b64encode(json.dumps(login_meta).encode()).decode()
    return f"{dashboard_addr}/?login_meta={meta}"
