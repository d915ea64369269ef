"""coap_gateways"""
