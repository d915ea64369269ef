"""The seeding methods of InMemoryBackend for what only the enterprise build has: the LDAP
directory and the identity providers of single sign-on, node eviction, durable storage
and queues, and the files a finished file transfer leaves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .dashboard_single_sign_on.flows import saml_response
from .durable_storage.state import DurableStorageState
from .file_transfer.state import ExportedFile
from .state import State


class EnterpriseSeeding:
    """Mixed into InMemoryBackend, whose `_state` it seeds."""

    _state: State

    def add_ldap_user(self, username: str, password: str) -> None:
        """Put a user into the LDAP directory the stub plays (enterprise build): it can
        then sign in with `POST /sso/login/ldap` once an enabled `ldap` backend exists."""
        with self._state.lock:
            self._state.sso.directory[username] = password

    def sso_grant(self, backend: str, username: str) -> str:
        """What the identity provider of `backend` hands the browser once `username` has
        signed in there (enterprise build): for `oidc`, an authorization code for
        `GET /sso/oidc/callback` (with the `state` of the login redirect); for `saml`, the
        `SAMLResponse` to post to `POST /sso/saml/acs`. Each is good once."""
        if backend not in ("oidc", "saml"):
            raise ValueError(f"backend {backend!r}: expected oidc or saml")
        with self._state.lock:
            grant = self._state.sso.grant(backend, username)
        return grant if backend == "oidc" else saml_response(grant, username)

    def enable_node_eviction(self, enabled: bool = True) -> None:
        """Turn the eviction agent on (or off) for no process of the stub's own (enterprise
        build): `GET /node_eviction/status` then reports it, the availability check answers
        503, and an evacuation of this node is refused as `eviction_agent_busy`. Starting an
        evacuation, or a rebalance this node is a donor of, turns it on by itself."""
        with self._state.lock:
            self._state.eviction.enabled = enabled

    def enable_durable_storage(self, enabled: bool = True) -> None:
        """Run durable sessions on the builtin_raft backend (enterprise build): this node's
        site then holds every durable storage and the `/ds` operations answer. Off (the
        default) is a fresh node again: no sites, and they answer 404 `Durable storage is
        disabled`."""
        with self._state.lock:
            if enabled:
                self._state.durable_storage.enable(self._state.node)
            else:
                self._state.durable_storage = DurableStorageState()

    def add_ds_site(self, site: str, node: str) -> None:
        """Seed a site another node holds (a node that ran durable storage), which replica
        sets may then be assigned to."""
        with self._state.lock:
            self._state.durable_storage.sites[site] = node

    def enable_durable_queues(self, enabled: bool = True) -> None:
        """Turn durable queues on (or off), as durable sessions do (enterprise build)."""
        with self._state.lock:
            self._state.durable_queues.enabled = enabled

    def set_durable_queue_active(self, queue_id: str, active: bool = True) -> None:
        """Mark a declared queue as used by subscribers (it then cannot be deleted)."""
        with self._state.lock:
            active_ids = self._state.durable_queues.active
            if active:
                active_ids.add(queue_id)
            else:
                active_ids.discard(queue_id)

    def add_exported_file(
        self,
        clientid: str,
        fileid: str,
        name: str,
        content: bytes,
        *,
        timestamp: int | None = None,
        meta: dict[str, Any] | None = None,
    ) -> str:
        """Put a file the local exporter holds, as a finished MQTT file transfer leaves it
        (enterprise build); returns its `fileref` for `GET /file_transfer/file`."""
        exported = ExportedFile(
            clientid, fileid, name, content, timestamp or int(datetime.now().timestamp()), meta
        )
        with self._state.lock:
            self._state.file_transfer.files[exported.fileref] = exported
        return exported.fileref

    def clear_exported_files(self) -> None:
        """Remove every file `add_exported_file` put."""
        with self._state.lock:
            self._state.file_transfer.files.clear()
