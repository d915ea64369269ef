from typing import Any

from .integration.type_table import IntegrationTypeRow

CONNECTOR_TYPES: tuple[IntegrationTypeRow, ...]
ACTION_TYPES: tuple[IntegrationTypeRow, ...]
SOURCE_TYPES: tuple[IntegrationTypeRow, ...]
BRIDGE_TYPES: tuple[IntegrationTypeRow, ...]

ENTERPRISE_CHOICES: dict[str, tuple[tuple[tuple[str, str], ...], ...]]
ENTERPRISE_GATEWAY_LISTENERS: dict[str, tuple[str, ...]]
ENTERPRISE_GATEWAY_DEFAULTS: dict[str, dict[str, Any]]
ENTERPRISE_LISTENER_DEFAULTS: dict[str, dict[str, Any]]
