"""Connectors: connections to external systems that actions and sources use, kept in
`State.integration` (see `integration/connector_store.py` for ids, configurations and answers).

The area connectors: handler.py."""
