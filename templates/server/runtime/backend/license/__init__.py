"""License (enterprise build): the license in force and its connection watermarks.

The area license: handler.py, state.py."""
