"""The frozen view model that templates see: every name and type computed once."""

from __future__ import annotations

from generator.viewmodel.build import build_view
from generator.viewmodel.model import (
    ApiView,
    Body,
    ChangeGroup,
    ErrorCodeView,
    ErrorResponse,
    FormField,
    Operation,
    PackageView,
    Pagination,
    Parameter,
    ReleaseNote,
    Success,
    Tag,
)

__all__ = [
    "ApiView",
    "Body",
    "ChangeGroup",
    "ErrorCodeView",
    "ErrorResponse",
    "FormField",
    "Operation",
    "PackageView",
    "Pagination",
    "Parameter",
    "ReleaseNote",
    "Success",
    "Tag",
    "build_view",
]
