"""Which target a unit is assessed against, and on what basis (目标口径): own plan, decomposed, pace, benchmark.

The national plan's targets are national. For every indicator × unit the target used is, in order:

1. a target of the unit itself — ``decomposed`` (assigned from above, what the unit answers for to the
   national office) before ``own_plan`` (the unit's own plan); the one for the national target period
   when there is one, else the latest;
2. otherwise the basis declared for the unit (a basis row of the target table) or for the indicator
   (``Indicator.basis``; default national target for a rate, national pace for a count):

   - ``national_target``: the national target value — only ever for an intensive indicator (a rate, a share,
     a per-capita value, an index); the loader and the import refuse it on a count, and here an extensive
     indicator can never fall back to it;
   - ``national_pace``: the unit's own base grown at the nation's required compound rate:
     ``target_u = v_u,b' × (v*/v_b)^((T − b')/(T − b))`` with b' the unit's base period. When b' = b this is
     ``v_u,b × v*/v_b`` (own baseline × national target/national baseline); the CAGR form is used because it
     also holds a unit whose first value comes later than the national baseline to the same annual pace;
   - ``none``: no target — trend, projection and ranking only.

The national unit is assessed against the plan itself (``own_plan``). A unit's base is its own value at the
national baseline period (never the national value), or an explicit baseline of its target row, or — by the
panel's rule — its first observation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planmon.framework.model import Framework
from planmon.framework.targets import basis_words
from planmon.periods import Period

#: Columns added to the spec table (and carried to every assessment row).
BASIS_COLUMNS = ["target_basis", "target_source", "national_target"]


def _national_units(fw: Framework) -> set[str]:
    return {u.id for u in fw.units if u.kind == "region" and u.level == "nation"}


def framework_targets(fw: Framework) -> pd.DataFrame:
    """The targets declared in the framework's YAML (``targets:``) as a target table."""
    rows = [{"indicator": t.indicator, "unit": t.unit, "period": t.period, "value": t.value, "kind": t.kind,
             "baseline_period": t.baseline.period if t.baseline else None,
             "baseline_value": t.baseline.value if t.baseline else np.nan, "source": t.source, "note": t.note,
             "illustrative": t.illustrative, "revision": 0} for t in fw.targets]
    return pd.DataFrame(rows, columns=["indicator", "unit", "period", "value", "kind", "baseline_period",
                                       "baseline_value", "source", "note", "illustrative", "revision"])


def _first_points(observations: pd.DataFrame) -> pd.DataFrame:
    """The first observation of every series (indicator, unit): period, time and value."""
    if observations.empty:
        return pd.DataFrame(columns=["indicator", "unit", "first_period", "first_time", "first_value"])
    o = observations[["indicator", "unit", "period", "value"]].copy()
    times = {p: Period.parse(str(p)).time for p in pd.unique(o["period"])}
    o["time"] = o["period"].map(times)
    o = o.sort_values("time", kind="stable").drop_duplicates(["indicator", "unit"], keep="first")
    return o.rename(columns={"period": "first_period", "time": "first_time", "value": "first_value"})


