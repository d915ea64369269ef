"""api_keys"""
