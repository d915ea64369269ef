"""Slow Subscriptions: the settings of the statistic and its records. The stub times no
delivery itself; `record()` feeds it as the broker's delivery hook would.

The area slow_subscriptions: handler.py, state.py."""
