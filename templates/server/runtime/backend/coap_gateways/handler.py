"""CoAP Gateways: a request to a CoAP client, answered with the client's response.

What differs from EMQX: a seeded CoAP client answers at once, echoing the request payload
with `{ok,content}`, or with the reply set by `InMemoryBackend.set_coap_reply`; one seeded
with `responsive=False` never answers, and the stub gives up at once with 504 instead of
waiting for `timeout`.
"""

from __future__ import annotations

import base64
import binascii

from ... import errors, models
from ..gateway_clients.state import COAP_OK
from ..gateway_clients.store import connected_device, seeded
from ..state import State

_OCTETS = "application/octet-stream"


class CoapGatewaysApi:
    def __init__(self, state: State) -> None:
        self._state = state

    async def send_coap_request(
        self, *, clientid: str, body: models.CoapRequest
    ) -> models.CoapResponse:
        octets = body.content_type.value == _OCTETS
        payload = body.payload or ""
        if octets:
            try:
                base64.b64decode(payload, validate=True)
            except (binascii.Error, ValueError):
                raise errors.bad_request("payload: not base64") from None
        with self._state.lock:
            device = connected_device(self._state, "coap", clientid)
            if not device.responsive:
                raise errors.client_not_response()
            code, answer = device.coap_reply or (COAP_OK, None)
            message_id = next(self._state.gateway_clients.coap_ids) % 65536
        return models.CoapResponse(
            id=message_id,
            token=body.token or "",
            method=code,
            payload=payload if answer is None else _encoded(answer, octets),
        )


def _encoded(payload: str, octets: bool) -> str:
    return base64.b64encode(payload.encode()).decode() if octets else payload


def set_reply(state: State, clientid: str, code: str, payload: str | None) -> None:
    """Make a seeded CoAP client answer every request with this code and payload
    (None: echo the request's payload) (KeyError if the client is unknown)."""
    with state.lock:
        seeded(state, "coap", clientid).coap_reply = (code, payload)
