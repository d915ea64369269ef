"""Listeners: the MQTT listeners of the node (tcp, ssl, ws, wss, quic), created, changed,
started, stopped and deleted through the API and kept in the configuration's `listeners`
root (`State.configs`), where `PUT /configs` sees them too.

The area listeners: handler.py."""
