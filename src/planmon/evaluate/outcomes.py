"""End-of-period outcome of every indicator × unit: reached or not, by how much, since when.

The rule (stated in the report, :data:`OUTCOME_RULE`):

* the value judged is the latest one within the plan period (after the baseline, up to the
  target period). A flow (e.g. online retail sales) is judged on whole years only; a stock or a
  rate may be judged on a partial-year reading (a stock that reached its target by mid-year
  has reached it);
* **reached** (已实现) when that value meets the target (at or above it for an increasing
  indicator); a lower bound at or above the target is reached ("more than 50" ≥ 45);
* **about reached** (基本实现) when the value meets the target but is an approximation
  ("about 10 %" against 10 %): the source does not say on which side it lies;
* **not reached** (未实现) when the value of the target year itself falls short;
* **cannot be judged** (无法判断) when no value after the baseline is known, when the latest value
  falls short but is from before the target year, or when a lower bound falls short (the true
  value lies above it).

All quantities are computed over whole columns (no loop over indicators or units), so the same
function serves the national table and every region.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planmon.evaluate.form_outcomes import FORM_REASONS
from planmon.framework.model import Indicator
from planmon.periods import Period

OUTCOMES: dict[str, tuple[str, str]] = {
    "reached": ("已实现", "reached"),
    "about_reached": ("基本实现", "about reached"),
    "not_reached": ("未实现", "not reached"),
    "cannot_judge": ("无法判断", "cannot be judged"),
    "office": ("由规划办认定", "rated by the planning office"),
}

REASONS: dict[str, tuple[str, str]] = {
    "no_data": ("规划期内未找到基期后的数值", "no value after the baseline was found for the plan period"),
    "no_end_value": ("最新数值未达目标，且不是目标年份的数值", "the latest value falls short but is not the target year's"),
    "lower_bound_short": ("数值为下限且低于目标，实际值可能更高", "a lower bound below the target: the true value may be higher"),
    "no_target": ("未设定目标值", "no target"),
    "approx": ("数值为约数，与目标相当", "an approximate value level with the target"),
}
REASONS.update(FORM_REASONS)  # the target forms' reasons (issue 19): bound held / broken, growth short …

OUTCOME_RULE = (
    "以规划期内（基期之后、目标年份及以前）的最新数值对照目标：达到目标为“已实现”，数值为约数且与目标相当为“基本实现”，"
    "目标年份的数值未达目标为“未实现”；无基期后数值、最新数值早于目标年份且未达目标、或下限值低于目标时为“无法判断”。"
    "流量指标只用全年数值，存量和比率指标可用年内数值。"
    "非水平值目标按其形式判断：底线/上限目标在有数据的各年份均守住且目标年份有数值为“已实现”，任一年份未守住为“未实现”"
    "（列出年份），目标年份尚无数值为“无法判断”；年均增长目标以基期至目标年份的复合年均增速（由水平值计算，或由逐年增速连乘）"
    "对照要求增速，累计变化目标以规划期逐年变化复合而成的累计变化（降低的百分比：1−Π(1−r)；以单位计的直接相减）对照要求值："
    "达到要求为“已实现”，目标年份有数值而未达要求为“未实现”，缺少目标年份或某年增速时为“无法判断”；相对目标（高于、基本同步）"
    "在有数据的各年份均符合且目标年份有数值为“已实现”，任一年份不符合为“未实现”（列出年份）；定性目标以规划办公室对目标年份"
    "录入的评定为准（“由规划办认定”），未录入为“无法判断”（待规划办公室评定）。基期值按新口径调整的，完成比例按新基期计算并注明。",
    "The latest value within the plan period (after the baseline, up to the target year) is set against the target: "
    "meeting it is 'reached'; an approximate value level with it is 'about reached'; the target year's own value "
    "falling short is 'not reached'; no value after the baseline, a latest value before the target year that falls "
    "short, or a lower bound below the target 'cannot be judged'. Flows are judged on whole years only; stocks and "
    "rates also on partial-year readings. A target that is not a level is judged by its form: a floor or ceiling held "
    "in every year with data, with the target year observed, is 'reached', any year out of it 'not reached' (the "
    "years named), held without a target-year value 'cannot be judged'; an average annual growth target compares the "
    "compound average growth from the baseline to the target year (from levels, or chained from the annual rates) "
    "with the required rate, and a cumulative change target the change over the period compounded from the annual "
    "changes (a fall in %: 1 − Π(1 − r); in units: the difference) with the required change: meeting it is "
    "'reached', short with the target year observed 'not reached', a missing target year or annual rate 'cannot be "
    "judged'; a relative target (above, in step) held in every year with data, with the target year observed, is "
    "'reached', a year not held 'not reached' (the years named); a qualitative target takes the planning office's "
    "rating entered for the target year ('rated by the planning office'), else 'cannot be judged' (to be rated). "
    "Where the baseline was re-based, the share of the planned change is on the new baseline, and said.",
)

COLUMNS = [
    "indicator", "unit", "baseline_period", "baseline", "target_period", "target", "direction", "value", "period",
    "quality", "status", "source", "proxy", "outcome", "reason", "pct_of_target", "pct_of_planned_change",
    "first_reached", "early",
]


def _specs(indicators: list[Indicator]) -> pd.DataFrame:
    rows = [
        {
            "indicator": x.id, "kind": x.kind, "sign": x.sign, "direction": x.direction,
            # a baseline re-based on a new statistical basis (issue 19) is the one the outcome is measured from
            "baseline_period": (x.rebased.period if x.rebased else x.baseline.period) if x.baseline else None,
            "baseline": (x.rebased.value if x.rebased else x.baseline.value) if x.baseline else np.nan,
            "baseline_time": Period.parse(x.baseline.period).time if x.baseline else -np.inf,
            "target_period": x.target.period if x.target else None,
            "target": x.target.value if x.target else np.nan,
            "target_time": Period.parse(x.target.period).time if x.target else np.inf,
        }
        for x in indicators
    ]
    return pd.DataFrame(rows)


def outcomes(observations: pd.DataFrame, indicators: list[Indicator], units: list[str] | None = None,
             overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator × unit (``units`` always listed; others where observed).

    ``observations`` has the store's current columns (indicator, unit, period, period_time, value,
    quality, status, source, proxy). ``overrides`` (indicator, unit and any of baseline, target,
    target_basis) replaces the plan's national baseline and target for a unit: a province's own
    2020 value, and the target its declared comparison basis gives it.
    """
    specs = _specs(indicators)
    obs = observations.copy()
    if "quality" not in obs:
        obs["quality"] = "quoted"
    if "period_time" not in obs:
        obs["period_time"] = obs["period"].map(lambda p: Period.parse(p).time)
    if overrides is not None and len(overrides):
        ov = overrides.drop_duplicates(["indicator", "unit"])
        cols = [c for c in ("baseline", "target", "target_basis") if c in ov]
        specs = specs.merge(ov[["indicator", "unit", *cols]].rename(columns={c: f"_{c}" for c in cols}),
                            on="indicator", how="left")
        for c in ("baseline", "target"):
            if f"_{c}" in specs:
                specs[c] = specs[f"_{c}"].where(specs[f"_{c}"].notna(), specs[c])
                specs = specs.drop(columns=f"_{c}")
        specs = specs.rename(columns={"_target_basis": "target_basis"})
        keys = ["indicator", "unit"]
        national = specs[specs["unit"].isna()].drop(columns="unit")
        per_unit = specs[specs["unit"].notna()]
    else:
        keys = ["indicator"]
        national, per_unit = specs, None
    obs = obs.merge(specs if per_unit is None else per_unit, on=keys, how="inner") if per_unit is not None \
        else obs.merge(national, on="indicator", how="inner")
    annual = obs["period"].astype(str).str.fullmatch(r"\d{4}")
    usable = (annual | (obs["kind"] != "flow")) & (obs["period_time"] > obs["baseline_time"]) & (
        obs["period_time"] <= obs["target_time"])
    obs = obs[usable].copy()
    gap = obs["sign"] * (obs["value"] - obs["target"])
    obs["met"] = gap >= -1e-9
    # the latest usable value of each series
    obs = obs.sort_values(["indicator", "unit", "period_time"])
    last = obs.groupby(["indicator", "unit"], sort=False).tail(1)
    first = (obs[obs["met"] & (obs["quality"] != "approx")].groupby(["indicator", "unit"], sort=False).head(1)
             [["indicator", "unit", "period", "period_time"]]
             .rename(columns={"period": "first_reached", "period_time": "first_time"}))

    pairs = last[["indicator", "unit"]]
    if units:
        listed = pd.DataFrame([(i, u) for u in units for i in specs["indicator"]], columns=["indicator", "unit"])
        pairs = pd.concat([listed, pairs], ignore_index=True).drop_duplicates()
    unit_specs = national if per_unit is None else per_unit
    out = pairs.merge(unit_specs, on=keys).merge(
        last[["indicator", "unit", "value", "period", "period_time", "quality", "status", "source", "proxy", "met"]],
        on=["indicator", "unit"], how="left").merge(first, on=["indicator", "unit"], how="left")

    has_value = out["value"].notna().to_numpy()
    has_target = out["target"].notna().to_numpy()
    met = out["met"].fillna(False).astype(bool).to_numpy()
    approx = (out["quality"] == "approx").to_numpy()
    lower = (out["quality"] == "lower-bound").to_numpy()
    at_end = (out["period_time"] >= out["target_time"]).fillna(False).to_numpy()
    conditions = [
        ~has_target, ~has_value, met & approx, met, lower, at_end,
    ]
    outcome = np.select(conditions, ["cannot_judge", "cannot_judge", "about_reached", "reached", "cannot_judge",
                                     "not_reached"], "cannot_judge")
    reason = np.select(conditions, ["no_target", "no_data", "approx", "", "lower_bound_short", ""], "no_end_value")
    out["outcome"] = outcome
    out["reason"] = reason
    with np.errstate(divide="ignore", invalid="ignore"):
        out["pct_of_target"] = np.where(has_value & has_target, out["value"] / out["target"] * 100, np.nan)
        out["pct_of_planned_change"] = np.where(
            has_value & has_target, (out["value"] - out["baseline"]) / (out["target"] - out["baseline"]) * 100, np.nan)
    out["early"] = (out["first_time"] < out["target_time"]).fillna(False).astype(bool)
    out["first_reached"] = out["first_reached"].where(out["first_reached"].notna(), None)
    if "target_basis" not in out:
        out["target_basis"] = None
    return out[[*COLUMNS, "target_basis"]].reset_index(drop=True)


