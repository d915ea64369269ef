"""Auto Subscribe: the topics every client is subscribed to on connecting. The stub keeps
the list; it does not subscribe the clients seeded through the backend.

The area auto_subscribe: handler.py, state.py."""
