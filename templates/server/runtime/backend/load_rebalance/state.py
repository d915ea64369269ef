"""The rebalances and evacuations under way in the cluster, and the eviction agents of the
other nodes (this node's agent is the node_eviction area's `EvictionState`).

Each process walks the steps of EMQX's state machines (emqx_node_rebalance and
emqx_node_rebalance_evacuation) as time passes and as the nodes' client counts allow;
`advance` moves it on, given the time and the counts. The stub moves no client itself:
a step that evicts waits until the clients are gone (or, for a rebalance, balanced)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Evacuation steps (emqx_node_rebalance_evacuation); it stays in the last one until stopped.
EVACUATION_STEPS = (
    "waiting_health_check",
    "evicting_conns",
    "waiting_takeover",
    "evicting_sessions",
    "prohibiting",
)
# Rebalance steps (emqx_node_rebalance); it ends by itself after the last one.
REBALANCE_STEPS = ("wait_health_check", "evicting_conns", "wait_takeover", "evicting_sessions")

EVACUATION_AGENT = "evacuation"  # the agent's kind while a node is evacuated


def rebalance_agent(coordinator: str) -> str:
    """The agent's kind on a donor of the rebalance `coordinator` runs."""
    return f"rebalance:{coordinator}"


@dataclass
class Counts:
    """A node's clients: live connections and sessions (connected or not)."""

    connections: int = 0
    sessions: int = 0

    @property
    def disconnected(self) -> int:
        return max(self.sessions - self.connections, 0)


@dataclass
class Evacuation:
    conn_evict_rate: int
    sess_evict_rate: int
    wait_health_check: int  # seconds
    wait_takeover: int  # seconds
    migrate_to: list[str] | None  # None: every other running node
    initial: Counts
    current: Counts
    since_ms: int  # when the current step began
    step: str = EVACUATION_STEPS[0]

    def advance(self, now_ms: int, counts: Counts) -> None:
        """Move on as far as the time and the node's clients allow."""
        if self.step == "waiting_health_check":
            if now_ms < self.since_ms + self.wait_health_check * 1000:
                return
            self.step, self.since_ms = (
                "evicting_conns",
                self.since_ms + self.wait_health_check * 1000,
            )
        if self.step == "evicting_conns":
            self.current.connections = counts.connections
            if counts.connections > 0:
                return
            self.step, self.since_ms = "waiting_takeover", max(self.since_ms, now_ms)
        if self.step == "waiting_takeover":
            if now_ms < self.since_ms + self.wait_takeover * 1000:
                return
            self.step, self.since_ms = (
                "evicting_sessions",
                self.since_ms + self.wait_takeover * 1000,
            )
        if self.step == "evicting_sessions":
            self.current.sessions = counts.sessions
            if counts.sessions > 0:
                return
            self.step, self.since_ms = "prohibiting", now_ms


@dataclass
class Thresholds:
    absolute: int
    relative: float

    def within(self, value: float, goal: float) -> bool:
        """EMQX's within_thresholds: close enough to the goal by either measure."""
        return value <= goal + self.absolute or value <= goal * self.relative


def average(values: list[int]) -> float:
    return sum(values) / len(values)


@dataclass
class Rebalance:
    coordinator: str
    conn_evict_rate: int
    sess_evict_rate: int
    wait_health_check: int  # seconds
    wait_takeover: int  # seconds
    conn: Thresholds
    sess: Thresholds
    donors: list[str]
    recipients: list[str]
    initial: dict[str, Counts]  # per node of the rebalance, when it started
    since_ms: int
    step: str = REBALANCE_STEPS[0]
    # donor_conn_avg, recipient_conn_avg, donor_sess_avg, recipient_sess_avg, once known
    averages: dict[str, float] = field(default_factory=dict)
    done: bool = False

    def _averages(self, kind: str, count: Callable[[str], int]) -> tuple[float, float]:
        donor = average([count(node) for node in self.donors])
        recipient = average([count(node) for node in self.recipients])
        self.averages[f"donor_{kind}_avg"] = donor
        self.averages[f"recipient_{kind}_avg"] = recipient
        return donor, recipient

    def advance(self, now_ms: int, counts: Callable[[str], Counts]) -> None:
        """Move on as far as the time and the nodes' clients allow; `done` at the end."""
        if self.step == "wait_health_check":
            if now_ms < self.since_ms + self.wait_health_check * 1000:
                return
            self.step, self.since_ms = (
                "evicting_conns",
                self.since_ms + self.wait_health_check * 1000,
            )
        if self.step == "evicting_conns":
            donor, recipient = self._averages("conn", lambda n: counts(n).connections)
            if not self.conn.within(donor, recipient):
                return
            self.step, self.since_ms = "wait_takeover", max(self.since_ms, now_ms)
        if self.step == "wait_takeover":
            if now_ms < self.since_ms + self.wait_takeover * 1000:
                return
            self.step, self.since_ms = (
                "evicting_sessions",
                self.since_ms + self.wait_takeover * 1000,
            )
        if self.step == "evicting_sessions":
            donor, recipient = self._averages("sess", lambda n: counts(n).disconnected)
            self.done = self.sess.within(donor, recipient)


def split_donors(counts: dict[str, Counts]) -> tuple[list[str], list[str]]:
    """Donors (connections at or above the average) and recipients, in the nodes' order."""
    avg = average([c.connections for c in counts.values()])
    donors = [node for node, c in counts.items() if c.connections >= avg]
    return donors, [node for node in counts if node not in donors]


def needs_rebalance(
    counts: dict[str, Counts],
    donors: list[str],
    recipients: list[str],
    conn: Thresholds,
    sess: Thresholds,
) -> bool:
    """EMQX's need_rebalance: donors and recipients both, and a gap beyond a threshold."""
    if not donors or not recipients:
        return False
    conn_gap = not conn.within(
        average([counts[n].connections for n in donors]),
        average([counts[n].connections for n in recipients]),
    )
    sess_gap = not sess.within(
        average([counts[n].sessions for n in donors]),
        average([counts[n].sessions for n in recipients]),
    )
    return conn_gap or sess_gap


@dataclass
class LoadRebalanceState:
    evacuations: dict[str, Evacuation] = field(default_factory=dict)  # by evacuated node
    rebalances: dict[str, Rebalance] = field(default_factory=dict)  # by coordinator
    agents: dict[str, str] = field(default_factory=dict)  # other nodes' agents: node -> kind
