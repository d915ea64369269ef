"""Authorization: the rules of the built-in database source (per user name, per client
id, for all clients) and their purge."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import emqx_client
import pytest
from emqx_client import models

PREFIX = "authz-rules-"
MAX_RULES = 3
RULE = {"topic": "t/1", "permission": "allow", "action": "publish"}


@pytest.fixture()
def source(client: Any) -> Iterator[dict[str, Any]]:
    """The `built_in_database` authorization source the rules belong to, configured
    through the sources operations and removed afterwards (which empties the table)."""
    conf: dict[str, Any] = {"type": "built_in_database", "enable": True, "max_rules": MAX_RULES}
    client.authorization.sources.create(body=conf)
    try:
        yield conf
    finally:
        client.authorization.sources.update(type="built_in_database", body=conf)
        client.authorization.sources.delete(type="built_in_database")


# The user-name and client-id operations mirror each other: (key, method suffix, the
# word in the broker's messages, the 404 message of a deletion).
KINDS = [
    ("username", "user", "User", "Username Not Found"),
    ("clientid", "client", "Client", "ClientID Not Found"),
]


def _ops(client: Any, suffix: str) -> dict[str, Any]:
    rules = getattr(client.authorization, f"{suffix}_rules")
    return {verb: getattr(rules, verb) for verb in ("list", "create", "get", "update", "delete")}


def test_every_operation_needs_the_source(client: Any) -> None:
    """Without a `built_in_database` source (a fresh broker has only `file`) every
    operation answers 404."""
    api = client.authorization
    calls = [
        api.purge_rules,
        api.rules_for_all.get,
        api.rules_for_all.clear,
        lambda: api.rules_for_all.set(body={"rules": [RULE]}),
    ]
    for key, suffix, _, _ in KINDS:
        ops = _ops(client, suffix)
        name = f"{PREFIX}none"
        record = {key: name, "rules": [RULE]}
        calls += [
            ops["list"],
            lambda ops=ops, record=record: ops["create"](body=[record]),
            lambda ops=ops, key=key, name=name: ops["get"](**{key: name}),
            lambda ops=ops, key=key, name=name, record=record: ops["update"](
                **{key: name}, body=record
            ),
            lambda ops=ops, key=key, name=name: ops["delete"](**{key: name}),
        ]
    for call in calls:
        with pytest.raises(emqx_client.NotFoundError) as info:
            call()
        assert info.value.code == models.ErrorCode.NOT_FOUND
        assert info.value.message == "Not found: built_in_database"


@pytest.mark.parametrize(("key", "suffix", "who", "gone"), KINDS)
def test_rules_by_name(
    client: Any, source: dict[str, Any], key: str, suffix: str, who: str, gone: str
) -> None:
    ops = _ops(client, suffix)
    first, second, third = (f"{PREFIX}{key}-{n}" for n in ("b", "a", "c"))
    ops["create"](
        body=[
            {
                key: first,
                "rules": [RULE, {"topic": "eq s/#", "permission": "deny", "action": "all"}],
            },
            {
                key: second,
                "rules": [
                    {
                        "topic": "s/1",
                        "permission": "allow",
                        "action": "subscribe",
                        "qos": [1],
                        "retain": True,
                    }
                ],
            },
        ]
    )
    got = ops["get"](**{key: first}).model_dump(mode="json")
    assert got == {
        key: first,
        "rules": [
            {**RULE, "qos": [0, 1, 2], "retain": "all"},
            {
                "topic": "eq s/#",
                "permission": "deny",
                "action": "all",
                "qos": [0, 1, 2],
                "retain": "all",
            },
        ],
    }
    # A subscription rule keeps no retain condition.
    sub = ops["get"](**{key: second}).rules[0]
    assert sub.qos == [1] and sub.retain == "all"

    page = ops["list"](limit=1)
    assert [getattr(r, key) for r in page.items] == [second]  # byte order of the names
    assert page.meta.count == 2 and page.meta.hasnext is True
    assert [getattr(r, key) for r in page] == [second, first]
    fuzzy = ops["list"](**{f"like_{key}": f"{key}-b"})
    assert [getattr(r, key) for r in fuzzy.items] == [first] and fuzzy.meta.count is None

    # Names that have rules already, and lists longer than max_rules, store nothing.
    with pytest.raises(emqx_client.ConflictError) as exists:
        ops["create"](body=[{key: third, "rules": [RULE]}, {key: first, "rules": [RULE]}])
    assert (
        exists.value.code == models.ErrorCode.ALREADY_EXISTS
        and exists.value.message == f"{who} '{first}' already exist"
    )
    too_many = [RULE] * (MAX_RULES + 1)
    with pytest.raises(emqx_client.BadRequestError) as long:
        ops["create"](body=[{key: third, "rules": too_many}])
    assert long.value.message == f"The rules length of {who} '{third}' exceeds the maximum limit."
    with pytest.raises(emqx_client.NotFoundError) as missing:
        ops["get"](**{key: third})
    assert missing.value.message == "Not Found"

    # PUT replaces, or creates; the body must name the path's record.
    ops["update"](**{key: first}, body={key: first, "rules": [{**RULE, "retain": False}]})
    assert ops["get"](**{key: first}).rules[0].retain is False
    ops["update"](**{key: third}, body={key: third, "rules": []})
    assert ops["get"](**{key: third}).rules == []
    with pytest.raises(emqx_client.BadRequestError) as put_long:
        ops["update"](**{key: third}, body={key: third, "rules": too_many})
    assert put_long.value.message == "The rules length exceeds the maximum limit."
    with pytest.raises(emqx_client.InternalError) as crash:
        ops["update"](**{key: third}, body={key: first, "rules": []})
    assert crash.value.status_code == 500
    assert ops["get"](**{key: first}).rules[0].retain is False

    for name in (first, second, third):
        ops["delete"](**{key: name})
    with pytest.raises(emqx_client.NotFoundError) as deleted:
        ops["delete"](**{key: first})
    assert deleted.value.message == gone
    assert ops["list"]().items == []


def test_rules_for_all(client: Any, source: dict[str, Any]) -> None:
    api = client.authorization
    assert api.rules_for_all.get().rules == []
    api.rules_for_all.set(
        body={"rules": [{**RULE, "qos": [2], "retain": True}, {**RULE, "action": "all"}]}
    )
    stored = api.rules_for_all.get().model_dump(mode="json")["rules"]
    assert stored == [
        {**RULE, "qos": [2], "retain": True},
        {**RULE, "action": "all", "qos": [0, 1, 2], "retain": "all"},
    ]
    with pytest.raises(emqx_client.BadRequestError) as long:
        api.rules_for_all.set(body={"rules": [RULE] * (MAX_RULES + 1)})
    assert long.value.message == "The length of rules exceeds the maximum limit."
    assert len(api.rules_for_all.get().rules) == 2
    api.rules_for_all.clear()
    assert api.rules_for_all.get().rules == []


def test_retain_union(client: Any, source: dict[str, Any]) -> None:
    """`retain` is a boolean or `all`: each parses into its own type; the stub refuses
    anything else with 400 (the client's models stay open to values they do not know)."""
    as_bool = models.AuthzRulesRule.model_validate({**RULE, "retain": True})
    as_all = models.AuthzRulesRule.model_validate({**RULE, "retain": "all"})
    assert as_bool.retain is True and as_all.retain == models.AuthzRulesRuleRetain.ALL
    assert models.AuthzRulesRule.model_validate(RULE).retain == models.AuthzRulesRuleRetain.ALL
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.authorization.rules_for_all.set(body={"rules": [{**RULE, "retain": "sometimes"}]})
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    with pytest.raises(emqx_client.BadRequestError):
        client.authorization.user_rules.list(limit=10001)


def test_purge(client: Any, source: dict[str, Any]) -> None:
    api = client.authorization
    api.user_rules.create(body=[{"username": f"{PREFIX}purged", "rules": [RULE]}])
    api.rules_for_all.set(body={"rules": [RULE]})
    with pytest.raises(emqx_client.BadRequestError) as enabled:
        api.purge_rules()
    assert enabled.value.message == "'built_in_database' type source must be disabled before purge."
    assert len(api.user_rules.list().items) == 1
    api.sources.update(type="built_in_database", body={**source, "enable": False})
    api.purge_rules()
    assert api.user_rules.list().items == []
    assert api.rules_for_all.get().rules == []


def test_deleting_the_enabled_source_drops_its_rules(client: Any) -> None:
    api = client.authorization
    conf = {"type": "built_in_database", "enable": True, "max_rules": MAX_RULES}
    api.sources.create(body=conf)
    api.user_rules.create(body=[{"username": f"{PREFIX}dropped", "rules": [RULE]}])
    api.sources.delete(type="built_in_database")
    with pytest.raises(emqx_client.NotFoundError):
        api.user_rules.list()
    api.sources.create(body=conf)
    try:
        assert api.user_rules.list().items == []
    finally:
        api.sources.delete(type="built_in_database")
