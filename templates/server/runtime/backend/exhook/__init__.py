"""ExHook: the gRPC servers the broker calls on its hooks, kept in calling order.

The area exhook: handler.py, state.py."""
