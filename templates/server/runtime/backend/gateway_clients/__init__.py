"""gateway_clients"""
