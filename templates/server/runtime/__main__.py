"""`python -m emqx_server_stub [--host H] [--port P] [--api-key K] [--secret-key S]
[--edition ce|ee] [--seed demo]`."""

from __future__ import annotations

import argparse
import os

import uvicorn

from .app import create_app
from .backend import InMemoryBackend
from .backend.seed import DATASETS
from .handlers import EDITIONS


def main() -> None:
    parser = argparse.ArgumentParser(prog="emqx_server_stub", description="Run the EMQX API stub.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18083)
    parser.add_argument("--api-key", default=os.environ.get("EMQX_API_KEY", "emqx-stub-key"))
    parser.add_argument(
        "--secret-key", default=os.environ.get("EMQX_SECRET_KEY", "emqx-stub-secret")
    )
    parser.add_argument(
        "--edition",
        choices=EDITIONS,
        default="ce",
        help="the EMQX build to imitate: ce (open source) or ee (enterprise)",
    )
    parser.add_argument(
        "--seed",
        choices=sorted(DATASETS),
        help="fill the stub with a data set first (demo: clients, subscriptions, retained "
        "messages, alarms, bans)",
    )
    args = parser.parse_args()
    backend = InMemoryBackend(
        api_key=args.api_key, secret_key=args.secret_key, edition=args.edition
    )
    if args.seed is not None:
        backend.seed(args.seed)
    uvicorn.run(create_app(backend.handlers()), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
