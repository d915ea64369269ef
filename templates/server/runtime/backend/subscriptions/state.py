"""The subscription table: every session's subscriptions in the order the broker lists
them, indexed by topic filter for routing a publish, with the counts the statistics need
kept up to date as subscriptions come and go (nothing is recounted per request)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ..common import topic as _topic


@dataclass
class SubRecord:
    """One subscription: `topic` as subscribed (with any `$share/<group>/` prefix)."""

    clientid: str
    topic: str
    filter: str
    group: str | None
    qos: int
    nl: int
    rap: int
    rh: int
    seq: int = field(default=0, compare=False, repr=False)  # its place in the client's list


_Members = dict[tuple[str, str], SubRecord]  # (clientid, topic) -> subscription
_EMPTY: Mapping[str, SubRecord] = {}


def _is_wild(filter_: str) -> bool:
    return "+" in filter_ or "#" in filter_


class SubTable:
    """Per client id: its subscriptions by topic, clients in the order their session
    started and topics in the order first subscribed (a resubscription keeps its place)."""

    def __init__(self) -> None:
        self._by_client: dict[str, dict[str, SubRecord]] = {}
        self._client_seq: dict[str, int] = {}
        self._exact: dict[str, _Members] = {}  # filters without wildcards
        self._wild: dict[str, _Members] = {}
        self._seq = itertools.count(1)
        self.total = 0
        self.shared = 0

    # -- Reading ------------------------------------------------------------------------

    def of(self, clientid: str) -> Mapping[str, SubRecord]:
        return self._by_client.get(clientid, _EMPTY)

    def count_of(self, clientid: str) -> int:
        return len(self._by_client.get(clientid, _EMPTY))

    def __iter__(self) -> Iterator[SubRecord]:
        for subs in self._by_client.values():
            yield from subs.values()

    @property
    def filters(self) -> int:
        """How many distinct topic filters are subscribed (the `topics` statistic)."""
        return len(self._exact) + len(self._wild)

    def receivers(self, topic: str) -> list[SubRecord]:
        """Every plain subscription matching the topic name, and one member of each
        matching share group: the first in listing order."""
        matched: list[_Members] = []
        exact = self._exact.get(topic)
        if exact is not None:
            matched.append(exact)
        for filter_, members in self._wild.items():
            if _topic.match(topic, filter_):
                matched.append(members)
        plain: list[SubRecord] = []
        groups: dict[str, SubRecord] = {}
        for members in matched:
            for sub in members.values():
                if sub.group is None:
                    plain.append(sub)
                    continue
                first = groups.get(sub.group)
                if first is None or self._place(sub) < self._place(first):
                    groups[sub.group] = sub
                # every member here has the same filter: (group, filter) is the group key
            if groups:
                plain.extend(groups.values())
                groups = {}
        return plain

    def _place(self, sub: SubRecord) -> tuple[int, int]:
        return self._client_seq[sub.clientid], sub.seq

    # -- Changing -----------------------------------------------------------------------

    def reset(self, clientid: str) -> None:
        """An empty list for a new session (a known client keeps its place)."""
        subs = self._by_client.get(clientid)
        if subs is None:
            self._by_client[clientid] = {}
            self._client_seq[clientid] = next(self._seq)
            return
        for sub in subs.values():
            self._unindex(sub)
        subs.clear()

    def drop(self, clientid: str) -> int:
        """Forget a client's subscriptions and its place; how many there were."""
        subs = self._by_client.pop(clientid, None)
        self._client_seq.pop(clientid, None)
        if subs is None:
            return 0
        for sub in subs.values():
            self._unindex(sub)
        return len(subs)

    def add(self, sub: SubRecord) -> None:
        """Add or replace (by topic) a subscription of the client."""
        subs = self._by_client.get(sub.clientid)
        if subs is None:
            subs = self._by_client[sub.clientid] = {}
            self._client_seq[sub.clientid] = next(self._seq)
        old = subs.get(sub.topic)
        if old is not None:
            self._unindex(old)
            sub.seq = old.seq
        else:
            sub.seq = next(self._seq)
        subs[sub.topic] = sub
        index = self._wild if _is_wild(sub.filter) else self._exact
        index.setdefault(sub.filter, {})[(sub.clientid, sub.topic)] = sub
        self.total += 1
        if sub.group is not None:
            self.shared += 1

    def remove(self, clientid: str, topic: str) -> SubRecord | None:
        subs = self._by_client.get(clientid)
        sub = None if subs is None else subs.pop(topic, None)
        if sub is not None:
            self._unindex(sub)
        return sub

    def _unindex(self, sub: SubRecord) -> None:
        index = self._wild if _is_wild(sub.filter) else self._exact
        members = index[sub.filter]
        del members[(sub.clientid, sub.topic)]
        if not members:
            del index[sub.filter]
        self.total -= 1
        if sub.group is not None:
            self.shared -= 1
