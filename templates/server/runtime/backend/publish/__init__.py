"""Publish: messages published over HTTP, delivered to the matching subscriptions of the
seeded clients and kept in `backend.published`.

The area publish: handler.py, state.py."""
