"""An in-memory backend for the stub: one EMQX node whose state lives in this process.

backend = InMemoryBackend(api_key="key", secret_key="secret")
backend.add_client("sensor-01", username="alice")
app = create_app(backend.handlers())
"""

from __future__ import annotations

from ._backend import InMemoryBackend
from .publish.state import PublishedMessage

__all__ = ["InMemoryBackend", "PublishedMessage"]
