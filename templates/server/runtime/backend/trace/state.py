"""The traces of the node: their filters, time windows and log files by node."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..common.clock import dt_s


@dataclass
class TraceFile:
    content: bytearray = field(default_factory=bytearray)
    mtime: int = 0


@dataclass
class TraceRecord:
    name: str
    type: str
    filter: str
    payload_encode: str
    formatter: str
    start_at: int  # epoch seconds
    end_at: int
    enable: bool = True
    files: dict[str, TraceFile] = field(default_factory=dict)  # by node

    @property
    def filename(self) -> str:
        return f"trace_{self.name}_{dt_s(self.start_at).date().isoformat()}.log"


@dataclass
class TraceState:
    traces: dict[str, TraceRecord] = field(default_factory=dict)
