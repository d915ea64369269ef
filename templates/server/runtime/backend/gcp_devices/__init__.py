"""GCP Devices (enterprise build): devices imported from Google Cloud IoT Core.

The area gcp_devices: handler.py, state.py."""
