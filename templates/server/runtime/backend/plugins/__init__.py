"""Plugins: uploading plugin packages (real .tar.gz files, read in memory), their boot
order, starting and stopping them, and their configuration.

The area plugins: handler.py, state.py."""
