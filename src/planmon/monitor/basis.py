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

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from planmon.framework.model import Framework
from planmon.periods import Period

#: Columns added to the spec table (and carried to every assessment row).
BASIS_COLUMNS = ["target_basis", "target_source", "national_target", "national_baseline"]


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


def _times(periods: pd.Series) -> np.ndarray:
    """Continuous times of period strings (None → NaN), parsed once per distinct value."""
    codes, uniq = pd.factorize(periods.astype(object), use_na_sentinel=True)
    table = np.array([Period.parse(str(p)).time if isinstance(p, str) else np.nan for p in uniq] + [np.nan])
    return table[codes]


def _pick_targets(targets: pd.DataFrame, national_periods: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one target row per indicator × unit, one basis declaration per indicator × unit)."""
    t = targets.copy()
    is_target = t["kind"].isin(["own_plan", "decomposed"])
    basis = t[~is_target].sort_values("period", kind="stable").drop_duplicates(["indicator", "unit"], keep="last")
    tt = t[is_target].copy()
    tt["_nat"] = (tt["period"].astype(str) == tt["indicator"].map(national_periods).astype(str)).astype(int)
    tt["_dec"] = (tt["kind"] == "decomposed").astype(int)
    tt["_time"] = _times(tt["period"])
    tt = tt.sort_values(["_dec", "_nat", "_time"], kind="stable").drop_duplicates(["indicator", "unit"], keep="last")
    return tt.drop(columns=["_nat", "_dec", "_time"]), basis


def _lookup(src_keys: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position in ``src_keys`` of each query key, whether found): a sort and a binary search, no hashing of text."""
    if len(src_keys) == 0:
        return np.zeros(len(query), dtype=np.intp), np.zeros(len(query), dtype=bool)
    order = np.argsort(src_keys, kind="stable")
    at = np.clip(np.searchsorted(src_keys[order], query), 0, len(src_keys) - 1)
    pos = order[at]
    return pos, src_keys[pos] == query


def _pick(values: np.ndarray, pos: np.ndarray, hit: np.ndarray, fill: Any) -> np.ndarray:
    """``values[pos]`` where ``hit``, ``fill`` elsewhere (also when ``values`` is empty)."""
    if len(values) == 0:
        return np.full(len(pos), fill, dtype=values.dtype if fill is not None else object)
    return np.where(hit, values[pos], fill)


