"""Cluster linking's state and the broker's checks on a link, straight (no HTTP)."""

from __future__ import annotations

import json

from emqx_server_stub.backend.cluster_links.rules import name_error, redundant, topics_error
from emqx_server_stub.backend.cluster_links.state import zero_forwarding
from emqx_server_stub.backend.state import State


def test_a_fresh_node_has_no_links_of_its_own() -> None:
    state = State(node="n@h", edition="ee")
    assert state.cluster_links.links == {}
    assert State(node="m@h").cluster_links is not state.cluster_links
    assert zero_forwarding()["matched"] == 0 and zero_forwarding()["rate_max"] == 0.0


def test_link_names_follow_the_resource_name_rule() -> None:
    assert name_error("emqxcl_b") is None and name_error("a-1_b") is None
    for bad in ("", "-a", "a b", "é", "x" * 255):
        error = name_error(bad)
        assert error is not None, bad
        assert json.loads(error)["kind"] == "validation_error"


def test_a_filter_another_covers_is_redundant() -> None:
    assert redundant(["t/#", "t/1", "u/+", "u/a", "v", "v"]) == ["t/1", "u/a", "v"]
    assert redundant(["a/+", "a/#"]) == ["a/+"]
    assert redundant(["a/+", "b/+", "+/c"]) == []


def test_topics_are_refused_for_the_first_rule_they_break() -> None:
    assert topics_error(["t/a", "t/b/#"]) is None
    assert "invalid_topics" in (topics_error(["a/#/b"]) or "")
    assert "invalid_topics" in (topics_error(["$LINK/cluster/route/x"]) or "")
    assert "redundant_topics" in (topics_error(["#", "a"]) or "")
