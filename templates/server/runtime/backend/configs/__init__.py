"""Configs: the configuration roots under /configs/<root>, the global zone, the node-wide
rate limits, resetting roots to their defaults, and the whole configuration as HOCON text.

The area configs: handler.py, state.py."""
