# For mypy: the rendered wiring (templates/server/backend/_handlers.py.j2); see tests/typing/README.md.
from runtime._auth import Authenticator
from runtime.backend.state import State
from runtime.handlers import Edition, Handlers

def build_handlers(auth: Authenticator, state: State, edition: Edition = ...) -> Handlers: ...
