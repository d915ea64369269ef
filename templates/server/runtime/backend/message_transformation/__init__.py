"""Message Transformation (enterprise): rewriting published messages, in order.

The area message_transformation: handler.py, dryrun.py, variform.py, state.py."""
