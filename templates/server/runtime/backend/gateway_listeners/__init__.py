"""Gateway Listeners: the listeners of a loaded gateway and the authenticator of each
listener, each part in its own module.

The area gateway_listeners: authn.py, crud.py, handler.py."""
