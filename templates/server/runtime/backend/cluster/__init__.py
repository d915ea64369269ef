"""Cluster: membership of this node's cluster, invitations (waited for or in the
background) and forcing nodes out.

The area cluster: handler.py, state.py."""
