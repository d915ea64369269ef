"""Gateways: the protocol gateways of the open-source build, listed, read, loaded, changed,
enabled and disabled.

The area gateways: defaults.py, handler.py, state.py, view.py."""
