"""Rules: the rule engine's settings, its events, rules, their metrics and SQL tests.

The area rules: handler.py, sql.py, state.py."""
