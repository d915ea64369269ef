"""Cluster linking (enterprise build): the links to other clusters, served under the
Cluster tag by ClusterApi (ops.py), kept apart so the cluster area stays small."""
