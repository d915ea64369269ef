"""Configs through the generated client against the live stub: the roots under /configs,
the global zone, the hidden limiter settings, resets, and the HOCON text of the whole
configuration. Every exchange is checked against the spec (conftest's `client`)."""

from __future__ import annotations

from typing import Any

import emqx_client
import httpx
import pytest
from emqx_client import models

from tests.functional.conftest import API_KEY, SECRET, LiveStub
from tests.functional.openapi_check import SpecChecker


def test_alarm_settings_are_replaced_as_a_whole(client: Any) -> None:
    alarm = client.configs.get_alarm()
    assert (alarm.size_limit, alarm.validity_period) == (1000, "24h")
    assert [a.value for a in alarm.actions] == ["log", "publish"]

    changed = client.configs.update_alarm(
        body={"actions": ["log"], "size_limit": 500, "validity_period": "1h"}
    )
    assert (changed.size_limit, changed.validity_period) == (500, "1h")
    # A root is replaced: what is left out goes back to its default.
    again = client.configs.update_alarm(body={"size_limit": 20})
    assert again.size_limit == 20 and again.validity_period == "24h"
    assert client.configs.get_alarm().size_limit == 20

    with pytest.raises(emqx_client.BadRequestError) as info:
        # model_construct skips the client's own check, so the stub sees the bad value.
        client.configs.update_alarm(body=models.ConfigAlarm.model_construct(size_limit=5000))
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    client.configs.reset(rootname="alarm")
    assert client.configs.get_alarm().size_limit == 1000


def test_broker_and_sys_topics_settings(client: Any) -> None:
    broker = client.configs.get_broker()
    assert broker.enable_session_registry is True
    assert broker.perf is not None and broker.perf.route_lock_type.value == "key"
    changed = client.configs.update_broker(
        body={
            "session_history_retain": "1h",
            "shared_subscription_group": {"g1": {"strategy": "sticky"}},
        }
    )
    assert changed.session_history_retain == "1h"
    group = changed.shared_subscription_group["g1"]
    assert (group.strategy.value, group.initial_sticky_pick.value) == ("sticky", "random")
    assert client.configs.get_broker().shared_subscription_group["g1"].strategy == "sticky"
    client.configs.reset(rootname="broker", conf_path="session_history_retain")
    assert client.configs.get_broker().session_history_retain == "0s"

    sys_topics = client.configs.get_sys_topics()
    assert sys_topics.sys_msg_interval == "1m"
    changed = client.configs.update_sys_topics(
        body={"sys_msg_interval": "disabled", "sys_event_messages": {"client_subscribed": True}}
    )
    events = changed.sys_event_messages
    assert changed.sys_msg_interval == "disabled" and changed.sys_heartbeat_interval == "30s"
    assert events.client_subscribed is True and events.client_connected is True
    assert client.configs.get_sys_topics().sys_msg_interval == "disabled"
    client.configs.reset(rootname="sys_topics")
    assert client.configs.get_sys_topics().sys_msg_interval == "1m"


def test_sysmon_secrets_are_obfuscated_and_kept(client: Any) -> None:
    sysmon = client.configs.get_sysmon()
    assert sysmon.os.cpu_high_watermark == "80%"
    assert sysmon.top.db_password == "******"
    body = sysmon.model_dump(mode="json", exclude_none=True)
    body["os"]["cpu_high_watermark"] = "95%"
    changed = client.configs.update_sysmon(body=body)
    assert changed.os.cpu_high_watermark == "95%" and changed.top.db_password == "******"
    # The HOCON text carries the secret as stored: `******` sent back kept it.
    assert 'db_password = "system_monitor_password"' in client.configs.get(key="sysmon")

    bad_os = models.ConfigSysmonOs.model_construct(cpu_high_watermark="lots")
    with pytest.raises(emqx_client.BadRequestError):
        client.configs.update_sysmon(body=models.ConfigSysmon.model_construct(os=bad_os))
    client.configs.reset(rootname="sysmon", conf_path="os.cpu_high_watermark")
    assert client.configs.get_sysmon().os.cpu_high_watermark == "80%"


