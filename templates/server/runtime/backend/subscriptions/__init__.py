"""Subscriptions: the cluster-wide list of every session's subscriptions.

The area subscriptions: handler.py, state.py."""
