"""Topics: the routing table derived from the subscriptions. A plain filter is routed to
the node once, however many clients subscribe to it; a shared subscription group has a
route of its own, shown as `$share/<group>/<filter>`.

The area topics: handler.py."""
