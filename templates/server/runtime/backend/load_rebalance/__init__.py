"""Load Rebalance (enterprise build): rebalances, evacuations and their statuses.

The area load_rebalance: handler.py (the operations), state.py (the processes and their
steps), progress.py (the nodes' counts and eviction agents, and moving processes on)."""
