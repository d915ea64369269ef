"""Gateway Clients: the clients of a loaded gateway, kicking them out, and their
subscriptions.

What differs from EMQX: one node; clients are listed in the order they were seeded; their
traffic counters stay at zero; subscriptions are kept with the client and route nothing.
As in EMQX, every 404 carries RESOURCE_NOT_FOUND, STOMP subscriptions need
`sub_props.subid` and take the default options whatever the body says, and topics are
answered with the client's mountpoint in front.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from ... import errors, models
from ..common.paging import paginate
from ..common.topic import InvalidTopic, validate_filter
from ..state import State
from .filters import GatewayClientQuery, checks
from .state import DEFAULT_SUBOPTS, GatewayClient
from .store import loaded_clients

_CLIENT: TypeAdapter[models.GatewayClient] = TypeAdapter(models.GatewayClient)


def _client(state: State, name: str, clientid: str, message: str) -> GatewayClient:
    client = loaded_clients(state, name).get(clientid)
    if client is None:
        raise errors.resource_not_found(message)
    return client


def _subscription(topic: str, opts: dict[str, Any]) -> models.GatewaySubscription:
    return models.GatewaySubscription.model_validate({**opts, "topic": topic})


def _stomp_options(client: GatewayClient, topic: str, subid: str | None) -> dict[str, Any]:
    """STOMP's checks: a subid, not in use, for a topic not subscribed yet; the options are
    the defaults with the subid, whatever else the request asked for."""
    if subid is None:
        raise errors.bad_request("no_subid")
    for mounted, opts in client.subs.items():
        if opts.get("sub_props", {}).get("subid") == subid:
            raise errors.bad_request(f"Subscription id {subid} is in used")
        if mounted == client.mounted(topic):
            raise errors.bad_request(f"Topic {topic} already in subscribed")
    return {**DEFAULT_SUBOPTS, "sub_props": {"subid": subid}}


def subscribe(client: GatewayClient, topic: str, request: dict[str, Any]) -> dict[str, Any]:
    """Subscribe as the client's channel does; answers the options kept (call under the
    lock). `request` holds the body's options by wire names."""
    try:
        validate_filter(topic)
    except InvalidTopic as exc:
        raise errors.bad_request(str(exc)) from None
    subid = (request.get("sub_props") or {}).get("subid")
    if client.gateway == "stomp":
        opts = _stomp_options(client, topic, subid)
    else:
        opts = {**DEFAULT_SUBOPTS, **{k: v for k, v in request.items() if k != "sub_props"}}
        if subid is not None:
            opts["sub_props"] = {"subid": subid}
    client.subs[client.mounted(topic)] = opts
    return opts


class GatewayClientsApi:
    def __init__(self, state: State) -> None:
        self._state = state

    async def list_gateway_clients(
        self,
        *,
        name: models.GatewayClientsGatewayName,
        clean_start: bool | None = None,
        clientid: str | None = None,
        conn_state: str | None = None,
        endpoint_name: str | None = None,
        gte_connected_at: int | str | None = None,
        gte_created_at: int | str | None = None,
        gte_lifetime: str | None = None,
        ip_address: str | None = None,
        like_clientid: str | None = None,
        like_endpoint_name: str | None = None,
        like_username: str | None = None,
        limit: int = 100,
        lte_connected_at: int | str | None = None,
        lte_created_at: int | str | None = None,
        lte_lifetime: str | None = None,
        node: str | None = None,
        page: int = 1,
        proto_ver: str | None = None,
        username: str | None = None,
    ) -> models.GatewayClientPage:
        query = GatewayClientQuery(
            node=node,
            clientid=clientid,
            username=username,
            ip_address=ip_address,
            conn_state=conn_state,
            proto_ver=proto_ver,
            clean_start=clean_start,
            like_clientid=like_clientid,
            like_username=like_username,
            gte_created_at=gte_created_at,
            lte_created_at=lte_created_at,
            gte_connected_at=gte_connected_at,
            lte_connected_at=lte_connected_at,
            endpoint_name=endpoint_name,
            like_endpoint_name=like_endpoint_name,
            gte_lifetime=gte_lifetime,
            lte_lifetime=lte_lifetime,
        )
        with self._state.lock:
            clients = loaded_clients(self._state, name.value)
            if node is not None and node != self._state.node:
                reason = '{badrpc,<<"invalid node">>}'
                raise errors.node_down(f'bad rpc call <<"{node}">>, Reason {reason}')
            wanted = checks(query)
            found = [c for c in clients.values() if all(check(c) for check in wanted)]
            # EMQX does not count the matches of a substring search.
            chunk, meta = paginate(found, page, limit, with_count=not query.fuzzy())
            rows = [c.wire(self._state.node) for c in chunk]
        return models.GatewayClientPage.model_validate({"data": rows, "meta": meta})

    async def get_gateway_client(
        self, *, clientid: str, name: models.GatewayClientsGatewayName
    ) -> models.GatewayClient:
        with self._state.lock:
            wire = _client(self._state, name.value, clientid, "Client not found").wire(
                self._state.node
            )
        return _CLIENT.validate_python(wire)

    async def kick_gateway_client(
        self, *, clientid: str, name: models.GatewayClientsGatewayName
    ) -> None:
        with self._state.lock:
            _client(self._state, name.value, clientid, "Client not found")
            del loaded_clients(self._state, name.value)[clientid]

    async def list_gateway_client_subscriptions(
        self, *, clientid: str, name: models.GatewayClientsGatewayName
    ) -> list[models.GatewaySubscription]:
        with self._state.lock:
            client = _client(self._state, name.value, clientid, "client process not found")
            return [_subscription(topic, opts) for topic, opts in client.subs.items()]

    async def create_gateway_client_subscription(
        self,
        *,
        clientid: str,
        name: models.GatewayClientsGatewayName,
        body: models.GatewaySubscriptionCreate,
    ) -> models.GatewaySubscription:
        request = body.model_dump(mode="json", by_alias=True, exclude_none=True)
        topic = request.pop("topic")
        with self._state.lock:
            client = _client(self._state, name.value, clientid, "client process not found")
            opts = subscribe(client, topic, request)
            return _subscription(client.mounted(topic), opts)

    async def delete_gateway_client_subscription(
        self, *, clientid: str, name: models.GatewayClientsGatewayName, topic: str
    ) -> None:
        with self._state.lock:
            client = loaded_clients(self._state, name.value).get(clientid)
            if client is None or client.mounted(topic) not in client.subs:
                raise errors.resource_not_found("Resource not found")
            del client.subs[client.mounted(topic)]
