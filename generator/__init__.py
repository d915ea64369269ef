"""emqx-codegen: from one OpenAPI document of EMQX v5 to a client, a stub and an error table."""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
