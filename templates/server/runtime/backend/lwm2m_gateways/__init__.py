"""lwm2m_gateways"""
