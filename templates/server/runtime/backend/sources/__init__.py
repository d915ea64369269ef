"""Sources: the `SourcesHandler` over `integration/bridge_v2_ops.py` (see there for what differs from
EMQX). The open-source build has one type, `mqtt`.

The area sources: handler.py."""