def test_dashboard_settings_and_their_checks(client: Any) -> None:
    dashboard = client.configs.get_dashboard()
    assert dashboard.default_password == "******"
    assert dashboard.listeners.http.bind == 18083
    body: dict[str, Any] = {
        "default_username": "admin",
        "default_password": "******",
        "token_expired_time": "30m",
        "listeners": {"http": {"bind": 18083, "num_acceptors": 2}},
    }
    changed = client.configs.update_dashboard(body=body)
    assert changed.token_expired_time == "30m" and changed.cors is False
    assert changed.listeners.http.num_acceptors == 2

    with pytest.raises(emqx_client.BadRequestError) as info:
        client.configs.update_dashboard(body={**body, "sample_interval": "7s"})
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    clash = {**body, "listeners": {"http": {"bind": 18083}, "https": {"bind": 18083}}}
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.configs.update_dashboard(body=clash)
    assert info.value.code == models.ErrorCode.UPDATE_FAILED
    with pytest.raises(emqx_client.BadRequestError) as info:  # the two required fields
        client.configs.update_dashboard(body=models.ConfigDashboard.model_construct(cors=True))
    assert info.value.code == models.ErrorCode.BAD_REQUEST

    with pytest.raises(emqx_client.BadRequestError) as info:
        client.configs.reset(rootname="dashboard", conf_path="listeners.http.num_acceptors")
    assert info.value.code == models.ErrorCode.NO_DEFAULT_VALUE
    client.configs.reset(rootname="dashboard", conf_path="token_expired_time")
    assert client.configs.get_dashboard().token_expired_time == "60m"


def test_log_file_handlers_are_named(client: Any) -> None:
    log = client.configs.get_log()
    assert list(log.file) == ["default"] and log.file["default"].level.value == "warning"
    assert log.console.enable is False

    changed = client.configs.update_log(body={"file": {"level": "info"}})
    assert changed.file["default"].level.value == "info"
    assert changed.file["default"].rotation_count == 10
    named = client.configs.update_log(
        body={"file": {"audit": {"path": "/tmp/audit.log", "level": "notice"}}}
    )
    assert list(named.file) == ["audit"] and named.file["audit"].path == "/tmp/audit.log"

    with pytest.raises(emqx_client.BadRequestError):
        client.configs.update_log(body={"console": {"time_offset": "tomorrow"}})
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.configs.reset(rootname="log", conf_path="file.audit.nothing")
    assert info.value.code == models.ErrorCode.REST_FAILED
    client.configs.reset(rootname="log")
    assert list(client.configs.get_log().file) == ["default"]


def test_global_zone_answers_the_roots_given(client: Any) -> None:
    zone = client.configs.get_global_zone()
    assert zone.mqtt.max_inflight == 32 and zone.mqtt.max_packet_size == "1MB"
    assert zone.flapping_detect.enable is False and zone.force_gc.count == 16000
    assert zone.durable_sessions.enable is False

    changed = client.configs.update_global_zone(
        body={"flapping_detect": {"enable": True, "max_count": 5}}
    )
    assert changed.mqtt is None and changed.flapping_detect.max_count == 5
    assert changed.flapping_detect.ban_time == "5m"
    zone = client.configs.get_global_zone()
    assert zone.flapping_detect.enable is True and zone.mqtt.max_inflight == 32

    bad_mqtt = models.ConfigMqtt.model_construct(max_qos_allowed=3)
    with pytest.raises(emqx_client.BadRequestError):
        client.configs.update_global_zone(
            body=models.ConfigGlobalZone.model_construct(mqtt=bad_mqtt)
        )
    client.configs.update_global_zone(body={"flapping_detect": {}})
    assert client.configs.get_global_zone().flapping_detect.enable is False


