"""schemathesis against the generated stub over its whole spec (bounded here: the spec's
examples and 3 generated cases per operation; `make fuzz` adds schemathesis's coverage
phase, every boundary and negative value, and `STUB_FUZZ_EXAMPLES=50 make fuzz` more cases).

Checks kept: documented statuses only (a 5xx is allowed only where the spec documents
it, as EMQX answers 500 NODE_DOWN for an unknown node), content types, response schemas
and headers (Allow on 405), and that protected operations refuse requests without
credentials. Checks left out, and why (a request the spec forbids must still be refused: the stub
validates each JSON body against the spec itself):
- positive_data_acceptance: EMQX validates beyond the schema (an MQTT topic name, at
  most one filter on /banned), so a schema-valid request may rightly get 400;
- unsupported_method: EMQX routes `PUT /plugins/{name}/schema` to
  `PUT /plugins/{name}/{action}` and answers 400 for the unknown action, not 405; the
  stub does the same.
"""

from __future__ import annotations

import base64
import os

import schemathesis
from emqx_server_stub import create_app
from emqx_server_stub.backend import InMemoryBackend
from hypothesis import HealthCheck, settings

KEY, SECRET = "fuzz-key", "fuzz-secret"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()}
EXAMPLES = int(os.environ.get("STUB_FUZZ_EXAMPLES", "3"))

# the enterprise build: it serves every operation of the spec
backend = InMemoryBackend(api_key=KEY, secret_key=SECRET, edition="ee")
for n in range(3):
    backend.add_client(f"fuzz/{n}", username=f"user{n}")
app = create_app(backend.handlers())
schema = schemathesis.openapi.from_asgi("/api-docs/swagger.json", app)
# The coverage phase (every boundary and negative value of every schema) takes minutes over
# the union bodies of part 2: `make fuzz` runs it, `make test` sends the spec's examples and
# a few generated cases per operation.
schema.config.phases.coverage.enabled = os.environ.get("STUB_FUZZ_COVERAGE") == "1"

EXCLUDED = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.unsupported_method,
]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_stub_answers_within_its_spec(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH, excluded_checks=EXCLUDED)
