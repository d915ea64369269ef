"""Banned: bans by client id, user name, peer address, pattern or network."""

from __future__ import annotations

import ipaddress
import json
import re
from datetime import datetime
from typing import Any

from ... import errors, models
from ..common.clock import dt_s, epoch_s, now_s
from ..common.net import ntoa
from ..common.paging import check_pager, paginate
from ..state import State
from .state import BANNED_KINDS, BanRecord

_RULE_KINDS = ("clientid_re", "username_re", "peerhost_net")
# For each `like_*` filter, the kinds of ban its regular expression is matched against.
_LIKE_KINDS = {
    "clientid": ("clientid", "clientid_re"),
    "username": ("username", "username_re"),
    "peerhost": ("peerhost",),
    "peerhost_net": ("peerhost_net",),
}


class _BadWho(ValueError):
    pass


def normalize_who(as_: str, who: str) -> str:
    """The banned value as EMQX stores and shows it; _BadWho if it does not parse."""
    if as_ == "peerhost":
        try:
            return ntoa(who)
        except ValueError:
            raise _BadWho('"bad peerhost"') from None
    if as_ == "peerhost_net":
        try:
            return str(ipaddress.ip_network(who, strict=False))
        except ValueError:
            raise _BadWho(f'{{invalid_cidr,"{who}"}}') from None
    if as_ in ("clientid_re", "username_re"):
        try:
            re.compile(who)
        except re.error as exc:
            raise _BadWho(f'{{"{exc.msg}",{exc.pos or 0}}}') from None
    return who


def _epoch(name: str, value: Any) -> int | None:
    """`at`/`until` of a request as epoch seconds (checked); None for `infinity` or absent."""
    if value is None:
        return None
    root = value if isinstance(value, datetime) else getattr(value, "root", value)
    if isinstance(root, datetime | int) or (isinstance(root, str) and root.isdigit()):
        return epoch_s(name, root)
    return None  # "infinity"


def format_ban(ban: BanRecord) -> models.Banned:
    return models.Banned.model_validate(
        {
            "as": ban.as_,
            "who": ban.who,
            "by": ban.by,
            "reason": ban.reason,
            "at": dt_s(ban.at),
            "until": "infinity" if ban.until is None else dt_s(ban.until),
        }
    )


def seed_ban(state: State, as_: str, who: str, *, reason: str, by: str, until: int | None) -> None:
    """Ban as `POST /banned` does, from now until `until` (epoch seconds; None: for ever),
    replacing a ban of the same subject; ValueError for an unknown kind or a bad value."""
    if as_ not in BANNED_KINDS:
        raise ValueError(f"ban kind {as_!r}: expected one of {', '.join(BANNED_KINDS)}")
    try:
        who = normalize_who(as_, who)
    except _BadWho as bad:
        raise ValueError(f"cannot ban {as_} {who!r}: {bad}") from None
    with state.lock:
        state.bans.pop((as_, who), None)
        state.bans[(as_, who)] = BanRecord(as_, who, by, reason, now_s(), until)


def _in_force(ban: BanRecord) -> bool:
    return ban.until is None or ban.until > now_s()


class BannedApi:
    """BannedHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    def _ordered(self) -> list[BanRecord]:
        """Rules (patterns, networks) first, then the individual bans, like the broker."""
        bans = list(self._state.bans.values())
        return [b for b in bans if b.as_ in _RULE_KINDS] + [
            b for b in bans if b.as_ not in _RULE_KINDS
        ]

    async def create_banned(self, *, body: models.BannedCreate) -> models.Banned:
        as_ = str(body.as_.value)
        at = _epoch("at", body.at)  # the schema check comes first in EMQX, then the value
        until = _epoch("until", body.until)
        try:
            who = normalize_who(as_, body.who)
        except _BadWho as bad:
            raise errors.bad_request(str(bad), status=400) from None
        now = now_s()
        at = now if at is None else at
        if until is not None and until <= now:
            message = f"Cannot create expired banned, {at} to {until}"
            raise errors.bad_request(message, status=400)
        by = body.by if body.by is not None else "mgmt_api"
        ban = BanRecord(as_, who, by, body.reason or "", at, until)
        with self._state.lock:
            old = self._state.bans.get((as_, who))
            if old is not None and _in_force(old):
                existing = format_ban(old).model_dump(mode="json", by_alias=True)
                raise errors.already_exists(json.dumps(existing, separators=(",", ":")), status=400)
            self._state.bans.pop((as_, who), None)
            self._state.bans[(as_, who)] = ban
        return format_ban(ban)

    async def list_banned(
        self,
        *,
        clientid: str | None = None,
        like_clientid: str | None = None,
        like_peerhost: str | None = None,
        like_peerhost_net: str | None = None,
        like_username: str | None = None,
        limit: int = 100,
        page: int = 1,
        peerhost: str | None = None,
        username: str | None = None,
    ) -> models.BannedPage:
        check_pager(page, limit)
        exact_in = {"clientid": clientid, "username": username, "peerhost": peerhost}
        like_in = {
            "clientid": like_clientid,
            "username": like_username,
            "peerhost": like_peerhost,
            "peerhost_net": like_peerhost_net,
        }
        exact: dict[str, str] = {k: v for k, v in exact_in.items() if v is not None}
        # A fuzzy filter on the same key as an exact one is dropped, as the broker does.
        like: dict[str, str] = {
            k: v for k, v in like_in.items() if v is not None and k not in exact
        }
        if len(exact) + len(like) > 1:
            raise errors.bad_request("too_many_filters", status=400)
        with self._state.lock:
            bans = self._ordered()
        if exact:
            ((as_, value),) = exact.items()
            try:
                who = normalize_who(as_, value)
            except _BadWho as bad:
                raise errors.bad_request(str(bad), status=400) from None
            found = [b for b in bans if b.as_ == as_ and b.who == who]
            meta = models.BannedPageMeta(page=page, limit=limit, hasnext=False, count=len(found))
            return models.BannedPage(data=[format_ban(b) for b in found], meta=meta)
        if like:
            ((key, pattern),) = like.items()
            try:
                regex = re.compile(pattern)
            except re.error as exc:
                detail = {
                    "message": "The filter is not a validation regex expression",
                    "reason": exc.msg,
                    "position": exc.pos or 0,
                    "filter": pattern,
                }
                raise errors.bad_request(
                    json.dumps(detail, separators=(",", ":")), status=400
                ) from None
            kinds = _LIKE_KINDS[key]
            found = [b for b in bans if b.as_ in kinds and regex.search(b.who)]
            chunk, page_meta = paginate(found, page, limit, with_count=False)
            meta = models.BannedPageMeta(page=page, limit=limit, hasnext=page_meta.hasnext)
            return models.BannedPage(data=[format_ban(b) for b in chunk], meta=meta)
        chunk, page_meta = paginate(bans, page, limit)
        meta = models.BannedPageMeta(page=page, limit=limit, count=page_meta.count)
        return models.BannedPage(data=[format_ban(b) for b in chunk], meta=meta)

    async def delete_banned(self, *, as_: models.BannedAs, who: str) -> None:
        kind = str(as_.value)
        try:
            key = (kind, normalize_who(kind, who))
        except _BadWho:
            # The broker crashes on a value it cannot parse instead of answering 404.
            raise errors.internal_error(f"{kind}: {who} is not valid", status=500) from None
        with self._state.lock:
            if self._state.bans.pop(key, None) is None:
                raise errors.not_found(f"{kind}: {who} not found", status=404)

    async def clear_banned(self) -> None:
        with self._state.lock:
            self._state.bans.clear()
