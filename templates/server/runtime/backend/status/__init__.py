"""Status: the node's liveness, as plain text or JSON.

The area status: handler.py."""
