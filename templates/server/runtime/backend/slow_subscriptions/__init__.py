"""slow_subscriptions"""
