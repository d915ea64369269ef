"""Metrics, the dashboard monitor part: the sampled time series (`/monitor`) and the
current gauges and rates (`/monitor_current`), on top of CountersApi (`/stats`,
`/metrics`).

The area metrics: counters.py, handler.py, state.py."""
