# For mypy: the rendered module, as generated/ has it (see tests/typing/README.md).
from emqx_server_stub.handlers import *  # noqa: F403
