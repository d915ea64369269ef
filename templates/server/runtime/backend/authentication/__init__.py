"""Authentication: the global chain of authenticators, their status and order, and the
users of the built-in database ones (see `state.py`, `common/authn_config.py`, `common/authn_users.py`).

The area authentication: handler.py, state.py."""
