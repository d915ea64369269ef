"""error_codes"""
