"""Rules: the rule engine's settings, its events, rules, their metrics and SQL tests.

What differs from EMQX: rules are kept in memory in creation order and never run on
messages, so their metrics stay at zero; `FROM` topics come out of the SQL by a regular
expression; tests evaluate only simple `SELECT` statements (see `sql.py`); string
actions must look like `type:name` but name no real action."""

from __future__ import annotations

import re
import secrets
from typing import Any

from ... import errors, models
from ..common.clock import dt_ms, now_ms
from ..common.paging import paginate
from ..common.topic import match
from ..state import State
from .sql import PUBLISH_DEFAULTS, NoMatch, SqlError, Statement, evaluate, parse
from .state import _DEFAULT_SETTINGS, RuleRecord, RulesState

_REPUBLISH_DEFAULTS: dict[str, Any] = {
    "qos": "${qos}",
    "retain": "${retain}",
    "payload": "${payload}",
    "mqtt_properties": {},
    "user_properties": "${user_properties}",
    "direct_dispatch": False,
}
_DURATION = re.compile(r"^(\d+)(ms|s|m|h|d)?$")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
_COUNTERS = (
    "matched",
    "passed",
    "failed",
    "failed.exception",
    "failed.no_result",
    "actions.total",
    "actions.failed",
    "actions.failed.out_of_service",
    "actions.failed.unknown",
    "actions.success",
    "actions.discarded",
    "matched.rate",
    "matched.rate.max",
    "matched.rate.last5m",
)
# (event topic, title, fields a test context takes with a sample value each)
_MSG = {"clientid": "c_emqx", "username": "u_emqx", "topic": "t/a", "qos": 1}
_EVENTS: list[tuple[str, str, dict[str, Any]]] = [
    ("$events/message_publish", "A message is published", {**_MSG, "payload": "hello"}),
    ("$events/sys/alarm_activated", "An alarm goes on", {"name": "alarm_name"}),
    ("$events/sys/alarm_deactivated", "An alarm goes off", {"name": "alarm_name"}),
    ("$events/message_delivered", "A message is delivered", {**_MSG, "payload": "hello"}),
    ("$events/message_acked", "A delivery is acknowledged", {**_MSG, "payload": "hello"}),
    ("$events/message_dropped", "A message finds no route", {**_MSG, "reason": "no_subscribers"}),
    ("$events/client_connected", "A client connects", {"clientid": "c_emqx"}),
    ("$events/client_disconnected", "A client disconnects", {"clientid": "c_emqx"}),
    ("$events/client_connack", "A connection is acknowledged", {"clientid": "c_emqx"}),
    ("$events/client_check_authz_complete", "An authorization check ends", {"result": "allow"}),
    ("$events/client_check_authn_complete", "An authentication ends", {"clientid": "c_emqx"}),
    ("$events/session_subscribed", "A session subscribes", {**_MSG}),
    ("$events/session_unsubscribed", "A session unsubscribes", {**_MSG}),
    ("$events/delivery_dropped", "A delivery is dropped", {**_MSG, "reason": "queue_full"}),
    ("$bridges/mqtt:*", "A message arrives from an MQTT bridge", {"topic": "t/a", "qos": 1}),
]


def _parse_sql(sql: str) -> Statement:
    try:
        return parse(sql)
    except SqlError as bad:
        raise errors.bad_request(f"Bad Arguments: {bad}", status=400) from None


def _check_actions(actions: list[Any]) -> list[Any]:
    """The actions as stored: ids as given, built-in functions with their defaults."""
    stored: list[Any] = []
    for action in actions:
        if isinstance(action, str):
            if ":" not in action:
                raise errors.bad_request(f"Bad Arguments: invalid action: {action}", status=400)
            stored.append(action)
            continue
        function = str(action.get("function", ""))
        args = action.get("args") or {}
        if function == "republish":
            if not isinstance(args, dict) or "topic" not in args:
                raise errors.bad_request("Bad Arguments: republish needs a topic", status=400)
            stored.append({"function": function, "args": {**_REPUBLISH_DEFAULTS, **args}})
        elif function == "console":
            stored.append({"function": function, "args": {}})
        elif ":" in function:
            stored.append({"function": function, "args": args})
        else:
            raise errors.bad_request(f"Bad Arguments: unknown function: {function}", status=400)
    return stored