def _pick_targets(targets: pd.DataFrame, national_periods: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one target row per indicator × unit, one basis declaration per indicator × unit)."""
    t = targets.copy()
    is_target = t["kind"].isin(["own_plan", "decomposed"])
    basis = t[~is_target].sort_values("period", kind="stable").drop_duplicates(["indicator", "unit"], keep="last")
    tt = t[is_target].copy()
    tt["_nat"] = (tt["period"].astype(str) == tt["indicator"].map(national_periods).astype(str)).astype(int)
    tt["_dec"] = (tt["kind"] == "decomposed").astype(int)
    tt["_time"] = [Period.parse(str(p)).time for p in tt["period"]]
    tt = tt.sort_values(["_dec", "_nat", "_time"], kind="stable").drop_duplicates(["indicator", "unit"], keep="last")
    return tt.drop(columns=["_nat", "_dec", "_time"]), basis[["indicator", "unit", "kind"]]


def apply_basis(specs: pd.DataFrame, fw: Framework, observations: pd.DataFrame,
                targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-unit baseline, target, ``target_basis``, ``target_source`` and ``national_target`` for every spec row.

    ``specs`` has one row per indicator × unit with the framework's (national) baseline and target;
    ``targets`` is the store's target table (plus the framework's, which the store overrides).
    """
    out = specs.copy().reset_index(drop=True)
    nat_units = _national_units(fw)
    inds = {i.id: i for i in fw.indicators}
    ind_col = out["indicator"].to_numpy(dtype=object)
    is_nat = out["unit"].isin(nat_units).to_numpy()
    extensive = np.array([inds[i].extensive if i in inds else False for i in ind_col], dtype=bool)
    declared = np.array([inds[i].regional_basis if i in inds else "national_target" for i in ind_col], dtype=object)
    nat_b = out["baseline"].to_numpy(dtype=float).copy()
    nat_T = out["target"].to_numpy(dtype=float).copy()
    out["national_target"] = nat_T
    b_time = np.array([Period.parse(str(p)).time if isinstance(p, str) else np.nan
                       for p in out["baseline_period"]], dtype=float)
    T_time = np.array([Period.parse(str(p)).time if isinstance(p, str) else np.nan
                       for p in out["target_period"]], dtype=float)

    # --- the unit's own base: its value at the national baseline period, never the national value ----------------
    own = np.full(len(out), np.nan)
    if len(observations):
        ob = observations[["indicator", "unit", "period", "value"]].rename(
            columns={"period": "baseline_period", "value": "_own"})
        own = out[["indicator", "unit", "baseline_period"]].merge(
            ob, how="left", on=["indicator", "unit", "baseline_period"])["_own"].to_numpy(dtype=float)
    has_own = np.isfinite(own)
    base_val = np.where(is_nat, nat_b, np.where(has_own, own, np.nan))
    nones = np.full(len(out), None, dtype=object)
    base_per = np.where(is_nat | has_own, out["baseline_period"].to_numpy(dtype=object), nones)
    base_time = np.where(is_nat | has_own, b_time, np.nan)
    first = out[["indicator", "unit"]].merge(_first_points(observations), how="left", on=["indicator", "unit"])
    no_base = ~is_nat & ~has_own
    base_time_pace = np.where(no_base, first["first_time"].to_numpy(dtype=float), base_time)
    base_val_pace = np.where(no_base, first["first_value"].to_numpy(dtype=float), base_val)

    # --- the basis of every row -----------------------------------------------------------------------------------
    basis = np.where(is_nat, "own_plan", declared).astype(object)
    src = np.where(is_nat, fw.plan.title_zh, "").astype(object)
    target = nat_T.copy()
    t_per = out["target_period"].to_numpy(dtype=object).copy()
    tab = targets if targets is not None else framework_targets(fw)
    if tab is not None and len(tab):
        national_periods = pd.Series({i.id: (i.target.period if i.target else None) for i in fw.indicators})
        chosen, decl = _pick_targets(tab, national_periods)
        key = out[["indicator", "unit"]]
        if len(decl):
            d = key.merge(decl, how="left", on=["indicator", "unit"])["kind"].to_numpy(dtype=object)
            set_d = ~is_nat & pd.notna(d)
            basis = np.where(set_d, d, basis)
        if len(chosen):
            c = key.merge(chosen, how="left", on=["indicator", "unit"])
            hit = c["kind"].notna().to_numpy() & np.isfinite(c["value"].to_numpy(dtype=float))
            basis = np.where(hit, c["kind"].to_numpy(dtype=object), basis)
            target = np.where(hit, c["value"].to_numpy(dtype=float), target)
            t_per = np.where(hit, c["period"].to_numpy(dtype=object), t_per)
            src = np.where(hit, c["source"].fillna("").to_numpy(dtype=object), src)
            ovr = hit & np.isfinite(c["baseline_value"].to_numpy(dtype=float)) & c["baseline_period"].notna().to_numpy()
            base_val = np.where(ovr, c["baseline_value"].to_numpy(dtype=float), base_val)
            base_per = np.where(ovr, c["baseline_period"].to_numpy(dtype=object), base_per)
    # An extensive indicator never falls back on the national total, whatever was declared.
    basis = np.where(extensive & (basis == "national_target") & ~is_nat, "national_pace", basis)

    pace = basis == "national_pace"
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = nat_T / nat_b
        exponent = (T_time - base_time_pace) / (T_time - b_time)
        derived = base_val_pace * np.power(ratio, exponent)
    ok = pace & np.isfinite(derived) & (nat_b > 0) & (nat_T > 0) & (base_val_pace > 0)
    basis = np.where(pace & ~ok, "none", basis)  # no positive base to grow from: trend only
    target = np.where(ok, derived, target)
    none = basis == "none"
    target = np.where(none, np.nan, target)
    t_per = np.where(none, nones, t_per)
    out["baseline"] = base_val
    out["baseline_period"] = pd.Series(base_per, dtype=object)
    out["target"] = target.astype(float)
    out["target_period"] = pd.Series(t_per, dtype=object)
    words = np.array([
        (f"{basis_words('national_pace')}：{p}年本地区值{bv:.6g}×（全国{nt:.6g}/{nb:.6g}）"
         + ("" if abs(e - 1) < 1e-9 else f"^{e:.3g}") if k == "national_pace" else
         f"{basis_words('national_target')}（{nt:.6g}）" if k == "national_target" else s)
        for k, s, p, bv, nt, nb, e in zip(basis, src, np.where(no_base, first["first_period"].to_numpy(dtype=object),
                                                                base_per),
                                           base_val_pace, nat_T, nat_b, exponent, strict=True)
    ], dtype=object)
    out["target_source"] = pd.Series(words, dtype=object)
    out["target_basis"] = pd.Series(basis, dtype=object)
    # a national path of declared points is the nation's; a unit's own target follows its own straight line
    if "trajectory" in out.columns:
        out.loc[~is_nat & (out["trajectory"] == "points").to_numpy() & (basis != "national_target"),
                "trajectory"] = "linear"
    return out
