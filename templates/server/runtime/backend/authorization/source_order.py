"""Moving and reordering authorization sources, and their status answer.

Positions and orders work on the list of source types; the caller applies the result to
the stored sources. Errors are the broker's answers with its messages.
"""

from __future__ import annotations

from ... import errors, models

_NOT_FOUND = "Authorization sources: {} are not found"
_NOT_REORDERED = "No positions are specified for authorization sources: {}"


def moved(types: list[str], type_: str, position: str) -> list[str]:
    """The order after moving `type_` (a configured source) to `position`."""
    rest = [t for t in types if t != type_]
    if position == "front":
        return [type_, *rest]
    if position == "rear":
        return [*rest, type_]
    for prefix, offset in (("before:", 0), ("after:", 1)):
        if position.startswith(prefix):
            anchor = position[len(prefix) :]
            if not anchor:
                where = prefix[:-1]
                raise errors.bad_request(
                    f"Invalid parameter. Cannot be placed {where} an empty target"
                )
            if anchor not in models.AuthzSourceType.__members__.values():
                # the broker's lookup throws past the handler: a crash, hence 500
                raise errors.internal_error(
                    f'{{unknown_authz_source_type,<<"{anchor}">>}}', status=500
                )
            if anchor not in rest:
                raise errors.bad_request(
                    f"{{pre_config_update,emqx_authz,{{not_found_source,{anchor}}}}}"
                )
            at = rest.index(anchor) + offset
            return [*rest[:at], type_, *rest[at:]]
    raise errors.bad_request("Invalid parameter. Unknow position")


def reordered(types: list[str], order: list[str]) -> list[str]:
    """The new order: `order` must name every configured type exactly once. A repeated
    or unknown type counts as not found, as in the broker."""
    remaining = list(types)
    result: list[str] = []
    not_found: list[str] = []
    for type_ in order:
        if type_ in remaining:
            remaining.remove(type_)
            result.append(type_)
        else:
            not_found.insert(0, type_)
    if not not_found and not remaining:
        return result
    parts = []
    if not_found:
        parts.append(_NOT_FOUND.format(", ".join(not_found)))
    if remaining:
        parts.append(_NOT_REORDERED.format(", ".join(remaining)))
    raise errors.bad_request(", ".join(parts))


def _metrics() -> models.AuthzSourceMetrics:
    return models.AuthzSourceMetrics(
        total=0, allow=0, deny=0, nomatch=0, ignore=0, rate=0.0, rate_max=0.0, rate_last5m=0.0
    )


def _resource_metrics(with_resource: bool) -> models.AuthzSourceResourceMetrics:
    if not with_resource:
        return models.AuthzSourceResourceMetrics()
    return models.AuthzSourceResourceMetrics(
        matched=0, success=0, failed=0, rate=0.0, rate_max=0.0, rate_last5m=0.0
    )


def status_of(type_: str, node: str) -> models.AuthzSourceStatus:
    """The status answer of a configured source on the stub's one node: connected, every
    counter at zero; `file` and `built_in_database` have no resource, hence empty
    resource counters."""
    with_resource = type_ not in ("file", "built_in_database")
    return models.AuthzSourceStatus(
        status=models.AuthzSourceState.CONNECTED,
        metrics=_metrics(),
        node_metrics=[models.AuthzSourceNodeMetrics(node=node, metrics=_metrics())],
        resource_metrics=_resource_metrics(with_resource),
        node_resource_metrics=[
            models.AuthzSourceNodeResourceMetrics(
                node=node, metrics=_resource_metrics(with_resource)
            )
        ],
        node_status=[
            models.AuthzSourceNodeStatus(node=node, status=models.AuthzSourceNodeState.CONNECTED)
        ],
        node_error=[],
    )
