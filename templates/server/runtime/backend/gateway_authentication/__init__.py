"""Gateway Authentication: the authenticator of a loaded gateway and the users of its
built-in database, and the user imports of a gateway's and a listener's authenticator.

The area gateway_authentication: handler.py, slot.py, users.py."""
