"""auto_subscribe"""
