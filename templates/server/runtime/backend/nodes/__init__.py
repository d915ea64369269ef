"""Nodes: the single node of this stub, with figures from the state and the host.

The area nodes: handler.py."""
