"""API keys: created, read, changed and deleted with a bearer token; used as HTTP Basic
credentials (key as user name, secret as password) while enabled and not expired.

The area api_keys: handler.py, state.py."""
