"""Helpers every area may use (time, topics, paging, HOCON, the authenticator users and
configuration both authentication areas share); nothing here knows an area."""