def test_hidden_limiter_settings(client: Any) -> None:
    limiter = client.configs.get_limiter()
    assert limiter.max_conn_rate == "infinity" and limiter.messages_rate is None

    changed = client.configs.update_limiter(
        body={"messages_rate": "500/s", "bytes_rate": "10MB/10s"}
    )
    assert (changed.messages_rate, changed.bytes_rate) == ("500/s", "10MB/10s")
    assert client.configs.get_limiter().messages_rate == "500/s"
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.configs.update_limiter(body={"max_conn_rate": "fast"})
    assert info.value.code == models.ErrorCode.BAD_REQUEST
    cleared = client.configs.update_limiter(body={})
    assert cleared.messages_rate is None and cleared.max_conn_rate == "infinity"


def test_reset_refuses_unknown_roots_and_paths(client: Any) -> None:
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.configs.reset(rootname="sysmon", conf_path="os.no_such_setting")
    assert info.value.code == models.ErrorCode.REST_FAILED
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.configs.reset(rootname="mqtt")
    assert info.value.code == models.ErrorCode.BAD_REQUEST


def test_whole_configuration_as_hocon(client: Any, stub: LiveStub) -> None:
    text = client.configs.get()
    assert isinstance(text, str)
    assert "sysmon {" in text and "listeners {" in text and "dashboard {" in text
    assert "\nbroker {" not in text and not text.startswith("broker")
    only = client.configs.get(key="alarm", node=stub.backend.node)
    assert only.startswith("alarm {") and "size_limit" in only and "sysmon" not in only
    with pytest.raises(emqx_client.InternalServerError) as info:
        client.configs.get(node="emqx@nowhere")
    assert info.value.code == models.ErrorCode.INTERNAL_ERROR

    client.configs.update(body='sysmon.os.cpu_high_watermark = "90%"\nalarm {size_limit = 7}')
    assert client.configs.get_sysmon().os.cpu_high_watermark == "90%"
    assert client.configs.get_sysmon().vm.long_schedule == "240ms"
    assert client.configs.get_alarm().size_limit == 7
    client.configs.update(body="alarm { validity_period = 2h }", mode="replace")
    alarm = client.configs.get_alarm()
    assert (alarm.size_limit, alarm.validity_period) == (1000, "2h")

    client.configs.update(
        body='listeners.tcp.from_text { bind = "0.0.0.0:1999", max_connections = 10 }'
    )
    made = client.listeners.get(id="tcp:from_text")
    assert made.bind == "0.0.0.0:1999" and made.running is True
    client.listeners.delete(id="tcp:from_text")
    client.configs.reset(rootname="sysmon")
    client.configs.reset(rootname="alarm")


def test_hocon_text_that_is_refused(client: Any) -> None:
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.configs.update(body='node { cookie = "secret" }\nalarm.size_limit = 9')
    assert "read-only key 'node'" in str(info.value.body)
    assert client.configs.get_alarm().size_limit == 1000
    client.configs.update(
        body='node { cookie = "secret" }\nalarm.size_limit = 9', ignore_readonly=True
    )
    assert client.configs.get_alarm().size_limit == 9

    with pytest.raises(emqx_client.BadRequestError):
        client.configs.update(body="alarm { size_limit = ")
    with pytest.raises(emqx_client.BadRequestError) as info:
        client.configs.update(body="alarm { size_limit = 99999 }")
    assert "alarm" in str(info.value.body)
    client.configs.reset(rootname="alarm")


def test_hocon_body_must_be_text(stub: LiveStub, checker: SpecChecker) -> None:
    before = len(checker.failures)
    http = httpx.Client(auth=(API_KEY, SECRET), event_hooks={"response": [checker.check]})
    with http:
        answer = http.put(f"{stub.base_url}/configs", json={"alarm": {"size_limit": 3}})
        text = http.get(f"{stub.base_url}/configs", params={"key": "alarm"})
    assert answer.status_code == 415
    assert answer.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert text.headers["content-type"].startswith("text/plain")
    assert "size_limit = 1000" in text.text
    assert checker.failures[before:] == []
