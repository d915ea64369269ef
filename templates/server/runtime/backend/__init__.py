"""An in-memory backend for the stub: one EMQX node whose state lives in this process.

backend = InMemoryBackend(api_key="key", secret_key="secret")
backend.add_client("sensor-01", username="alice")
app = create_app(backend.handlers())

Layout. One folder per area, named as the tag's module (`clients/`, `rules/`, ...):
`handler.py` holds `{Tag}Api`, the tag's handler, which keeps nothing but the shared
`State`; `state.py` holds the area's records (dataclasses) and imports nothing of another
area. `state.py` here composes every area's state into one `State`, the only place state
lives. `_handlers.py` is rendered from the spec's tag list and wires `{Tag}Api(state)`
into each slot of `Handlers`; `_backend.py` is the authenticator and the seeding API.
`common/` holds helpers any area may use; `integration/` is the data-integration table
that several tags share.

Links between areas, each through the named module only:
- Connectors, Actions, Sources and the v1 Bridges work on `integration/` (its table in
  `state.py`, the operations in `bridge_v2_ops.py` and `connector_store.py`); v1 bridges
  are an action (or source) and its connector seen as one (`bridges/v1_convert.py`).
- Rules use actions and sources by id: `integration/bridge_v2.py` reads the rules'
  records (`RuleRecord.actions`, `.froms`) to find the rules that name one.
- Authorization rules need their source: `authorization/rules.py` checks the
  `built_in_database` source in `State.authz_sources` (the same area).
- Which nodes run: `cluster/members.py` (`running_nodes`), for bridges, connectors,
  relup, telemetry, trace and load rebalance.
- Eviction: `load_rebalance/progress.py` owns the nodes' eviction agents (this node's is
  `node_eviction/state.py`, which `GET /node_eviction/status` reports) and `settle`,
  which moves rebalances and evacuations on; Node Eviction settles before it answers.
- Configuration: `configs/state.py` (defaults filled in, secrets masked) for listeners,
  connectors and bridges.
- Gateways: `gateways/state.py` (the loaded gateways) for gateway listeners,
  authentication and clients; `gateway_clients/` for the LwM2M and CoAP commands;
  `gateway_authentication/` for the listeners' authenticators.
- Schemas: schema validations (and message transformations) check the schemas their
  checks name in `schema_registry/state.py` (`schema_exists`); both keep their ordered
  list, reorder check and counters in `common/processing.py`, whose `prometheus_rows`
  Monitor's enterprise Prometheus endpoints read.
- Messages: `publish/state.py` for the retainer and MQTT's delayed messages;
  `subscriptions/` (the table, the answer form) for clients; `metrics/counters.py` for
  nodes and monitor; `banned/state.py` and `dashboard/state.py` for the data backup.
- Single sign-on: `dashboard_single_sign_on/` issues its users' bearer tokens through
  `dashboard/state.py` (`new_token`).
"""

from __future__ import annotations

from ._backend import InMemoryBackend
from .publish.state import PublishedMessage

__all__ = ["InMemoryBackend", "PublishedMessage"]
