"""retainer"""
