"""Gateway Clients: the clients of a loaded gateway, kicking them out, and their
subscriptions.

The area gateway_clients: filters.py, handler.py, state.py, store.py."""
