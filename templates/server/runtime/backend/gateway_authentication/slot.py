"""Where a gateway authenticator lives: the gateway itself or one of its listeners.

Shared by the Gateway Authentication and Gateway Listeners areas. A `Slot` names one
place that may hold an authenticator (`GatewayRecord.authn` or an entry of
`GatewayRecord.listener_authn`) and carries the names EMQX uses for it in messages:
its chain, its configuration path and the label of `already exist`/`not found`.

What differs from EMQX: the configuration is kept exactly as sent (EMQX keeps the raw
configuration too, so this is what it answers), and the authenticator never checks a
client. A listener's authenticator is kept under the listener's id even when the
listener is later removed by another area; it is then not found, as in EMQX.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ... import errors
from ..._responses import Answer
from ..common.authn_config import authenticator_id, stored_form
from ..common.edition_branches import refuse_enterprise_authenticator
from ..gateways.state import GatewayAuthn, GatewayRecord, require_served
from ..state import State

# The chain of a gateway's own authenticator (emqx_gateway_utils:global_chain/1).
_GLOBAL_CHAIN = {
    "coap": "coap:global",
    "exproto": "exproto:global",
    "lwm2m": "lwm2m:global",
    "mqttsn": "mqtt-sn:global",
    "stomp": "stomp:global",
    "gbt32960": "gbt32960:global",
    "jt808": "jt808:global",
    "ocpp": "ocpp:global",
}


def loaded_gateway(state: State, name: str) -> GatewayRecord:
    require_served(state.edition, name)
    record = state.gateways.loaded.get(name)
    if record is None:
        raise errors.resource_not_found("Gateway not loaded", status=404)
    return record


@dataclass
class Slot:
    """The authenticator place of a loaded gateway (`listener` None) or of a listener
    (`listener` the key `{gateway}:{type}:{name}` of `GatewayRecord.listeners`)."""

    record: GatewayRecord
    listener: str | None = None

    @property
    def label(self) -> str:
        return self.listener or self.record.name

    @property
    def chain_name(self) -> str:
        return self.listener or _GLOBAL_CHAIN[self.record.name]

    @property
    def config_path(self) -> str:
        if self.listener is None:
            return f"gateway.{self.record.name}.authentication"
        _, ltype, lname = self.listener.split(":", 2)
        return f"gateway.{self.record.name}.listeners.{ltype}.{lname}.authentication"

    def listener_exists(self) -> bool:
        return self.listener is None or self.listener in self.record.listeners

    def current(self) -> GatewayAuthn | None:
        """The authenticator, if there is one (none for a listener that does not exist)."""
        if self.listener is None:
            return self.record.authn
        if self.listener not in self.record.listeners:
            return None
        return self.record.listener_authn.get(self.listener)

    def put(self, authn: GatewayAuthn | None) -> None:
        if self.listener is None:
            self.record.authn = authn
        elif authn is None:
            self.record.listener_authn.pop(self.listener, None)
        else:
            self.record.listener_authn[self.listener] = authn

    def required(self) -> GatewayAuthn:
        """The authenticator for the user operations, or EMQX's 404 naming the
        configuration path it did not find."""
        authn = self.current()
        if authn is None:
            raise errors.resource_not_found(f"Resource not found. path: {self.config_path}")
        return authn

    def _missing_listener(self) -> errors.ApiError:
        return errors.bad_request(f"Listener {self.listener} not found", status=400)

    # -- the authenticator itself ------------------------------------------------------

    def read(self) -> dict[str, Any] | None:
        """The stored configuration with `id` and `chain_name`, or None (EMQX's 204)."""
        authn = self.current()
        if authn is None:
            return None
        return {**authn.config, "id": authenticator_id(authn.config), "chain_name": self.chain_name}

    def create(self, config: dict[str, Any]) -> dict[str, Any]:
        if not self.listener_exists():
            raise self._missing_listener()
        if self.current() is not None:
            raise errors.bad_request(f"The authentication already exist on {self.label}")
        self.put(GatewayAuthn(config=dict(config)))
        return config

    def update(self, config: dict[str, Any]) -> dict[str, Any]:
        if not self.listener_exists():
            raise self._missing_listener()
        authn = self.current()
        if authn is None:
            raise errors.bad_request(f"The authentication not found on {self.label}")
        if authenticator_id(config) != authenticator_id(authn.config):
            raise errors.bad_request(
                "Bad authentication config: change_of_authentication_type_is_not_allowed"
            )
        authn.config = dict(config)
        return config

    def remove(self) -> None:
        """Idempotent, as in EMQX; a built-in database's users go with it."""
        self.put(None)


def gateway_slot(state: State, name: str) -> Slot:
    return Slot(loaded_gateway(state, name))


def listener_slot(state: State, name: str, listener_id: str) -> Slot:
    """The slot of a listener of a loaded gateway. As in EMQX, the id must have three
    `:`-separated parts, of which only the type and name are used."""
    record = loaded_gateway(state, name)
    parts = listener_id.split(":")
    if len(parts) != 3:
        raise errors.resource_not_found(f"Listener not found: {listener_id}")
    return Slot(record, f"{name}:{parts[1]}:{parts[2]}")


def config_of(body: Any, edition: str) -> dict[str, Any]:
    """An authenticator body by its wire names, as it was sent (EMQX checks the body,
    with the checks the Authentication area's `stored_form` makes, but keeps it as is;
    the open-source build refuses the enterprise authenticators)."""
    refuse_enterprise_authenticator(edition, "GatewayAuthenticator", stored_form(body))
    dumped: dict[str, Any] = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    dumped.pop("id", None)
    return dumped


def read_answer(slot: Slot) -> Answer:
    """GET's answer: the configuration with `id` and `chain_name`, or 204."""
    found = slot.read()
    return Answer(found, 200) if found is not None else Answer(None, 204)
