"""MQTT topic rules as EMQX applies them: validating names and filters, shared
subscriptions (`$share/<group>/<filter>`, `$queue/<filter>`) and matching."""

from __future__ import annotations

MAX_TOPIC_LEN = 65535


class InvalidTopic(ValueError):
    """The topic name or filter breaks the MQTT rules."""


def _check_common(topic: str) -> None:
    if topic == "":
        raise InvalidTopic("empty_topic")
    if len(topic.encode("utf-8")) > MAX_TOPIC_LEN:
        raise InvalidTopic("topic_too_long")
    if "\x00" in topic:
        raise InvalidTopic("topic_invalid_char")


def validate_name(topic: str) -> None:
    """A topic name to publish to: no wildcards, no shared-subscription prefix."""
    _check_common(topic)
    if "+" in topic or "#" in topic:
        raise InvalidTopic("topic_name_error")
    if topic.startswith(("$share/", "$queue/")):
        raise InvalidTopic("topic_name_error")


def validate_filter(topic: str) -> None:
    """A plain topic filter: `+` and `#` only as whole levels, `#` only as the last one."""
    _check_common(topic)
    words = topic.split("/")
    for index, word in enumerate(words):
        if word == "#":
            if index != len(words) - 1:
                raise InvalidTopic("topic_invalid_#")
        elif word != "+" and ("+" in word or "#" in word):
            raise InvalidTopic("topic_invalid_char")


def parse(topic: str) -> tuple[str, str | None]:
    """Split a subscription into (filter, share group) and validate both parts."""
    group: str | None = None
    real = topic
    if topic.startswith("$queue/"):
        group, real = "$queue", topic[len("$queue/") :]
    elif topic.startswith("$share/"):
        group, sep, real = topic[len("$share/") :].partition("/")
        if not sep or group == "" or "+" in group or "#" in group:
            raise InvalidTopic("invalid_topic_filter")
    if group is not None and real == "":
        raise InvalidTopic("invalid_topic_filter")
    validate_filter(real)
    return real, group


def share_topic(filter_: str, group: str | None) -> str:
    """The filter as EMQX shows it: `$share/<group>/<filter>` for shared routes."""
    if group is None:
        return filter_
    if group == "$queue":
        return f"$queue/{filter_}"
    return f"$share/{group}/{filter_}"


def match(name: str, filter_: str) -> bool:
    """Whether the topic `name` (words compared literally) is matched by `filter_`."""
    if name.startswith("$") and filter_.startswith(("+", "#")):
        return False
    names, filters = name.split("/"), filter_.split("/")
    for index, word in enumerate(filters):
        if word == "#":
            return True
        if index >= len(names):
            return False
        if word != "+" and word != names[index]:
            return False
    return len(names) == len(filters)


def is_wildcard(topic: str) -> bool:
    return any(word in ("+", "#") for word in topic.split("/"))
