"""Error Codes: the broker's general list of error codes, explained from errors.ERROR_CODES."""

from __future__ import annotations

from ... import errors, models
from ..state import State


def _info(code: models.GeneralErrorCode) -> models.ErrorCodeInfo:
    entry = errors.ERROR_CODES.get(code.value)
    description = entry.description if entry is not None else code.value
    return models.ErrorCodeInfo(code=code, description=description)


class ErrorCodesApi:
    """ErrorCodesHandler: the 31 codes of GeneralErrorCode, in the broker's order."""

    def __init__(self, state: State) -> None:
        self._state = state  # the error table is fixed: nothing of the state is read

    async def list_error_codes(self) -> list[models.ErrorCodeInfo]:
        return [_info(code) for code in models.GeneralErrorCode]

    async def get_error_code(self, *, code: models.GeneralErrorCode) -> models.ErrorCodeInfo:
        # The route only lets codes of the general list through (others get 400).
        return _info(code)
