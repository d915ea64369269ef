"""Clients: seeding connected clients, listing and looking them up (by page or cursor),
kicking them out, subscribing or unsubscribing them on their behalf, and what their
sessions hold (see session_ops.py).

The area clients: filters.py, format.py, handler.py, queues.py, session_ops.py, state.py."""
