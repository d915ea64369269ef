"""The cluster: its members, the nodes outside it, and the invitations under way."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Invitation:
    node: str
    started_at: int  # epoch ms
    finishes_at: int  # epoch ms
    done: bool = False
    reason: str | None = None  # set when it failed


@dataclass
class ClusterState:
    name: str = "emqxcl"
    members: list[str] = field(default_factory=list)  # joined nodes, this one excluded
    standalone: list[str] = field(default_factory=list)  # reachable, not members
    invitations: dict[str, Invitation] = field(default_factory=dict)
