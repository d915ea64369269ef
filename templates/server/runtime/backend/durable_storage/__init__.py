"""Durable storage (enterprise build): the sites and the replica sets of the durable
storages. The area durable_storage: handler.py, state.py."""
