"""Schema Registry (enterprise): registered schemas and external schema registries.

The area schema_registry: handler.py, serde.py, state.py."""