def format_rule(rule: RuleRecord) -> models.RulesRule:
    return models.RulesRule.model_validate(
        {
            "id": rule.id,
            "name": rule.name,
            "from": list(rule.froms),
            "actions": rule.actions,
            "sql": rule.sql,
            "enable": rule.enable,
            "created_at": dt_ms(rule.created_at),
            "last_modified_at": dt_ms(rule.last_modified_at),
            "description": rule.description,
        }
    )


def _zero_metrics() -> models.RulesMetricCounters:
    return models.RulesMetricCounters.model_validate({name: 0 for name in _COUNTERS})


def _context(context: models.RulesTestContext) -> dict[str, Any]:
    data: dict[str, Any] = context.model_dump(mode="json", by_alias=True, exclude_none=True)
    if data.get("event_type") == "message_publish":
        data = {**PUBLISH_DEFAULTS, **data}
    return data


def _run(statement: Statement, context: models.RulesTestContext) -> models.RulesTestResult:
    try:
        columns = evaluate(statement, _context(context))
    except SqlError as bad:
        raise errors.bad_request(str(bad), status=400) from None
    except NoMatch:
        raise errors.not_match("SQL Not Match", status=412) from None
    return models.RulesTestResult.model_validate(columns)


def _timeout_ms(value: Any) -> int:
    root = getattr(value, "root", value)
    if isinstance(root, int):
        return root
    found = _DURATION.match(str(root))
    if found is None:
        raise errors.bad_request(f"Bad Arguments: not a duration: {root}", status=400)
    return int(found.group(1)) * _UNIT_MS[found.group(2) or "ms"]


