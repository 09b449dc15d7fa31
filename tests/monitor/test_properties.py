"""Property tests: a better latest value never worsens the status (every scheme, both directions)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from planmon.monitor import STATUS_ORDER, assess

SCHEMES = ["ndrc", "opensdg", "unsd", "sdsn"]

values = st.floats(min_value=1.0, max_value=1000.0, allow_nan=False, allow_infinity=False)


def _rank(scheme: str, code: object) -> int:
    return STATUS_ORDER[scheme].index(str(code))


def _statuses(scheme: str, direction: str, base: float, target: float, latest: list[float],
              prior: float | None) -> list[object]:
    """Assess one series per candidate latest value (same history, same baseline and target)."""
    rows, specs = [], []
    for k, v in enumerate(latest):
        unit = f"U{k}"
        if prior is not None:
            rows.append({"indicator": "X", "unit": unit, "period": "2021", "value": prior})
        rows.append({"indicator": "X", "unit": unit, "period": "2022", "value": v})
        specs.append({"indicator": "X", "unit": unit, "direction": direction, "baseline_period": "2020",
                      "baseline": base, "target_period": "2025", "target": target})
    df = assess(pd.DataFrame(rows), pd.DataFrame(specs), scheme=scheme)
    return list(df.sort_values("unit", key=lambda s: s.str[1:].astype(int))["status"])


@settings(max_examples=60, deadline=None)
@given(base=values, target=values, a=values, b=values, prior=st.one_of(st.none(), values),
       scheme=st.sampled_from(SCHEMES))
def test_higher_latest_never_worse_when_higher_is_better(base: float, target: float, a: float, b: float,
                                                         prior: float | None, scheme: str) -> None:
    lo, hi = sorted([a, b])
    s_lo, s_hi = _statuses(scheme, "+", base, target, [lo, hi], prior)
    assert isinstance(s_lo, str) and isinstance(s_hi, str)
    assert _rank(scheme, s_hi) <= _rank(scheme, s_lo), (s_lo, s_hi)


@settings(max_examples=60, deadline=None)
@given(base=values, target=values, a=values, b=values, prior=st.one_of(st.none(), values),
       scheme=st.sampled_from(SCHEMES))
def test_lower_latest_never_worse_when_lower_is_better(base: float, target: float, a: float, b: float,
                                                       prior: float | None, scheme: str) -> None:
    lo, hi = sorted([a, b])
    s_lo, s_hi = _statuses(scheme, "-", base, target, [lo, hi], prior)
    assert _rank(scheme, s_lo) <= _rank(scheme, s_hi), (s_lo, s_hi)


@settings(max_examples=40, deadline=None)
@given(base=values, target=values, latest=st.lists(values, min_size=1, max_size=6))
def test_vectorised_equals_one_by_one(base: float, target: float, latest: list[float]) -> None:
    # Assessing many series at once gives each the same numbers as assessing it alone.
    together = _statuses("opensdg", "+", base, target, latest, None)
    alone = [_statuses("opensdg", "+", base, target, [v], None)[0] for v in latest]
    assert together == alone
    assert np.all([isinstance(s, str) for s in together])


positive = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)
factors = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)


def _scaled_status(scheme: str, direction: str, base: float, target: float | None, latest: list[float],
                   limit: float | None, k: float) -> list[object]:
    """Statuses of one series per latest value with every value (base, observations, target, limit) times k."""
    rows, specs = [], []
    for j, v in enumerate(latest):
        unit = f"U{j}"
        rows.append({"indicator": "X", "unit": unit, "period": "2021", "value": k * (base + v) / 2})
        rows.append({"indicator": "X", "unit": unit, "period": "2023", "value": k * v})
        specs.append({"indicator": "X", "unit": unit, "direction": direction, "baseline_period": "2020",
                      "baseline": k * base, "target_period": "2030" if target is not None else None,
                      "target": k * target if target is not None else float("nan"),
                      "natural_limit": k * limit if limit is not None else float("nan")})
    df = assess(pd.DataFrame(rows), pd.DataFrame(specs), scheme=scheme)
    return list(df.sort_values("unit", key=lambda s: s.str[1:].astype(int))["status"])


@settings(max_examples=80, deadline=None)
@given(base=positive, target=st.one_of(st.none(), positive), latest=st.lists(positive, min_size=1, max_size=4),
       limit=st.one_of(st.none(), positive), k=factors, direction=st.sampled_from(["+", "-"]),
       scheme=st.sampled_from(SCHEMES))
def test_scaling_every_value_and_the_target_keeps_the_class(base: float, target: float | None, latest: list[float],
                                                            limit: float | None, k: float, direction: str,
                                                            scheme: str) -> None:
    # Issue 20: for positive series, a change of unit (yuan → 10,000 yuan, % → ‰) must not change any class:
    # every scheme's measure is a ratio (R, P, p/τ, g_obs/g_req, CAGR) or, for the natural limit, y0/L.
    assert _scaled_status(scheme, direction, base, target, latest, limit, 1.0) == \
        _scaled_status(scheme, direction, base, target, latest, limit, k)
