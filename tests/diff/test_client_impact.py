"""Client impact on the real spec: what a change breaks in code written against the
generated client, decided from the view model, counted by the default --fail-on."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.diff import Change, run_diff
from generator.diff.client_surface import shape
from tests.diff.conftest import ROOT, TODAY

BUNDLED = ROOT / "generated" / "openapi.json"
Edit = Callable[[dict[str, Any]], None]


@cache
def _spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BUNDLED.read_text(encoding="utf-8"))
    return data


def _diff(tmp_path: Path, edit: Edit, *, http_only: bool = False) -> tuple[list[Change], int]:
    revision = copy.deepcopy(_spec())
    edit(revision)
    path = tmp_path / "revision.json"
    path.write_text(json.dumps(revision, indent=2), encoding="utf-8")
    outcome = run_diff(str(BUNDLED), str(path), http_only=http_only, today=TODAY)
    assert outcome.report is not None, [f.format() for f in outcome.findings]
    return outcome.report.changes, outcome.exit_code


def _drop_like_username(spec: dict[str, Any]) -> None:
    params = spec["paths"]["/banned"]["get"]["parameters"]
    params[:] = [p for p in params if p.get("name") != "like_username"]


def _rename_banned_by(spec: dict[str, Any]) -> None:
    banned = spec["components"]["schemas"]["Banned"]
    banned["properties"]["made_by"] = banned["properties"].pop("by")
    banned["required"] = ["made_by" if n == "by" else n for n in banned["required"]]


def _list_banned_returns_alarms(spec: dict[str, Any]) -> None:
    ok = spec["paths"]["/banned"]["get"]["responses"]["200"]
    ok["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/AlarmPage"}


def test_removing_a_query_parameter_breaks_the_client_method(tmp_path: Path) -> None:
    changes, code = _diff(tmp_path, _drop_like_username)
    assert [(c.level.value, c.id) for c in changes] == [("WARN", "request-parameter-removed")]
    assert changes[0].client == "`client.banned.list()` no longer takes `like_username=`"
    assert code == 1  # WARN for HTTP, yet it fails: list_banned(like_username=...) is a TypeError
    http, http_code = _diff(tmp_path, _drop_like_username, http_only=True)
    assert [(c.id, c.client) for c in http] == [("request-parameter-removed", "")]
    assert http_code == 0


def test_renaming_a_model_field_breaks_the_client(tmp_path: Path) -> None:
    changes, code = _diff(tmp_path, _rename_banned_by)
    rated = {(c.id, c.client) for c in changes if c.path == "/banned" and c.method == "GET"}
    assert ("response-required-property-removed", "`models.Banned` loses its field `by`") in rated
    assert code == 1
    assert all(c.client for c in changes if c.id.endswith("property-removed"))


def test_changing_a_return_type_breaks_the_client(tmp_path: Path) -> None:
    changes, code = _diff(tmp_path, _list_banned_returns_alarms)
    returns = "`client.banned.list()` returns `models.AlarmPage` instead of `models.BannedPage`"
    assert returns in {c.client for c in changes}
    assert "ERR" in {c.level.value for c in changes if c.client == returns}
    assert "client-interface-changed" not in {c.id for c in changes}
    assert code == 1


def test_a_removed_operation_and_a_renamed_method(tmp_path: Path) -> None:
    def edit(spec: dict[str, Any]) -> None:
        del spec["paths"]["/banned"]["get"]
        spec["paths"]["/alarms"]["get"]["operationId"] = "get_alarms"

    changes, _ = _diff(tmp_path, edit)
    client = {c.id: c.client for c in changes}
    assert client["api-removed-without-deprecation"] == "`client.banned.list()` is gone"
    assert client["api-operation-id-changed"] == (
        "`client.alarms.list()` is now `client.alarms.get()`"
    )


def test_a_resource_renamed_by_its_tag(tmp_path: Path) -> None:
    def edit(spec: dict[str, Any]) -> None:
        spec["paths"]["/banned"]["get"]["tags"] = ["Bans"]

    changes, code = _diff(tmp_path, edit)
    renamed = "`client.banned.list()` is now `client.bans.list_banned()`"
    assert {(c.id, c.client) for c in changes} >= {
        ("api-tag-added", renamed),
        ("api-tag-removed", renamed),
    }
    assert code == 1  # INFO for HTTP


def test_a_new_optional_parameter_and_a_description_break_nothing(tmp_path: Path) -> None:
    def edit(spec: dict[str, Any]) -> None:
        op = spec["paths"]["/banned"]["get"]
        op["description"] = "Changed."
        op["parameters"].append({"name": "extra", "in": "query", "schema": {"type": "string"}})

    changes, code = _diff(tmp_path, edit)
    assert [(c.id, c.client) for c in changes] == [("new-optional-request-parameter", "")]
    assert code == 0


@pytest.mark.parametrize(
    ("text", "members"),
    [
        ("Literal['a', 'b'] | None", {"str", "None"}),
        ("Literal[1, 2]", {"int"}),
        ("list[models.Thing]", {"list[models.Thing]"}),
    ],
)
def test_enum_literals_are_read_as_their_base_type(text: str, members: set[str]) -> None:
    assert shape(text) == members
