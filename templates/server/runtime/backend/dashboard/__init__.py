"""Dashboard: users signing in for bearer tokens and signing out again, managing the
dashboard users, and the configuration schema documents the dashboard draws forms from.

The area dashboard: handler.py, state.py."""
