"""The data-integration type tables of the stub, read from the spec's unions.

Connectors, actions and sources are each described by three unions: the answer (with a
`type` discriminator), the create body (likewise) and the update body (no `type`: the id in
the path decides). Every type is a key of the answer and create unions' discriminator
mapping; its update shape is the update union's branch named like its create branch with
`Update` for `Create` (or, failing that, the branch whose properties are the create
branch's less `type` and `name`, each defined alike, so types of one shape can share one
update branch; failing both, the stub checks an update against the create shape). A branch marked
`x-emqx-edition: enterprise` is a type only the enterprise build has; an action or source
branch may name the connector type it needs with `x-emqx-connector-type` (by default the
connector type of the same name, as for every type of 5.8.9 but a few).

Version 1 bridges are a fourth kind over the same three-union layout (`BridgesBridge...`): a
bridge type is stored as a connector and an action or source, whose type a create branch
names with `x-emqx-action-type` (by default the type of the same name: `mysql`, `mqtt`; but
`kafka` is stored as `kafka_producer`, `webhook` as `http`).
"""

from __future__ import annotations

from typing import Any

from generator.openapi import is_enterprise
from generator.viewmodel.model import IntegrationKind, IntegrationType

# kind -> (answer union, create union, update union), as spec/components names them
UNIONS: dict[str, tuple[str, str, str]] = {
    "connector": ("ConnectorsConnector", "ConnectorsConnectorCreate", "ConnectorsConnectorUpdate"),
    "action": ("ActionsAction", "ActionsActionCreate", "ActionsActionUpdate"),
    "source": ("SourcesSource", "SourcesSourceCreate", "SourcesSourceUpdate"),
    "bridge": ("BridgesBridge", "BridgesBridgeCreate", "BridgesBridgeUpdate"),
}
CONNECTOR_TYPE_KEY = "x-emqx-connector-type"
ACTION_TYPE_KEY = "x-emqx-action-type"
_IDENTITY = frozenset({"type", "name"})


def _ref_name(ref: Any) -> str:
    return str(ref).rsplit("/", 1)[-1]


def _mapping(schema: dict[str, Any]) -> dict[str, str]:
    mapping = (schema.get("discriminator") or {}).get("mapping") or {}
    return {str(type_): _ref_name(ref) for type_, ref in mapping.items()}


def _branches(schema: dict[str, Any]) -> list[str]:
    refs = schema.get("oneOf") or schema.get("anyOf") or []
    return [_ref_name(r.get("$ref")) for r in refs if isinstance(r, dict) and "$ref" in r]


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    return dict(schema.get("properties") or {})


def _update_of(create: str, updates: list[str], schemas: dict[str, Any]) -> str:
    named = create.removesuffix("Create") + "Update"
    if create.endswith("Create") and named in updates:
        return named
    props = _properties(schemas.get(create) or {})
    wanted = {key: value for key, value in props.items() if key not in _IDENTITY}
    for name in updates:
        if _properties(schemas.get(name) or {}) == wanted:
            return name
    return ""


def integration_kinds(document: dict[str, Any]) -> tuple[IntegrationKind, ...]:
    """One table per kind (empty for a kind whose unions the document lacks)."""
    schemas: dict[str, Any] = (document.get("components") or {}).get("schemas") or {}
    kinds = []
    for kind, (answer_name, create_name, update_name) in UNIONS.items():
        answer_union, create_union = schemas.get(answer_name), schemas.get(create_name)
        if not isinstance(answer_union, dict) or not isinstance(create_union, dict):
            kinds.append(IntegrationKind(kind=kind, types=()))
            continue
        answers, creates = _mapping(answer_union), _mapping(create_union)
        updates = _branches(schemas.get(update_name) or {})
        types = []
        for type_, create in creates.items():
            branch = schemas.get(create) or {}
            answer = answers.get(type_, "")
            update = _update_of(create, updates, schemas)
            marked = [branch, schemas.get(answer) or {}, schemas.get(update) or {}]
            types.append(
                IntegrationType(
                    name=type_,
                    create_model=create,
                    update_model=update,
                    answer_model=answer,
                    enterprise=any(is_enterprise(node) for node in marked),
                    connector_type=str(branch.get(CONNECTOR_TYPE_KEY) or type_),
                    action_type=str(branch.get(ACTION_TYPE_KEY) or type_)
                    if kind == "bridge"
                    else "",
                )
            )
        kinds.append(IntegrationKind(kind=kind, types=tuple(types)))
    return tuple(kinds)
