"""Actions: the `ActionsHandler` over `integration/bridge_v2_ops.py` (see there for what differs from
EMQX). The open-source types are `http` and `mqtt`.

The area actions: handler.py."""
