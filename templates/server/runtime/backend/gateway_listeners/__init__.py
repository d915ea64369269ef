"""gateway_listeners"""
