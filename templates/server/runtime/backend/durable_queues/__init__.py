"""Durable Queues (enterprise build): declared shared-subscription queues.

The area durable_queues: handler.py, state.py."""
