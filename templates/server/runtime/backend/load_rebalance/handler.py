"""Load Rebalance (enterprise build): rebalances coordinated by a node, evacuations of a
node, their statuses, and the availability check load balancers poll.

The checks come in EMQX's order (emqx_node_rebalance_api): the path's node must run (404
`Node not found: <node>`), then the body (its schema, then the names of `nodes` or
`migrate_to`: unknown names 400 BAD_REQUEST `Invalid nodes`, nodes not running or already
evicting 400 NOT_FOUND `Nodes unavailable`), then the node's own answer, an error of which
is 400 BAD_REQUEST `error on node '<node>': <reason>`."""

from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

from ... import errors, models
from ..cluster.members import running_nodes
from ..common.clock import now_ms
from ..common.durations import duration_ms
from ..state import State
from .progress import agent_of, counts, set_agent, settle
from .state import (
    EVACUATION_AGENT,
    Evacuation,
    Rebalance,
    Thresholds,
    needs_rebalance,
    rebalance_agent,
    split_donors,
)

_PLAIN_ATOM = re.compile(r"[a-z][a-zA-Z0-9_@]*")
MAX_WAIT_S = 4_294_967  # emqx_schema's MAX_INT_TIMEOUT_S
DEFAULT_WAIT_S = 60  # DEFAULT_WAIT_HEALTH_CHECK and DEFAULT_WAIT_TAKEOVER


def atom(name: str) -> str:
    """An atom as `~p` prints it: bare when it may be, else in single quotes."""
    if _PLAIN_ATOM.fullmatch(name):
        return name
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _binary(text: str) -> str:
    return '<<"' + text.replace("\\", "\\\\").replace('"', '\\"') + '">>'


def _node_error(node: str, reason: str) -> errors.ApiError:
    return errors.bad_request(f"error on node {atom(node)}: {reason}", status=400)


def _wait_s(name: str, value: Any) -> int:
    """A `timeout_duration_s()` value in seconds (a duration rounds up), as the schema
    check takes it; 400 BAD_REQUEST otherwise."""
    if value is None:
        return DEFAULT_WAIT_S
    if isinstance(value, int):
        seconds = value
    else:
        text = str(value).strip()
        try:
            seconds = int(text) if text.isdigit() else math.ceil(duration_ms(text) / 1000)
        except ValueError:
            _schema_error(name, "Not a valid duration", value)
    if seconds > MAX_WAIT_S:
        _schema_error(name, f"timeout value too large (max: {MAX_WAIT_S} s)", value)
    return seconds


def _schema_error(name: str, reason: str, value: Any) -> NoReturn:
    # the schema check puts the body under a root named `root`
    detail = {"kind": "validation_error", "path": f"root.{name}", "reason": reason, "value": value}
    raise errors.bad_request(json.dumps(detail, separators=(",", ":")), status=400)


