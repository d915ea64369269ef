"""Schema Validation (enterprise): checks that published messages must pass, in order.

The area schema_validation: handler.py, state.py."""
