"""LwM2M Gateways: commands to LwM2M devices (read, write, observe) and the lookup of
their recorded results.

The area lwm2m_gateways: handler.py."""
