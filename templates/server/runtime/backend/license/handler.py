"""License (enterprise build): the license in force, a new key, the connection watermarks.

The stub holds no EMQ signing key, so the only key it can verify is `default`, the
built-in evaluation license; any other key is refused as one whose signature does not
verify (400 `Bad license key`), as the broker refuses a key it cannot verify.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from ... import errors, models
from ..state import State
from .state import DEFAULT_KEY

# The built-in evaluation license (emqx_license_schema:default_license/0, decoded).
EVALUATION: dict[str, Any] = {
    "customer": "Evaluation",
    "email": "contact@emqx.io",
    "deployment": "trial",
    "max_connections": 25,
    "start_at": date(2024, 4, 18),
    "days": 1825,
    "type": "trial",
    "customer_type": 10,
}
_SETTING_KEYS = ("connection_low_watermark", "connection_high_watermark")
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)%")


def license_info(today: date | None = None) -> models.LicenseInfo:
    """The license checker's dump of the built-in license, with `max_sessions` last."""
    start: date = EVALUATION["start_at"]
    expiry_at = start + timedelta(days=EVALUATION["days"])
    return models.LicenseInfo.model_validate(
        {
            **{k: v for k, v in EVALUATION.items() if k != "days"},
            "start_at": start.isoformat(),
            "expiry_at": expiry_at.isoformat(),
            "expiry": (today or date.today()) > expiry_at,
            "max_sessions": EVALUATION["max_connections"],
        }
    )


def percent(value: Any) -> float | None:
    """A watermark as a fraction (`75%` -> 0.75), None when it is not a percentage of 0
    to 100, as `emqx_schema:to_percent` checks it."""
    found = _PERCENT.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    fraction = float(found.group(1)) / 100
    return fraction if 0.0 <= fraction <= 1.0 else None


def merged_setting(current: dict[str, Any], update: dict[str, Any]) -> dict[str, Any] | None:
    """The settings after merging `update` (without `dynamic_max_connections`: the
    built-in license is not business-critical), or None when the broker would refuse
    them: a watermark that is not a percentage, or a high one not above the low one."""
    merged = {**current, **{k: v for k, v in update.items() if k in _SETTING_KEYS}}
    low = percent(merged["connection_low_watermark"])
    high = percent(merged["connection_high_watermark"])
    if low is None or high is None or not high > low:
        return None
    return merged


class LicenseApi:
    """LicenseHandler over the shared state."""

    def __init__(self, state: State) -> None:
        self._state = state

    async def get_license(self) -> models.LicenseInfo:
        return license_info()

    async def update_license_key(self, *, body: models.LicenseKeyUpdate) -> models.LicenseInfo:
        key = "".join(body.key.split())  # the broker drops spaces and line breaks first
        if key != DEFAULT_KEY:
            raise errors.bad_request("Bad license key", status=400)
        with self._state.lock:
            self._state.license.key = DEFAULT_KEY
        return license_info()

    async def get_license_setting(self) -> models.LicenseSetting:
        with self._state.lock:
            shown = {k: self._state.license.settings[k] for k in _SETTING_KEYS}
        return models.LicenseSetting.model_validate(shown)

    async def update_license_setting(
        self, *, body: models.LicenseSettingUpdate
    ) -> models.LicenseSetting:
        update = body.model_dump(mode="json", exclude_unset=True)
        with self._state.lock:
            merged = merged_setting(self._state.license.settings, update)
            if merged is None:
                raise errors.bad_request("Bad license setting", status=400)
            self._state.license.settings = merged
            shown = {k: merged[k] for k in _SETTING_KEYS}
        return models.LicenseSetting.model_validate(shown)
