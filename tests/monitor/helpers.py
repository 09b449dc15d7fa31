"""Small builders for one-series and many-series assessments in tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

from planmon.monitor import assess, find_risks


def spec(indicator: str = "X", unit: str = "U", direction: str = "+", baseline: tuple[str, float] | None = ("2020", 100.0),
         target: tuple[str, float] | None = ("2025", 200.0), **extra: Any) -> dict[str, Any]:
    return {
        "indicator": indicator, "unit": unit, "direction": direction,
        "baseline_period": baseline[0] if baseline else None, "baseline": baseline[1] if baseline else float("nan"),
        "target_period": target[0] if target else None, "target": target[1] if target else float("nan"), **extra,
    }


def obs(values: dict[str, float], indicator: str = "X", unit: str = "U", **extra: Any) -> list[dict[str, Any]]:
    return [{"indicator": indicator, "unit": unit, "period": p, "value": v, **extra} for p, v in values.items()]


def one(values: dict[str, float], *, scheme: str = "ndrc", params: dict[str, Any] | None = None,
        as_of: str | None = None, **spec_kw: Any) -> pd.Series:
    """Assess a single series X/U and return its row."""
    df = assess(pd.DataFrame(obs(values)), pd.DataFrame([spec(**spec_kw)]), as_of=as_of, scheme=scheme, params=params)
    assert len(df) == 1
    return df.iloc[0]


def risks_of(values: dict[str, float], *, rules: dict[str, Any] | None = None, scheme: str = "ndrc",
             **spec_kw: Any) -> pd.DataFrame:
    o = pd.DataFrame(obs(values))
    s = pd.DataFrame([spec(**spec_kw)])
    return find_risks(assess(o, s, scheme=scheme), o, s, rules=rules)
