"""Parameters of the assessment and of each status scheme, with their published sources.

Every threshold lives here, once, so that a result can record exactly which
numbers produced its status (``scheme_params`` column) and so that an office can
override any of them (``params=`` of :func:`planmon.monitor.assess`, or a JSON
file given to the CLI) without touching code.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from planmon.i18n import Message
from planmon.refusal import Refusal

SCHEMES = ("ndrc", "opensdg", "unsd", "sdsn")

#: Parameters of the assessment itself (not of a status scheme).
ASSESS_DEFAULTS: dict[str, Any] = {
    # A series is stale when its latest value is more than this many of its own
    # periods (years for annual, quarters, months) older than the reference period.
    "stale_periods": 2,
    # Weight of observation i in the time-weighted regression: (t_i - t_first + 1) ** power.
    # ESCAP gives recent data more weight (Bidarbakht Nia 2017, SD/WP/04); the exact
    # weight function of the ESCAP annex was not retrieved, so the power is configurable
    # (0 = ordinary least squares).
    "regression_weight_power": 1.0,
    # Fewest distinct points (baseline included) for the regression projection.
    "regression_min_points": 3,
}

#: Scheme thresholds. Sources: methods.md §3.6 (ndrc), §3.2 (opensdg), §3.3 (unsd), §3.4 (sdsn).
SCHEME_DEFAULTS: dict[str, dict[str, Any]] = {
    # China's Five-Year-Plan evaluation practice: progress share p vs time share tau.
    "ndrc": {"delta": 0.10},
    # Statistics Canada / Open SDG: ratio of actual to required CAGR; no-target growth classes.
    "opensdg": {
        "on_track": 0.95, "acceleration": 0.60, "limited": 0.0,
        "no_target_on_track": 0.015, "no_target_acceleration": 0.005, "no_target_limited": 0.0,
    },
    # UNSD SDG Progress Chart: projected progress share at the target period.
    "unsd": {
        "on_track": 0.95, "fair": 0.10,
        "no_target_on_track": 0.02, "no_target_fair": 0.005,
    },
    # SDSN trend arrows: observed vs required linear gain in normalised space
    # (lower bound = the baseline, optimum = the target; see schemes.py).
    "sdsn": {"on_track": 1.0, "moderate": 0.5, "stagnating": 0.0},
}


class ParamError(Refusal):
    """An unknown scheme or parameter; both languages for the user."""

    default_code = "monitor_param"

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(Message(message_zh, message_en))


def check_scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise ParamError(
            f"未知的评价方案“{scheme}”：可选 {', '.join(SCHEMES)}",
            f"unknown status scheme '{scheme}': choose one of {', '.join(SCHEMES)}",
        )
    return scheme


def resolve(scheme: str, params: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Merge user ``params`` over the defaults: returns (assessment params, scheme params).

    ``params`` may hold assessment keys at top level, scheme keys at top level
    (for the chosen scheme), or a nested ``{"ndrc": {"delta": 0.05}}``. Unknown
    keys are an error: a misspelt threshold must not silently fall back.
    """
    check_scheme(scheme)
    a = copy.deepcopy(ASSESS_DEFAULTS)
    s = copy.deepcopy(SCHEME_DEFAULTS[scheme])
    for key, value in (params or {}).items():
        if key in SCHEMES:
            if not isinstance(value, dict):
                raise ParamError(f"参数“{key}”应为字典", f"parameter '{key}' must be a mapping")
            if key != scheme:
                continue
            for k2, v2 in value.items():
                _set(s, k2, v2, f"{key}.{k2}")
        elif key in a:
            a[key] = _number(v=value, name=key)
        elif key in s:
            s[key] = _number(v=value, name=key)
        else:
            raise ParamError(f"未知参数“{key}”", f"unknown parameter '{key}'")
    return a, s


def _set(target: dict[str, Any], key: str, value: Any, name: str) -> None:
    if key not in target:
        raise ParamError(f"未知参数“{name}”", f"unknown parameter '{name}'")
    target[key] = _number(v=value, name=name)


def _number(*, v: Any, name: str) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        raise ParamError(f"参数“{name}”应为数值，得到“{v}”", f"parameter '{name}' must be a number, got '{v}'") from None


def record(scheme: str, scheme_params: dict[str, Any], assess_params: dict[str, Any]) -> str:
    """The parameters as one JSON string, stored in every result row."""
    return json.dumps({"scheme": scheme, **scheme_params, **assess_params}, sort_keys=True)
