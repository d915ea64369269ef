"""The global authentication chain: authenticators in the order clients are checked, each
with its stored configuration and, for the built-in database ones, its users. Ordering
follows EMQX's `emqx_authn_config` (moves, reorders) and its error answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ... import errors
from ..common.authn_config import authenticator_id
from ..common.authn_users import UserStore


@dataclass
class AuthnRecord:
    config: dict[str, Any]
    users: UserStore = field(default_factory=UserStore)

    @property
    def id(self) -> str:
        return authenticator_id(self.config)


def not_found(authn_id: str) -> errors.ApiError:
    return errors.not_found(f"Authenticator '{authn_id}' does not exist", status=404)


@dataclass
class AuthnState:
    chain: list[AuthnRecord] = field(default_factory=list)

    def require_chain(self) -> None:
        """EMQX keeps the global chain only while it holds authenticators; operations
        that go to the chain itself answer 404 without one."""
        if not self.chain:
            raise errors.not_found("Authenticator not found in the 'global' scope", status=404)

    def find(self, authn_id: str) -> AuthnRecord | None:
        return next((record for record in self.chain if record.id == authn_id), None)

    def get(self, authn_id: str) -> AuthnRecord:
        record = self.find(authn_id)
        if record is None:
            raise not_found(authn_id)
        return record

    def add(self, config: dict[str, Any]) -> AuthnRecord:
        authn_id = authenticator_id(config)
        if self.find(authn_id) is not None:
            raise errors.already_exists(f"Authenticator '{authn_id}' already exist", status=409)
        record = AuthnRecord(config)
        self.chain.append(record)
        return record

    def remove(self, authn_id: str) -> None:
        """Idempotent, as in EMQX: an unknown id is fine while the chain exists."""
        self.require_chain()
        self.chain = [record for record in self.chain if record.id != authn_id]

    def move(self, authn_id: str, position: str) -> None:
        """`front`, `rear`, `before:{id}` or `after:{id}`."""
        where, _, other = position.partition(":")
        if position not in ("front", "rear") and (where not in ("before", "after") or not other):
            raise errors.bad_request("Invalid value for 'position'", status=400)
        record = self.get(authn_id)
        rest = [item for item in self.chain if item is not record]
        if where == "front":
            self.chain = [record, *rest]
        elif where == "rear":
            self.chain = [*rest, record]
        else:
            index = next((i for i, item in enumerate(rest) if item.id == other), None)
            if index is None:
                raise not_found(other)
            at = index if where == "before" else index + 1
            self.chain = [*rest[:at], record, *rest[at:]]

    def reorder(self, ids: list[str]) -> None:
        """The chain in exactly the order given; every authenticator must be named."""
        remaining = {record.id: record for record in self.chain}
        ordered: list[AuthnRecord] = []
        unknown: list[str] = []
        for authn_id in ids:
            record = remaining.pop(authn_id, None)
            if record is None:
                unknown.insert(0, authn_id)
            else:
                ordered.append(record)
        if unknown or remaining:
            parts = []
            if unknown:
                parts.append(f"Authenticators: {', '.join(unknown)} are not found")
            if remaining:
                parts.append(
                    f"No positions are specified for authenticators: {', '.join(remaining)}"
                )
            raise errors.bad_request(", ".join(parts), status=400)
        self.chain = ordered

    def with_users(self, authn_id: str) -> UserStore:
        """The users of a built-in database authenticator, with the answers EMQX gives to
        user operations otherwise: 404 without any chain, 400 for an unknown authenticator
        (its error goes through the user-error path) or one that keeps no users."""
        self.require_chain()
        record = self.find(authn_id)
        if record is None:
            raise errors.bad_request(
                f'User error: {{not_found,{{authenticator,<<"{authn_id}">>}}}}', status=400
            )
        if record.config.get("backend") != "built_in_database":
            raise errors.bad_request("User error: unsupported_operation", status=400)
        return record.users
