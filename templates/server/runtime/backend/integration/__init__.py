"""Data integration shared by the Connectors, Actions, Sources and Bridges areas: one
table of connectors, actions and sources (state.py) and the operations on them."""
