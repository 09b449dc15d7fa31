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

#: Scheme parameters. Sources: methods.md §3.6 (ndrc), §3.2 (opensdg), §3.3 (unsd), §3.4 (sdsn); the
#: rule-by-rule table with the publisher's own text for each is in docs/monitor.md ("Rules of each scheme").
#: Every default is the publisher's rule; planmon's variants are the other named choices (CHOICES).
SCHEME_DEFAULTS: dict[str, dict[str, Any]] = {
    # China's Five-Year-Plan evaluation practice: progress share p vs time share tau. No published
    # base-year rule (a plan declares its baseline): without one, the first observation is the base.
    "ndrc": {"delta": 0.10, "base_year": None, "target_year": None, "series_rule": "headline_else_worst"},
    # Statistics Canada / Open SDG (open-sdg docs/progress-methodology.md): ratio of actual to required
    # CAGR; no-target growth classes scaled near a natural limit; zero base/target replaced by 0.001;
    # all values of one sign (all negative: direction flipped); base year 2015 or the first year after it;
    # several series: mean of the series' scores (−5…+5).
    "opensdg": {
        "on_track": 0.95, "acceleration": 0.60, "limited": 0.0,
        "no_target_on_track": 0.015, "no_target_acceleration": 0.005, "no_target_limited": 0.0,
        "base_year": 2015, "target_year": 2030, "zero_replacement": 0.001, "limit_exponent": 4.44,
        "edge_rule": "publisher", "sign_check": "all", "series_rule": "headline_else_mean",
    },
    # UNSD SDG Progress Chart (2023 technical note as adopted by Eustat): projected progress share at the
    # target period. Base year 2015, else the first year after (or, to keep two values, before) it.
    # Compound growth only: zero or negative values give no status.
    "unsd": {
        "on_track": 0.95, "fair": 0.10,
        "no_target_on_track": 0.02, "no_target_fair": 0.005,
        "base_year": 2015, "target_year": 2030, "base_year_fallback": "after_then_before", "edge_rule": "publisher",
        "series_rule": "headline_else_worst",
    },
    # SDSN trend arrows: observed vs required linear gain in normalised space
    # (lower bound = the baseline, optimum = the target; see schemes.py). Trends since 2015.
    "sdsn": {"on_track": 1.0, "moderate": 0.5, "stagnating": 0.0, "base_year": 2015, "target_year": 2030,
             "series_rule": "headline_else_worst"},
}

#: Parameters that take one of a few named values (the first is the publisher's rule where one exists).
CHOICES: dict[str, tuple[str, ...]] = {
    # publisher: each scheme's own rule for zero and negative values (see docs/monitor.md);
    # linear: planmon's variant before issue 20 — zero or negative values switch to linear measures.
    "edge_rule": ("publisher", "linear"),
    # all: every value from the base to the latest must share one sign (Open SDG's text);
    # endpoints: only the base and the latest value are checked (what sdg-build checks).
    "sign_check": ("all", "endpoints"),
    # after: the first year with data at or after the base year; after_then_before: the same, but
    # when fewer than two values remain, the latest earlier year that leaves two (Eustat/UNSD).
    "base_year_fallback": ("after", "after_then_before"),
    # How the series of one indicator (by sex, area…) make the indicator's status:
    # headline_else_mean: the headline series (no series label) if there is one, else the mean of the
    # series' scores (Open SDG); mean: always the mean of the labelled series' scores (Open SDG with
    # every series configured); headline_else_worst: the headline, else the worst series status;
    # worst: the worst series status.
    "series_rule": ("headline_else_mean", "mean", "headline_else_worst", "worst"),
}
#: Parameters that may be null (JSON null): base_year null = the first observation is the base;
#: target_year null = a target value without a period is no target.
NULLABLE = frozenset({"base_year", "target_year"})
#: Choices that need the Open SDG score (only that scheme defines one).
SCORE_RULES = frozenset({"headline_else_mean", "mean"})


class ParamError(Refusal):
    """An unknown scheme or parameter; both languages for the user."""

    code = "monitor_param"

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
            _set(s, key, value, key)
        else:
            raise ParamError(f"未知参数“{key}”", f"unknown parameter '{key}'")
    if s.get("series_rule") in SCORE_RULES and scheme != "opensdg":
        raise ParamError(f"方案 {scheme} 没有分值，series_rule 不能为“{s['series_rule']}”：可选 headline_else_worst、worst",
                         f"scheme {scheme} has no score: series_rule cannot be '{s['series_rule']}'; "
                         "choose headline_else_worst or worst")
    return a, s


def _set(target: dict[str, Any], key: str, value: Any, name: str) -> None:
    if key not in target:
        raise ParamError(f"未知参数“{name}”", f"unknown parameter '{name}'")
    if key in CHOICES:
        if value not in CHOICES[key]:
            raise ParamError(f"参数“{name}”应为 {'、'.join(CHOICES[key])} 之一，得到“{value}”",
                             f"parameter '{name}' must be one of {', '.join(CHOICES[key])}, got '{value}'")
        target[key] = value
    elif key in NULLABLE and value is None:
        target[key] = None
    else:
        target[key] = _number(v=value, name=name)


def _number(*, v: Any, name: str) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        raise ParamError(f"参数“{name}”应为数值，得到“{v}”", f"parameter '{name}' must be a number, got '{v}'") from None


def record(scheme: str, scheme_params: dict[str, Any], assess_params: dict[str, Any]) -> str:
    """The parameters as one JSON string, stored in every result row."""
    return json.dumps({"scheme": scheme, **scheme_params, **assess_params}, sort_keys=True)
