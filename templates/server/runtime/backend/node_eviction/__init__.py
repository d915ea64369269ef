"""Node Eviction (enterprise build): whether the node's eviction agent is on.

The area node_eviction: handler.py, state.py."""
