"""Relup: a hot-upgrade package (a hidden plugin `emqx_relup-<vsn>`), installed on every
node, and the upgrades it performs.

The area relup: handler.py, state.py."""
