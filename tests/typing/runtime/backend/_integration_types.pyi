from .integration.type_table import IntegrationTypeRow

CONNECTOR_TYPES: tuple[IntegrationTypeRow, ...]
ACTION_TYPES: tuple[IntegrationTypeRow, ...]
SOURCE_TYPES: tuple[IntegrationTypeRow, ...]
BRIDGE_TYPES: tuple[IntegrationTypeRow, ...]
