"""Telemetry: whether the node reports anonymous usage data, and the report itself,
built from the shared state (clients, messages, topics, retained messages).

The area telemetry: handler.py, state.py."""
