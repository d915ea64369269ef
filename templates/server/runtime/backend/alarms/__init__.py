"""Alarms: raised and cleared through the seeding API, listed, force-cleared and purged
over HTTP.

The area alarms: handler.py, state.py."""
