"""data_backup"""
