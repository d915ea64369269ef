"""Client method names: the rule in generator/naming.py and the spec's overrides."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from generator import naming
from generator.openapi import client_method_names, iter_operations, operation_tag


def _calls(tag: str, ops: list[str], nouns: tuple[str, ...] = ()) -> dict[str, str]:
    names = naming.client_methods(tag, [(op, None) for op in ops], nouns)
    return {op: name.call for op, name in names.items()}


def test_the_resource_name_leaves_the_method() -> None:
    calls = _calls("Clients", ["list_clients", "get_client", "list_client_subscriptions"])
    assert calls == {
        "list_clients": "list",
        "get_client": "get",
        "list_client_subscriptions": "list_subscriptions",
    }
    assert _calls("API Keys", ["create_api_key"]) == {"create_api_key": "create"}
    assert _calls("Banned", ["clear_banned"]) == {"clear_banned": "clear"}


def test_a_collection_with_its_own_reads_is_a_sub_resource() -> None:
    ops = [
        "list_authenticators",
        "get_authenticator",
        "list_authenticator_users",
        "get_authenticator_user",
        "delete_authenticator_user",
    ]
    assert _calls("Authentication", ops, ("authenticator",)) == {
        "list_authenticators": "list",
        "get_authenticator": "get",
        "list_authenticator_users": "users.list",
        "get_authenticator_user": "users.get",
        "delete_authenticator_user": "users.delete",
    }


def test_two_operations_are_no_sub_resource() -> None:
    ops = ["list_clients", "list_client_authz_cache", "clear_client_authz_cache"]
    assert _calls("Clients", ops)["clear_client_authz_cache"] == "clear_authz_cache"


def test_a_keyword_gets_the_trailing_underscore() -> None:
    assert _calls("Devices", ["import_devices", "list_devices"])["import_devices"] == "import_"


def test_an_override_names_the_method() -> None:
    names = naming.client_methods(
        "Clients", [("kick_client", None), ("kick_clients", "kick_bulk")], ()
    )
    assert names["kick_clients"] == naming.MethodName("", "kick_bulk")
    dotted = naming.client_methods("Dashboard", [("change_pwd", "users.change_password")])
    assert dotted["change_pwd"].call == "users.change_password"


def test_a_clash_is_an_error_naming_both_operations() -> None:
    with pytest.raises(naming.NamingError, match=r"kick_clients? and kick_clients?"):
        _calls("Clients", ["kick_client", "kick_clients"])
    with pytest.raises(naming.NamingError, match="must be `method`"):
        naming.client_methods("Clients", [("kick_client", "Kick-It")])


def test_stutter_is_found_in_any_form() -> None:
    phrases = naming.resource_phrases("Gateway Clients")
    assert naming.repeats_resource("list_gateway_client_subscriptions", phrases)
    assert not naming.repeats_resource("subscriptions.list", phrases)
    assert naming.repeats_resource(
        "users.bulk_import_authenticator",
        naming.resource_phrases("Authentication", ("authenticator",)),
    )


def test_the_spec_names_stutter_little_and_says_why(bundled: dict[str, Any]) -> None:
    names = client_method_names(bundled)
    nouns = {t["name"]: tuple(t.get(naming.NOUNS_KEY) or ()) for t in bundled["tags"]}
    stutter = []
    for op in iter_operations(bundled):
        tag = operation_tag(op.node)
        name = names[op.node["operationId"]]
        if naming.repeats_resource(name.call, naming.resource_phrases(tag, nouns.get(tag, ()))):
            assert op.node.get(naming.METHOD_REASON_KEY), (
                f"{op.label}: {name.call} without a reason"
            )
            stutter.append(name.call)
    assert len(stutter) <= 0.05 * len(names), stutter


def test_sync_and_async_clients_have_the_names(bundled: dict[str, Any]) -> None:
    from emqx_client import AsyncClient, Client

    client = Client(base_url="http://localhost:1/api/v5", token="t")
    aclient = AsyncClient(base_url="http://localhost:1/api/v5", token="t")
    names = client_method_names(bundled)
    for op in iter_operations(bundled):
        resource = naming.tag_module(operation_tag(op.node))
        for each in (client, aclient):
            target: Any = getattr(each, resource)
            for part in names[op.node["operationId"]].call.split("."):
                target = getattr(target, part)
            assert callable(target)
            # an async list method returns an AsyncPager at once (`async for` without await)
            pager = str(inspect.signature(target).return_annotation).startswith("AsyncPager[")
            assert inspect.iscoroutinefunction(target) == (each is aclient and not pager)
            assert not pager or each is aclient
    assert client.authentication.users.list and client.clients.list and client.banned.create
    client.close()


def _lint(tmp_path: Any, edit: Any) -> list[Any]:
    from generator import lints
    from generator.loader import load
    from tests.conftest import ROOT

    text = (ROOT / "tests" / "fixtures" / "mini" / "openapi.yaml").read_text(encoding="utf-8")
    (tmp_path / "openapi.yaml").write_text(edit(text), encoding="utf-8")
    spec, findings = load(tmp_path / "openapi.yaml")
    assert spec is not None, [f.format() for f in findings]
    return [f for f in lints.check_method_names(spec)]


def test_the_lint_refuses_a_clash_at_the_operation(tmp_path: Any) -> None:
    clash = _lint(
        tmp_path,
        lambda t: t.replace(
            "operationId: delete_thing\n", "operationId: delete_thing\n      x-emqx-method: list\n"
        ),
    )
    assert [f.id for f in clash] == ["method-name"]
    assert "would both be `list`" in clash[0].message and clash[0].location is not None


def test_the_lint_refuses_an_unexplained_stutter(tmp_path: Any) -> None:
    override = "operationId: delete_thing\n      x-emqx-method: delete_thing\n"
    found = _lint(tmp_path, lambda t: t.replace("operationId: delete_thing\n", override))
    assert [f.id for f in found] == ["method-name-stutter"]
    reason = override + "      x-emqx-method-reason: the broker calls it so\n"
    assert _lint(tmp_path, lambda t: t.replace("operationId: delete_thing\n", reason)) == []