def label(code: str, lang: str = "zh", table: dict[str, tuple[str, str]] = OUTCOMES) -> str:
    zh, en = table.get(code, (code, code))
    return en if lang == "en" else zh


def jsonable(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows with NaN as None (for JSON)."""
    return [{str(k): (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
            for r in df.astype(object).to_dict("records")]


def final_outcomes(observations: pd.DataFrame, indicators: list[Indicator], year: str, unit: str = "CN",
                   base_year: int | None = None, entered: pd.DataFrame | None = None) -> pd.DataFrame:
    """The end-of-period outcome of every indicator of any target form for one unit, without a store.

    :func:`outcomes` for levels, then :func:`planmon.evaluate.form_outcomes.form_outcomes` on the monitor's
    assessment at ``year`` for the other forms (``entered``: the office's statuses, as
    :func:`planmon.monitor.qualitative.current_statuses` returns them). ``base_year`` is the year before the
    plan's first (default: five years before ``year``), the start of an indicator without a printed baseline.
    :func:`planmon.evaluate.final.evaluate` does the same on a stored plan.
    """
    from planmon.evaluate.form_outcomes import form_outcomes
    from planmon.monitor import assess
    from planmon.monitor.qualitative import apply_entered_statuses

    obs = observations[observations["unit"] == unit].copy()
    for col, default in (("status", "final"), ("source", None), ("proxy", False)):
        if col not in obs:
            obs[col] = default
    if "period_time" in obs:
        obs = obs[obs["period_time"] <= float(year)]
    else:
        obs = obs[obs["period"].map(lambda p: Period.parse(p).time) <= float(year)]
    base = outcomes(obs, indicators, [unit])
    assessed = assess(obs, indicators, as_of=year, scheme="ndrc")
    assessed = apply_entered_statuses(assessed[assessed["unit"] == unit],
                                      entered if entered is not None else pd.DataFrame(), as_of=year)
    return form_outcomes(base, assessed, obs, indicators, year, base_year if base_year is not None else
                         int(str(year)[:4]) - 5)
