# For mypy: the rendered module, as generated/ has it (see tests/typing/README.md).
from emqx_server_stub.models import *  # noqa: F403
