"""MQTT: delayed messages (taken from what `POST /publish` sent to `$delayed/...`),
per-topic message metrics (counted from the published messages) and topic rewrite rules.

The area mqtt: handler.py, state.py."""
