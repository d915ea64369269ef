"""Areas that lean on one another, straight on their state (no HTTP): data integration
and the rules that use it, authentication, authorization, configs and gateways."""

from __future__ import annotations

from typing import Any

import pytest
from emqx_server_stub.backend.authentication.state import AuthnState
from emqx_server_stub.backend.authorization.rules_state import AuthzRulesState, StoredRule
from emqx_server_stub.backend.authorization.state import AuthzSourcesState
from emqx_server_stub.backend.configs.state import deobfuscate, obfuscate
from emqx_server_stub.backend.gateway_clients.store import loaded_clients, seed_client
from emqx_server_stub.backend.gateways.state import GatewayRecord
from emqx_server_stub.backend.integration.bridge_v2 import (
    remove_from_rules,
    rules_with_action,
    rules_with_source,
)
from emqx_server_stub.backend.integration.state import BridgeRecord
from emqx_server_stub.backend.rules.state import RuleRecord
from emqx_server_stub.backend.state import State
from emqx_server_stub.errors import ApiError


def _rule(rid: str, actions: list[Any], froms: list[str]) -> RuleRecord:
    return RuleRecord(rid, rid, 'SELECT * FROM "t"', actions, True, "", {}, froms, 0, 0)


def test_a_connector_knows_the_actions_and_sources_that_use_it() -> None:
    state = State(node="n@h")
    table = state.integration
    table.connectors[("mqtt", "c1")] = BridgeRecord("connector", "mqtt", "c1", {})
    table.actions[("mqtt", "a1")] = BridgeRecord("action", "mqtt", "a1", {"connector": "c1"})
    table.sources[("mqtt", "s1")] = BridgeRecord("source", "mqtt", "s1", {"connector": "c2"})
    assert [r.id for r in table.users_of("mqtt", "c1")] == ["mqtt:a1"]
    assert table.table("source") is table.sources
    assert table.actions[("mqtt", "a1")].connector == "c1"


def test_rules_are_found_by_the_actions_and_sources_they_name() -> None:
    state = State(node="n@h")
    state.rules.rules["r1"] = _rule("r1", ["mqtt:a1", "console"], ["t/#"])
    state.rules.rules["r2"] = _rule("r2", [], ["$bridges/mqtt:s1"])
    assert rules_with_action(state, "mqtt:a1") == ["r1"]
    assert rules_with_source(state, "mqtt:s1") == ["r2"]
    remove_from_rules(state, "mqtt:a1", ["r1"])
    assert state.rules.rules["r1"].actions == ["console"]


def test_the_authentication_chain_moves_and_refuses_duplicates() -> None:
    chain = AuthnState()
    chain.add({"mechanism": "password_based", "backend": "built_in_database"})
    chain.add({"mechanism": "jwt"})
    chain.move("jwt", "front")
    assert [r.id for r in chain.chain] == ["jwt", "password_based:built_in_database"]
    with pytest.raises(ApiError) as twice:
        chain.add({"mechanism": "jwt"})
    assert twice.value.status == 409
    with pytest.raises(ApiError) as partial:
        chain.reorder(["jwt"])
    assert partial.value.status == 400


def test_authorization_starts_with_the_file_source_and_purges_rules() -> None:
    sources = AuthzSourcesState()
    assert sources.types() == ["file"]
    with pytest.raises(ApiError):
        sources.find("http")
    rules = AuthzRulesState()
    rules.records("username")["bob"] = [StoredRule("allow", "publish", "t/1", (0,))]
    rules.records("username")["alice"] = []
    assert rules.sorted_names("username") == ["alice", "bob"]
    rules.purge()
    assert rules.records("username") == {} and rules.for_all is None


def test_config_secrets_are_masked_and_restored() -> None:
    stored = {"password": "hunter2", "nested": {"db_password": "pw", "port": 1}}
    shown = obfuscate(stored)
    assert shown == {"password": "******", "nested": {"db_password": "******", "port": 1}}
    assert deobfuscate(shown, stored) == stored


def test_gateway_clients_belong_to_the_loaded_gateway() -> None:
    state = State(node="n@h")
    with pytest.raises(KeyError):
        seed_client(state, "stomp", "c1")
    state.gateways.loaded["stomp"] = GatewayRecord(name="stomp", config={"enable": True})
    seed_client(state, "stomp", "c1", username="u")
    assert list(loaded_clients(state, "stomp")) == ["c1"]
    # Loaded again, the gateway is another: its clients are gone.
    state.gateways.loaded["stomp"] = GatewayRecord(name="stomp", config={"enable": True})
    assert list(loaded_clients(state, "stomp")) == []
