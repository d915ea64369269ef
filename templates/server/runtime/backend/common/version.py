"""The EMQX release the stub imitates."""

from __future__ import annotations

VERSION = "5.8.9"
