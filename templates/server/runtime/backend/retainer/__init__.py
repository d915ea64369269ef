"""Retainer: the retained messages that `POST /publish` (retain=true) stores in
`state.retained`, listed, looked up and deleted here, and the retainer's settings.

The area retainer: handler.py, state.py."""