def apply_basis(specs: pd.DataFrame, fw: Framework, observations: pd.DataFrame,
                targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-unit baseline, target, ``target_basis``, ``target_source`` and ``national_target`` for every spec row.

    ``specs`` has one row per indicator × unit with the framework's (national) baseline and target;
    ``targets`` is the store's target table (plus the framework's, which the store overrides). Rows are
    matched by integer keys (indicator and unit factorised once over specs, observations and targets).
    """
    out = specs.copy().reset_index(drop=True)
    n = len(out)
    tab = targets if targets is not None else framework_targets(fw)
    tab = tab if tab is not None else framework_targets(fw)
    obs = observations
    parts_i = [out["indicator"].to_numpy(dtype=object), obs["indicator"].to_numpy(dtype=object),
               tab["indicator"].to_numpy(dtype=object)]
    parts_u = [out["unit"].to_numpy(dtype=object), obs["unit"].to_numpy(dtype=object), tab["unit"].to_numpy(dtype=object)]
    ic, ind_u = pd.factorize(pd.Series(np.concatenate(parts_i), dtype=object))
    uc, _unit_u = pd.factorize(pd.Series(np.concatenate(parts_u), dtype=object))
    nu = max(int(uc.max()) + 1 if len(uc) else 1, 1)
    keys = ic.astype(np.int64) * nu + uc
    n_obs = len(obs)
    k_out, k_obs, k_tab = keys[:n], keys[n:n + n_obs], keys[n + n_obs:]
    ic_out, ic_obs = ic[:n], ic[n:n + n_obs]

    nat_units = _national_units(fw)
    inds = {i.id: i for i in fw.indicators}
    per_ind_ext = np.array([inds[i].extensive if i in inds else False for i in ind_u] or [False], dtype=bool)
    per_ind_basis = np.array([inds[i].regional_basis if i in inds else "national_target" for i in ind_u]
                             or ["national_target"], dtype=object)
    is_nat = out["unit"].isin(nat_units).to_numpy()
    extensive = per_ind_ext[ic_out]
    declared = per_ind_basis[ic_out]
    nat_b = out["baseline"].to_numpy(dtype=float).copy()
    nat_T = out["target"].to_numpy(dtype=float).copy()
    out["national_target"] = nat_T
    out["national_baseline"] = nat_b
    b_time = _times(out["baseline_period"])
    T_time = _times(out["target_period"])
    nones = np.full(n, None, dtype=object)

    # --- the unit's own base: its value at the national baseline period, never the national value ----------------
    own = np.full(n, np.nan)
    first_time = np.full(n, np.nan)
    first_value = np.full(n, np.nan)
    if n_obs:
        base_of_ind = np.full(len(ind_u) + 1, None, dtype=object)
        base_of_ind[ic_out] = out["baseline_period"].to_numpy(dtype=object)
        o_per = obs["period"].astype(str).to_numpy(dtype=object)
        at_base = o_per == base_of_ind[ic_obs]
        o_val = obs["value"].to_numpy(dtype=float)
        pos, hit = _lookup(k_obs[at_base], k_out)
        own = _pick(o_val[at_base], pos, hit, np.nan)
        # first observation of every series (the panel's base when a unit has none at the baseline period)
        o_time = _times(obs["period"])
        order = np.lexsort((o_time, k_obs))
        sk = k_obs[order]
        starts = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]])
        firsts = order[starts]
        pos, hit = _lookup(k_obs[firsts], k_out)
        first_time = _pick(o_time[firsts], pos, hit, np.nan)
        first_value = _pick(o_val[firsts], pos, hit, np.nan)
    has_own = np.isfinite(own)
    base_val = np.where(is_nat, nat_b, np.where(has_own, own, np.nan))
    base_per = np.where(is_nat | has_own, out["baseline_period"].to_numpy(dtype=object), nones)
    base_time = np.where(is_nat | has_own, b_time, np.nan)
    no_base = ~is_nat & ~has_own
    base_time_pace = np.where(no_base, first_time, base_time)
    base_val_pace = np.where(no_base, first_value, base_val)

    # --- the basis of every row -----------------------------------------------------------------------------------
    basis = np.where(is_nat, "own_plan", declared).astype(object)
    src = np.where(is_nat, fw.plan.title_zh, "").astype(object)
    target = nat_T.copy()
    t_per = out["target_period"].to_numpy(dtype=object).copy()
    if len(tab):
        national_periods = pd.Series({i.id: (i.target.period if i.target else None) for i in fw.indicators})
        tab = tab.assign(_key=k_tab)
        chosen, decl = _pick_targets(tab, national_periods)
        if len(decl):
            dk = decl["_key"].to_numpy(dtype=np.int64)
            pos, hit = _lookup(dk, k_out)
            set_d = hit & ~is_nat
            basis = np.where(set_d, decl["kind"].to_numpy(dtype=object)[pos], basis)
        if len(chosen):
            pos, hit = _lookup(chosen["_key"].to_numpy(dtype=np.int64), k_out)
            cv = chosen["value"].to_numpy(dtype=float)[pos]
            hit &= np.isfinite(cv)
            basis = np.where(hit, chosen["kind"].to_numpy(dtype=object)[pos], basis)
            target = np.where(hit, cv, target)
            t_per = np.where(hit, chosen["period"].to_numpy(dtype=object)[pos], t_per)
            src = np.where(hit, chosen["source"].fillna("").to_numpy(dtype=object)[pos], src)
            bv = chosen["baseline_value"].to_numpy(dtype=float)[pos]
            bp = chosen["baseline_period"].to_numpy(dtype=object)[pos]
            ovr = hit & np.isfinite(bv) & pd.notna(bp)
            base_val = np.where(ovr, bv, base_val)
            base_per = np.where(ovr, bp, base_per)
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
    # A target form other than a level (issue 19: a rate, a bound…) applies to every unit as the plan states it,
    # unless the unit has a level target of its own.
    form = out["target_form"].to_numpy(dtype=object) if "target_form" in out.columns else np.full(n, "level")
    rule_form = (form != "level") & ~np.isfinite(target)
    basis = np.where(rule_form, np.where(is_nat, "own_plan", "national_target"), basis)
    none = basis == "none"
    target = np.where(none, np.nan, target)
    t_per = np.where(none, nones, np.where(rule_form, out["target_period"].to_numpy(dtype=object), t_per))
    out["baseline"] = base_val
    out["baseline_period"] = pd.Series(base_per, dtype=object)
    out["target"] = target.astype(float)
    out["target_period"] = pd.Series(t_per, dtype=object)
    # Where a unit's own or decomposed target comes from (its citation), or the plan for the nation; a pace
    # target's derivation is said by :func:`derivation` from the row's numbers (no text built per row here).
    out["target_source"] = pd.Series(np.where(pace | (basis == "national_target"), nones, src), dtype=object)
    out["target_basis"] = pd.Series(basis, dtype=object)
    # a national path of declared points is the nation's; a unit's own target follows its own straight line
    if "trajectory" in out.columns:
        out.loc[~is_nat & (out["trajectory"] == "points").to_numpy() & (basis != "national_target"),
                "trajectory"] = "linear"
    return out


def derivation(row: Mapping[str, Any], national_baseline_period: str | None = None) -> str:
    """How a target derived at the national pace was obtained, language-neutral, from an assessment row:
    ``2020: 0.2 × (12/9.89)`` (base period: own base × (national target / national baseline)), with the
    exponent ``^0.8`` when the unit's base comes later than the national baseline. Empty for other bases."""
    if row.get("target_basis") != "national_pace":
        return ""
    try:
        nb, nt, base = float(row["national_baseline"]), float(row["national_target"]), float(row["baseline"])
        b, T = Period.parse(str(row["baseline_period"])).time, Period.parse(str(row["target_period"])).time
    except (KeyError, TypeError, ValueError):
        return ""
    text = f"{row['baseline_period']}: {base:.6g} × ({nt:.6g}/{nb:.6g})"
    span = T - b
    nat_b = national_baseline_period or row.get("national_baseline_period")
    if nat_b:
        full = T - Period.parse(str(nat_b)).time
        if full > 0 and abs(span / full - 1) > 1e-9:
            text += f"^{span / full:.3g}"
    return text