class LoadRebalanceApi:
    """LoadRebalanceHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    # -- checks shared by the commands ---------------------------------------------------

    def _running(self, node: str) -> None:
        if node not in running_nodes(self._state):
            raise errors.not_found(f"Node not found: {node}", status=404)

    def _known(self) -> set[str]:
        """Node names the broker holds as atoms: the cluster's members, the nodes it can
        reach and those it was asked to invite."""
        cluster = self._state.cluster
        return {*running_nodes(self._state), *cluster.standalone, *cluster.invitations}

    def _available(self, names: list[str]) -> list[str]:
        """`nodes`/`migrate_to` checked as EMQX's validate_nodes does; the list it passes
        on is reversed (it is folded)."""
        known = self._known()
        valid: list[str] = []
        invalid: list[str] = []
        for name in names:
            (valid if name in known else invalid).insert(0, name)
        if invalid:
            shown = ",".join(_binary(n) for n in invalid)
            raise errors.bad_request(f"Invalid nodes: [{shown}]", status=400)
        running = running_nodes(self._state)
        down = [n for n in valid if n not in running or agent_of(self._state, n) is not None]
        if down:
            shown = ",".join(atom(n) for n in down)
            raise errors.not_found(f"Nodes unavailable: [{shown}]", status=400)
        return valid

    # -- statuses --------------------------------------------------------------------------

    async def check_rebalance_availability(self) -> models.RebalanceAck:
        with self._state.lock:
            settle(self._state)
            if agent_of(self._state, self._state.node) is not None:
                raise errors.node_evacuating("Node Evacuating", status=503)
        return models.RebalanceAck()

    def _session_recipients(self, evacuation: Evacuation, node: str) -> list[str]:
        targets = evacuation.migrate_to
        if targets is None:
            targets = [n for n in running_nodes(self._state) if n != node]
        running = running_nodes(self._state)
        return [n for n in targets if n in running and agent_of(self._state, n) is None]

    def _evacuation(self, node: str, evacuation: Evacuation) -> dict[str, Any]:
        return {
            "state": evacuation.step,
            "connection_eviction_rate": evacuation.conn_evict_rate,
            "session_eviction_rate": evacuation.sess_evict_rate,
            "connection_goal": 0,
            "session_goal": 0,
            "session_recipients": self._session_recipients(evacuation, node),
            "stats": {
                "initial_connected": evacuation.initial.connections,
                "current_connected": evacuation.current.connections,
                "initial_sessions": evacuation.initial.sessions,
                "current_sessions": evacuation.current.sessions,
            },
        }

    @staticmethod
    def _rebalance(rebalance: Rebalance) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "state": rebalance.step,
            "coordinator_node": rebalance.coordinator,
            "connection_eviction_rate": rebalance.conn_evict_rate,
            "session_eviction_rate": rebalance.sess_evict_rate,
            "recipients": list(rebalance.recipients),
        }
        averages = rebalance.averages
        for key, name in (
            ("recipient_conn_avg", "connection_goal"),
            ("recipient_sess_avg", "disconnected_session_goal"),
        ):
            if key in averages:
                shown[name] = averages[key]
        return shown

    async def get_rebalance_status(self) -> models.RebalanceLocalStatus:
        state = self._state
        with state.lock:
            settle(state)
            node = state.node
            evacuation = state.load_rebalance.evacuations.get(node)
            if evacuation is not None:
                body: dict[str, Any] = {"status": "enabled", "process": "evacuation"}
                body.update(self._evacuation(node, evacuation))
                return models.RebalanceLocalEnabled.model_validate(body)
            kind = agent_of(state, node) or ""
            for rebalance in state.load_rebalance.rebalances.values():
                if kind == rebalance_agent(rebalance.coordinator) and node in rebalance.donors:
                    now = counts(state, node)
                    donor: dict[str, Any] = {"status": "enabled", "process": "rebalance"}
                    donor.update(self._rebalance(rebalance))
                    donor["stats"] = {
                        "initial_connected": rebalance.initial[node].connections,
                        "initial_sessions": rebalance.initial[node].sessions,
                        "current_connected": now.connections,
                        "current_sessions": now.sessions,
                        "current_disconnected_sessions": now.disconnected,
                    }
                    return models.RebalanceLocalEnabled.model_validate(donor)
        return models.RebalanceLocalDisabled.model_validate({"status": "disabled"})

    async def get_rebalance_global_status(self) -> models.RebalanceGlobalStatus:
        state = self._state
        with state.lock:
            settle(state)
            running = running_nodes(state)
            area = state.load_rebalance
            rebalances = []
            for node in running:
                rebalance = area.rebalances.get(node)
                if rebalance is None:
                    continue
                entry = self._rebalance(rebalance)
                entry["donors"] = list(rebalance.donors)
                for key in ("donor_conn_avg", "donor_sess_avg"):
                    if key in rebalance.averages:
                        entry[key] = rebalance.averages[key]
                rebalances.append({**entry, "node": node})
            evacuations = [
                {**self._evacuation(node, area.evacuations[node]), "node": node}
                for node in running
                if node in area.evacuations
            ]
        return models.RebalanceGlobalStatus.model_validate(
            {"evacuations": evacuations, "purges": [], "rebalances": rebalances}
        )

    # -- rebalance -------------------------------------------------------------------------

    async def start_rebalance(
        self, *, node: str, body: models.RebalanceStart | None = None
    ) -> models.RebalanceAck:
        opts = body or models.RebalanceStart()
        state = self._state
        with state.lock:
            health = _wait_s("wait_health_check", opts.wait_health_check)
            takeover = _wait_s("wait_takeover", opts.wait_takeover)
            settle(state)
            self._running(node)
            given = opts.nodes
            nodes = self._available(given) if given is not None else running_nodes(state)
            area = state.load_rebalance
            if node in area.rebalances:
                raise _node_error(node, "already_started")
            seen = {n: counts(state, n) for n in nodes}
            donors, recipients = split_donors(seen)
            conn = Thresholds(opts.abs_conn_threshold, opts.rel_conn_threshold)
            sess = Thresholds(opts.abs_sess_threshold, opts.rel_sess_threshold)
            if not needs_rebalance(seen, donors, recipients, conn, sess):
                raise _node_error(node, "nothing_to_balance")
            busy = [(d, agent_of(state, d)) for d in donors if agent_of(state, d) is not None]
            if busy:
                # the donor's agent refuses; the coordinator's multicall crashes on it
                held = busy[0][1] or ""
                reason = (
                    "invalid_coordinator"
                    if held.startswith("rebalance:")
                    else "eviction_agent_busy"
                )
                failed = f"[{{{atom(busy[0][0])},{{error,{reason}}}}}]"
                raise errors.rpc_error(
                    f"RPC error on node {atom(node)}: {{'EXIT',{{{{bad_nodes,{failed}}},"
                    "{gen_statem,call,[emqx_node_rebalance,{start,...},infinity]}}}",
                    status=503,
                )
            for donor in donors:
                set_agent(state, donor, rebalance_agent(node))
            area.rebalances[node] = Rebalance(
                coordinator=node,
                conn_evict_rate=opts.conn_evict_rate,
                sess_evict_rate=opts.sess_evict_rate,
                wait_health_check=health,
                wait_takeover=takeover,
                conn=conn,
                sess=sess,
                donors=donors,
                recipients=recipients,
                initial=seen,
                since_ms=now_ms(),
            )
        return models.RebalanceAck()

    async def stop_rebalance(self, *, node: str) -> models.RebalanceAck:
        state = self._state
        with state.lock:
            settle(state)
            self._running(node)
            rebalance = state.load_rebalance.rebalances.pop(node, None)
            if rebalance is None:
                raise _node_error(node, "not_started")
            for donor in rebalance.donors:
                if agent_of(state, donor) == rebalance_agent(node):
                    set_agent(state, donor, None)
        return models.RebalanceAck()

    # -- evacuation ------------------------------------------------------------------------

    async def start_evacuation(
        self, *, node: str, body: models.EvacuationStart | None = None
    ) -> models.RebalanceAck:
        opts = body or models.EvacuationStart()
        state = self._state
        with state.lock:
            health = _wait_s("wait_health_check", opts.wait_health_check)
            takeover = _wait_s("wait_takeover", opts.wait_takeover)
            settle(state)
            self._running(node)
            targets = self._available(opts.migrate_to) if opts.migrate_to is not None else None
            area = state.load_rebalance
            if node in area.evacuations:
                raise _node_error(node, "already_started")
            if agent_of(state, node) is not None:
                raise _node_error(node, "eviction_agent_busy")
            set_agent(state, node, EVACUATION_AGENT)
            now = counts(state, node)
            area.evacuations[node] = Evacuation(
                conn_evict_rate=opts.conn_evict_rate,
                sess_evict_rate=opts.sess_evict_rate,
                wait_health_check=health,
                wait_takeover=takeover,
                migrate_to=targets,
                initial=now,
                current=counts(state, node),
                since_ms=now_ms(),
            )
        return models.RebalanceAck()

    async def stop_evacuation(self, *, node: str) -> models.RebalanceAck:
        state = self._state
        with state.lock:
            settle(state)
            self._running(node)
            if state.load_rebalance.evacuations.pop(node, None) is None:
                raise _node_error(node, "not_started")
            set_agent(state, node, None)
        return models.RebalanceAck()
