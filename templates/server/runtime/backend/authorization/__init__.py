"""Authorization: the sources the broker asks in order (with the settings and the cache)
and the rules of the built-in database source, each part in its own module.

The area authorization: handler.py, rules.py, rules_state.py, source_order.py, sources.py, state.py."""
