"""Monitor: the Prometheus integration's settings and the metrics it exposes, as the
Prometheus text format or grouped as JSON.

The area monitor: handler.py, state.py."""
