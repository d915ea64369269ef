"""CoAP Gateways: a request to a CoAP client, answered with the client's response.

The area coap_gateways: handler.py."""
