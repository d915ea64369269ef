"""Audit (enterprise build): the record of the changes made through the API.

The area audit: handler.py, state.py."""
