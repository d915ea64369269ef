"""Load rebalance's state, straight (no HTTP): the steps of an evacuation and of a
rebalance as time passes and client counts change, the donor split and EMQX's
need_rebalance, and the agents of this node and the others."""

from __future__ import annotations

from emqx_server_stub.backend.load_rebalance.progress import agent_of, counts, set_agent, settle
from emqx_server_stub.backend.load_rebalance.state import (
    Counts,
    Evacuation,
    Rebalance,
    Thresholds,
    needs_rebalance,
    rebalance_agent,
    split_donors,
)
from emqx_server_stub.backend.state import State

LOOSE = Thresholds(1000, 1.1)  # EMQX's defaults
TIGHT = Thresholds(1, 1.01)


def _evacuation(health: int = 10, takeover: int = 5) -> Evacuation:
    return Evacuation(
        conn_evict_rate=500,
        sess_evict_rate=500,
        wait_health_check=health,
        wait_takeover=takeover,
        migrate_to=None,
        initial=Counts(3, 4),
        current=Counts(3, 4),
        since_ms=0,
    )


def test_a_fresh_node_runs_nothing() -> None:
    state = State(node="n@h", edition="ee")
    area = state.load_rebalance
    assert (area.evacuations, area.rebalances, area.agents) == ({}, {}, {})
    assert State(node="m@h").load_rebalance is not area


def test_evacuation_steps_follow_time_and_counts() -> None:
    evacuation = _evacuation()
    evacuation.advance(9_999, Counts(3, 4))
    assert evacuation.step == "waiting_health_check"
    assert evacuation.current == Counts(3, 4)
    evacuation.advance(10_000, Counts(2, 4))
    assert (evacuation.step, evacuation.current.connections) == ("evicting_conns", 2)
    evacuation.advance(20_000, Counts(0, 4))  # connections gone: the takeover wait begins
    assert (evacuation.step, evacuation.since_ms) == ("waiting_takeover", 20_000)
    evacuation.advance(24_999, Counts(0, 4))
    assert evacuation.step == "waiting_takeover"
    evacuation.advance(25_000, Counts(0, 1))
    assert (evacuation.step, evacuation.current.sessions) == ("evicting_sessions", 1)
    evacuation.advance(26_000, Counts(0, 0))
    assert evacuation.step == "prohibiting"
    evacuation.advance(99_000, Counts(5, 5))  # it stays there until stopped
    assert evacuation.step == "prohibiting"


def test_an_empty_node_with_no_waits_is_evacuated_at_once() -> None:
    evacuation = _evacuation(health=0, takeover=0)
    evacuation.advance(0, Counts())
    assert (evacuation.step, evacuation.current) == ("prohibiting", Counts())


def test_thresholds_and_the_donor_split() -> None:
    assert LOOSE.within(999.0, 0.0) and not TIGHT.within(3.0, 0.0)
    assert TIGHT.within(1.0, 0.0) and Thresholds(1, 2.0).within(10.0, 5.0)
    seen = {"a@h": Counts(6, 6), "b@h": Counts(0, 0), "c@h": Counts(2, 3)}
    assert split_donors(seen) == (["a@h"], ["b@h", "c@h"])
    assert needs_rebalance(seen, ["a@h"], ["b@h", "c@h"], TIGHT, TIGHT)
    assert not needs_rebalance(seen, ["a@h"], ["b@h", "c@h"], LOOSE, LOOSE)
    even = {"a@h": Counts(0, 0), "b@h": Counts(0, 0)}
    assert split_donors(even) == (["a@h", "b@h"], [])  # nobody below the average
    assert not needs_rebalance(even, ["a@h", "b@h"], [], TIGHT, TIGHT)


def test_a_rebalance_ends_once_balanced() -> None:
    live = {"a@h": Counts(6, 8), "b@h": Counts(0, 0)}
    rebalance = Rebalance(
        coordinator="a@h",
        conn_evict_rate=10,
        sess_evict_rate=10,
        wait_health_check=1,
        wait_takeover=1,
        conn=TIGHT,
        sess=TIGHT,
        donors=["a@h"],
        recipients=["b@h"],
        initial=dict(live),
        since_ms=0,
    )
    rebalance.advance(500, live.__getitem__)
    assert (rebalance.step, rebalance.averages) == ("wait_health_check", {})
    rebalance.advance(1_000, live.__getitem__)
    assert rebalance.step == "evicting_conns"
    assert rebalance.averages == {"donor_conn_avg": 6.0, "recipient_conn_avg": 0.0}
    live["a@h"] = Counts(1, 3)  # within one connection of the recipients
    rebalance.advance(2_000, live.__getitem__)
    assert (rebalance.step, rebalance.since_ms) == ("wait_takeover", 2_000)
    rebalance.advance(3_000, live.__getitem__)
    assert rebalance.step == "evicting_sessions" and not rebalance.done
    assert rebalance.averages["donor_sess_avg"] == 2.0  # disconnected sessions
    live["a@h"] = Counts(1, 2)
    rebalance.advance(3_500, live.__getitem__)
    assert rebalance.done


def test_agents_of_this_node_and_of_the_others() -> None:
    state = State(node="n@h", edition="ee")
    assert agent_of(state, "n@h") is None and agent_of(state, "m@h") is None
    set_agent(state, "n@h", "evacuation")
    set_agent(state, "m@h", rebalance_agent("n@h"))
    assert (state.eviction.enabled, state.eviction.kind) == (True, "evacuation")
    assert agent_of(state, "m@h") == "rebalance:n@h"
    set_agent(state, "n@h", None)
    set_agent(state, "m@h", None)
    assert (state.eviction.enabled, state.eviction.kind, state.load_rebalance.agents) == (
        False,
        "",
        {},
    )
    assert counts(state, "m@h") == Counts()


def test_settle_ends_a_finished_rebalance_and_frees_its_donors() -> None:
    state = State(node="n@h", edition="ee")
    set_agent(state, "n@h", rebalance_agent("n@h"))
    state.load_rebalance.rebalances["n@h"] = Rebalance(
        coordinator="n@h",
        conn_evict_rate=1,
        sess_evict_rate=1,
        wait_health_check=0,
        wait_takeover=0,
        conn=LOOSE,
        sess=LOOSE,
        donors=["n@h"],
        recipients=["m@h"],
        initial={"n@h": Counts(), "m@h": Counts()},
        since_ms=0,
    )
    settle(state)
    assert state.load_rebalance.rebalances == {}
    assert not state.eviction.enabled
