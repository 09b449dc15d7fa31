"""Intensive forms: an extensive indicator divided by its declared denominator (强度口径).

A province's count of internet users measures its size; divided by its population it measures how far
it has come (a penetration rate). The framework declares, per extensive indicator, the denominator and the
scale (``Indicator.intensive``); the denominators are data in the store with their sources
(:mod:`planmon.denominators`). Regional comparisons — the composite index's default provincial spec,
rankings, strengths and weaknesses, maps — use these forms; the absolute values stay visible beside them.

``intensive = value ÷ denominator × scale``, the denominator of the same period or the latest earlier one
within :data:`planmon.denominators.DEFAULT_MAX_LAG` years (the period used is reported).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from planmon.denominators import DEFAULT_MAX_LAG, lookup
from planmon.framework.model import Framework
from planmon.periods import Period

#: Columns of :func:`intensive_values`.
INTENSIVE_COLUMNS = ["indicator", "unit", "period", "value", "intensive", "intensive_unit", "intensive_unit_en",
                     "intensive_name_zh", "intensive_name_en", "denominator", "denominator_value",
                     "denominator_period", "denominator_source"]


def intensive_values(fw: Framework, observations: pd.DataFrame, denominators: pd.DataFrame,
                     max_lag: float = DEFAULT_MAX_LAG) -> pd.DataFrame:
    """The intensive value of every observation of an indicator with an intensive form (vectorised per kind).

    ``observations`` has columns indicator, unit, period, value; ``denominators`` is
    :meth:`planmon.store.Store.denominators`' frame. Rows without a denominator near enough keep
    ``intensive`` NaN.
    """
    forms = {i.id: i.intensive for i in fw.indicators if i.intensive is not None}
    obs = observations[observations["indicator"].isin(list(forms))][["indicator", "unit", "period", "value"]]
    if obs.empty:
        return pd.DataFrame(columns=INTENSIVE_COLUMNS)
    obs = obs.reset_index(drop=True)
    times = obs["period"].map({p: Period.parse(str(p)).time for p in pd.unique(obs["period"])}).to_numpy(dtype=float)
    out = obs.copy()
    for col in INTENSIVE_COLUMNS[4:]:
        out[col] = np.nan if col in ("intensive", "denominator_value") else None
    out = out.astype({c: object for c in INTENSIVE_COLUMNS[5:] if c != "denominator_value"})
    scale = out["indicator"].map({k: f.scale for k, f in forms.items()}).to_numpy(dtype=float)
    den_name = out["indicator"].map({k: f.denominator for k, f in forms.items()}).to_numpy(dtype=object)
    for name in pd.unique(den_name):
        sel = den_name == name
        got = lookup(denominators, str(name), obs["unit"].to_numpy(dtype=object)[sel], times[sel], max_lag)
        idx = np.flatnonzero(sel)
        out.loc[idx, "denominator"] = name
        out.loc[idx, "denominator_value"] = got["value"].to_numpy(dtype=float)
        out.loc[idx, "denominator_period"] = got["period"].to_numpy(dtype=object)
    d = out["denominator_value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["intensive"] = np.where(d > 0, out["value"].to_numpy(dtype=float) / d * scale, np.nan)
    for col, attr in (("intensive_unit", "unit"), ("intensive_unit_en", "unit_en"), ("intensive_name_zh", "name_zh"),
                      ("intensive_name_en", "name_en")):
        out[col] = out["indicator"].map({k: getattr(f, attr) for k, f in forms.items()})
    if len(denominators):
        src = denominators.drop_duplicates(["name", "unit", "period"]).set_index(["name", "unit", "period"])["source"]
        keys = pd.MultiIndex.from_arrays([out["denominator"].astype(str), out["unit"].astype(str),
                                          out["denominator_period"].astype(str)])
        out["denominator_source"] = src.reindex(keys).to_numpy(dtype=object)
    return out[INTENSIVE_COLUMNS]


def provincial_spec(fw: Framework, base: dict[str, Any] | None = None,
                    present: Iterable[str] | None = None) -> dict[str, Any]:
    """The composite index's default provincial spec: ``base`` (the evaluation spec) with a first step that
    divides every extensive indicator by its denominator (COINr's Denominate, methods.md §1.3:
    ``x ← x / (d / scale)``), so provinces are ranked on development, not size.

    Pair it with :func:`planmon.index.store_input.from_store` ``(…, intensive=True)``, which adds the
    denominator columns and the iMeta ``Denominator`` of each indicator. ``present`` (the iData's columns)
    keeps only the indicators the data hold: the spec validator refuses a scale of an absent indicator.
    """
    keep = set(present) if present is not None else None
    forms = {i.id: i.intensive for i in fw.main_indicators()  # the main table
             if i.intensive is not None and (keep is None or i.id in keep)}
    out: dict[str, Any] = {"denominate": {"method": "divide", "scale": {k: f.scale for k, f in forms.items()}}} \
        if forms else {}
    for k, v in (base or {}).items():
        if k != "denominate":
            out[k] = v
    return out


__all__ = ["INTENSIVE_COLUMNS", "intensive_values", "provincial_spec"]
