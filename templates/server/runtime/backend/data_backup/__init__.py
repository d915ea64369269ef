"""Data Backup: exporting the node's tables to real .tar.gz backup files (kept in memory),
listing, uploading, downloading and deleting them, and importing one.

The area data_backup: handler.py, state.py."""
