"""gateway_authentication"""
