"""exhook"""
