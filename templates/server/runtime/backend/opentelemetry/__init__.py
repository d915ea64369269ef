"""Opentelemetry (enterprise build): the white lists of end-to-end tracing.

The area opentelemetry: handler.py, state.py."""
