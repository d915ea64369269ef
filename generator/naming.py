"""Every name the generated code uses is computed here, once."""

from __future__ import annotations

import builtins
import keyword
import re

_WORD = re.compile(r"[A-Za-z0-9]+")
_RESERVED = set(keyword.kwlist) | {
    "self",
    "cls",
    "body",
    "options",
    "timeout",
    "extra_headers",
    "async",
}


# Protocol and product names written in mixed case that are one word each (`LwM2M
# Gateways` -> `lwm2m_gateways`, not `lw_m2_m_gateways`).
_ONE_WORD = re.compile(r"LwM2M|CoAP|ExHook|ExProto|MQTT-SN")


def words(text: str) -> list[str]:
    """Split `API Keys`, `api_key`, `apiKey`, `clean-start` into lower-case words."""
    text = _ONE_WORD.sub(lambda m: m.group(0).replace("-", "").capitalize(), text)
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return [w.lower() for w in _WORD.findall(spaced)]


def snake(text: str) -> str:
    name = "_".join(words(text)) or "x"
    if name[0].isdigit():
        name = f"n_{name}"
    return name


def pascal(text: str) -> str:
    name = "".join(w.capitalize() for w in words(text)) or "X"
    if name[0].isdigit():
        name = f"N{name}"
    return name


def identifier(text: str) -> str:
    """A Python identifier for a parameter or attribute; keywords get a trailing underscore."""
    name = snake(text)
    return f"{name}_" if name in _RESERVED else name


def tag_module(tag: str) -> str:
    """`API Keys` -> `api_keys`: the resource module, router module and client attribute."""
    return snake(tag)


def tag_class(tag: str) -> str:
    """`API Keys` -> `ApiKeys`: resource and handler class stems."""
    return pascal(tag)


def error_class(code: str) -> str:
    """`CLIENTID_NOT_FOUND` -> `ClientidNotFoundError`; a name Python already has
    (`NOT_IMPLEMENTED` -> NotImplementedError) gets an `Emqx` prefix."""
    stem = pascal(code)
    name = stem if stem.endswith("Error") else f"{stem}Error"
    return f"Emqx{name}" if hasattr(builtins, name) else name


def error_helper(code: str) -> str:
    """`CLIENTID_NOT_FOUND` -> `clientid_not_found`: the stub's error helper function."""
    return identifier(code)


_STATUS_ERRORS = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    415: "UnsupportedMediaTypeError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    503: "ServiceUnavailableError",
}


STATUS_ERROR_CLASSES = frozenset(_STATUS_ERRORS.values()) | {
    "InternalServerError",
    "APIStatusError",
}


def status_error_class(status: int) -> str:
    """The client exception class for an HTTP status (one place; the runtime mirrors it)."""
    if status in _STATUS_ERRORS:
        return _STATUS_ERRORS[status]
    return "InternalServerError" if status >= 500 else "APIStatusError"
