"""A server for the bench, run as a child: `python -m tests.bench._serve APP PORT [BODIES]`.

APP `stub`: the generated stub with its in-memory backend (1,000 seeded clients, one
subscriber on `bench/#` so that a publish is delivered). APP `minimal`: a hand-written
FastAPI app whose two endpoints return the bodies (read from the BODIES JSON file) that the
stub answered, as a person would write them without a generator. Loopback only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import uvicorn
from fastapi import Body, FastAPI

from tests.bench._common import LOOPBACK, generated_on_path
from tests.bench._page import seed_clients

API_KEY = "bench-key"
SECRET_KEY = "bench-secret"
SEEDED_CLIENTS = 1000


def stub_app() -> Any:
    generated_on_path()
    from emqx_server_stub import create_app
    from emqx_server_stub.backend import InMemoryBackend

    backend = InMemoryBackend(api_key=API_KEY, secret_key=SECRET_KEY)
    seed_clients(backend, SEEDED_CLIENTS)
    backend.add_client("bench-subscriber", username="bench")
    backend.add_subscription("bench-subscriber", "bench/#", qos=1)
    return create_app(backend.handlers())


def minimal_app(bodies: dict[str, Any]) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    clients_page, publish_result = bodies["clients"], bodies["publish"]

    @app.get("/api/v5/clients")
    async def list_clients(page: int = 1, limit: int = 100) -> dict[str, Any]:
        return clients_page  # type: ignore[no-any-return]

    @app.post("/api/v5/publish")
    async def publish(message: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        return publish_result  # type: ignore[no-any-return]

    return app


def main(argv: list[str]) -> None:
    app_name, port = argv[0], int(argv[1])
    if app_name == "stub":
        app = stub_app()
    else:
        app = minimal_app(json.loads(Path(argv[2]).read_text(encoding="utf-8")))
    uvicorn.run(app, host=LOOPBACK, port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main(sys.argv[1:])
