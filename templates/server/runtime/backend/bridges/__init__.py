"""Bridges: the version 1 data bridge API over the connectors, actions and sources of
`State.integration`. A v1 bridge `webhook:<name>` is the action `http:<name>` and the
connector it uses; `mqtt:<name>` is the action (egress) or source (ingress) `mqtt:<name>`
and its connector. An action or source is a v1 bridge only while its connector serves
nothing else.

The area bridges: handler.py, v1_convert.py."""
