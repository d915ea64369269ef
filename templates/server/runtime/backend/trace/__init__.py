"""Trace: log traces by client id, topic, peer address or rule, with one file per running
node while the trace runs.

The area trace: handler.py, state.py."""
