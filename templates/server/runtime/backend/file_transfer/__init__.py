"""File Transfer (enterprise build): exported files and the transfer settings.

The area file_transfer: handler.py, state.py."""
