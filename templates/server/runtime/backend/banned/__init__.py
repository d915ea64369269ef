"""Banned: bans by client id, user name, peer address, pattern or network.

The area banned: handler.py, state.py."""