class RulesApi:
    """RulesHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    @property
    def _rules(self) -> RulesState:
        return self._state.rules

    def _get(self, id: str) -> RuleRecord:
        rule = self._rules.rules.get(id)
        if rule is None:
            raise errors.not_found("Rule Id Not Found", status=404)
        return rule

    async def get_rule_engine_settings(self) -> models.RulesEngineSettings:
        with self._state.lock:
            return models.RulesEngineSettings.model_validate(dict(self._rules.settings))

    async def update_rule_engine_settings(
        self, *, body: models.RulesEngineSettingsUpdate
    ) -> models.RulesEngineSettings:
        settings = dict(_DEFAULT_SETTINGS)
        if body.ignore_sys_message is not None:
            settings["ignore_sys_message"] = body.ignore_sys_message
        if body.jq_function_default_timeout is not None:
            settings["jq_function_default_timeout"] = _timeout_ms(body.jq_function_default_timeout)
        module = body.model_dump(mode="json").get("jq_implementation_module")
        if module is not None:
            settings["jq_implementation_module"] = module
        with self._state.lock:
            self._rules.settings = settings
        return models.RulesEngineSettings.model_validate(settings)

    async def list_rule_events(self) -> list[models.RulesEvent]:
        events = []
        for topic, title, samples in _EVENTS:
            text = {"en": title, "zh": title}
            events.append(
                models.RulesEvent.model_validate(
                    {
                        "event": topic,
                        "title": text,
                        "description": text,
                        "columns": ["id", *samples, "timestamp", "node"],
                        "test_columns": {k: [v, f"the {k}"] for k, v in samples.items()},
                        "sql_example": f'SELECT * FROM "{topic}"'
                        if topic.startswith("$")
                        else 'SELECT * FROM "t/#"',
                    }
                )
            )
        return events

    async def test_rule_sql(self, *, body: models.RulesTest) -> models.RulesTestResult:
        return _run(_parse_sql(body.sql), body.context)

    async def apply_rule_test(
        self, *, id: str, body: models.RulesApplyTest
    ) -> models.RulesTestResult:
        with self._state.lock:
            rule = self._rules.rules.get(id)
        if rule is None:
            raise errors.rule_not_found("The rule could not be found", status=404)
        return _run(_parse_sql(rule.sql), body.context)

    async def list_rules(
        self,
        *,
        action: list[str] | None = None,
        enable: bool | None = None,
        from_: str | None = None,
        like_description: str | None = None,
        like_from: str | None = None,
        like_id: str | None = None,
        limit: int = 100,
        match_from: str | None = None,
        page: int = 1,
        source: list[str] | None = None,
    ) -> models.RulesRulePage:
        if page < 1 or limit < 1 or limit > 10000:
            raise errors.bad_request("page_limit_invalid", status=400)
        sources = [f"{p}{s}" for s in source or [] for p in ("$bridges/", "$sources/")]

        def keep(rule: RuleRecord) -> bool:
            froms = rule.froms
            return (
                (enable is None or rule.enable == enable)
                and (from_ is None or from_ in froms)
                and (like_id is None or like_id in rule.id)
                and (like_from is None or any(like_from in t for t in froms))
                and (like_description is None or like_description in rule.description)
                and (match_from is None or any(match(match_from, t) for t in froms))
                and (not action or any(a in rule.actions for a in action))
                and (not sources or any(s in froms for s in sources))
            )

        with self._state.lock:
            found = [r for r in self._rules.rules.values() if keep(r)]
        chunk, meta = paginate(found, page, limit)
        return models.RulesRulePage(data=[format_rule(r) for r in chunk], meta=meta)

    def _store(self, id: str, body: Any, created_at: int | None) -> RuleRecord:
        statement = _parse_sql(body.sql)
        raw = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        actions = _check_actions(raw.get("actions", []))
        now = now_ms()
        metadata = dict(raw.get("metadata") or {})
        metadata.update({"created_at": created_at or now, "last_modified_at": now})
        rule = RuleRecord(
            id=id,
            name=body.name or "",
            sql=body.sql,
            actions=actions,
            enable=True if body.enable is None else body.enable,
            description=body.description or "",
            metadata=metadata,
            froms=statement.topics,
            created_at=created_at or now,
            last_modified_at=now,
        )
        self._rules.rules[id] = rule
        return rule

    async def create_rule(self, *, body: models.RulesRuleCreate) -> models.RulesRule:
        id = body.id if body.id is not None else secrets.token_hex(4)
        if id == "":
            raise errors.bad_request("empty rule id is not allowed", status=400)
        with self._state.lock:
            if id in self._rules.rules:
                raise errors.bad_request("rule id already exists", status=400)
            return format_rule(self._store(id, body, None))

    async def get_rule(self, *, id: str) -> models.RulesRule:
        with self._state.lock:
            return format_rule(self._get(id))

    async def update_rule(self, *, id: str, body: models.RulesRuleUpdate) -> models.RulesRule:
        with self._state.lock:
            old = self._rules.rules.get(id)
            created = old.created_at if old is not None else None
            return format_rule(self._store(id, body, created))

    async def delete_rule(self, *, id: str) -> None:
        with self._state.lock:
            self._get(id)
            del self._rules.rules[id]

    async def get_rule_metrics(self, *, id: str) -> models.RulesRuleMetrics:
        with self._state.lock:
            self._get(id)
        node = models.RulesNodeMetrics(node=self._state.node, metrics=_zero_metrics())
        return models.RulesRuleMetrics(id=id, metrics=_zero_metrics(), node_metrics=[node])

    async def reset_rule_metrics(self, *, id: str) -> None:
        with self._state.lock:
            self._get(id)
