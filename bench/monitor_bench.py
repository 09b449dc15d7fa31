"""Benchmark: assess 100,000 series (2,844 counties × 35 indicators × 10 years) in one vectorised pass.

Compared, in the same run and on the same data, with a plain per-series Python
loop computing the same measures (progress and time shares, linear expected
value, actual and required CAGR and their ratio, compound projection and
projected share, time-weighted regression projection, ndrc status). The loop's
statuses and projections are checked against the vectorised ones before timing.

Printed (panel already built, as the loop's per-series lists are):

- the vectorised pass proper, ``measures()``: the numeric core, float arrays
  (series × points) in, float/bool arrays and integer status codes out, notes
  as masks; this is the figure of the goal;
- the same pass with the output frame, ``_compute()`` = ``measures()`` plus
  ``frame()``: text columns (status labels, notes in zh and en, note codes) and
  the pandas DataFrame;
- the loop as written (numbers, notes text, labels, one dict per series, the
  DataFrame), the baseline of both ratios; and, for transparency, the same
  loop with its text and DataFrame building switched off (``text=False``: the
  same measures and status, one tuple of numbers per series), against the
  numeric core;
- the end-to-end ``assess()`` from a long DataFrame of ~1,000,000 rows;
- with targets per unit (issue 12): a framework of the 35 indicators (a third of them rates) over the
  2,844 counties, a target table (10 % own-plan targets, 5 % decomposed, 2 % basis ``none``), the basis
  selection ``unit_specs()`` (own/decomposed targets, national pace derived from each county's base,
  national target for rates) and ``assess()`` on its specs, end to end.

- with the target forms (issue 19): the same 100k series with 7 of the 35 indicators (20 %) in the other
  forms — annual growth on levels and on rates, cumulative change on rates and on levels, a bound, a relation
  above and one in step — checked against the plain formulas on a sample, timed against all levels (numeric
  core, pass with frame, end to end). ``--forms`` runs this part only.

Goals (issue #4): the vectorised pass ≥ 50× the loop, and < 2 s end to end; with targets per unit
(issue 12) the basis selection plus ``assess()`` < 2 s as well.

Run: /work/venv/bin/python bench/monitor_bench.py
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from planmon.framework.model import Framework, Indicator, Plan, Point, Unit
from planmon.monitor.assess import _compute, assess, measures
from planmon.monitor.panel import build_panel, indicator_specs, normalise_observations
from planmon.monitor.params import resolve
from planmon.monitor.schemes import STATUS_LABELS
from timing import best_of, report

COUNTIES, INDICATORS, YEARS = 2844, 35, 10


def make_data(seed: int = 20211228) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic county panel: baseline 2020, target 2035, observations 2021–2030 (with a few gaps)."""
    rng = np.random.default_rng(seed)
    n = COUNTIES * INDICATORS
    ind = np.repeat([f"K{i:02d}" for i in range(INDICATORS)], COUNTIES)
    unit = np.tile([f"{110101 + i:06d}" for i in range(COUNTIES)], INDICATORS)
    sign = np.repeat(np.where(np.arange(INDICATORS) % 5 == 4, -1, 1), COUNTIES)
    base = rng.uniform(10, 100, n)
    target = base * np.where(sign > 0, rng.uniform(1.2, 2.0, n), rng.uniform(0.5, 0.9, n))
    growth = np.log(target / base) / 15 * rng.normal(1.0, 0.5, n)
    years = np.arange(2021, 2021 + YEARS)
    vals = base[:, None] * np.exp(growth[:, None] * (years - 2020)[None, :]) * rng.normal(1, 0.02, (n, YEARS))
    keep = rng.random((n, YEARS)) > 0.02  # a few gaps
    sid, yi = np.nonzero(keep)
    obs = pd.DataFrame({"indicator": ind[sid], "unit": unit[sid], "period": years[yi].astype(str),
                        "value": vals[sid, yi]})
    specs = pd.DataFrame({"indicator": ind, "unit": unit, "direction": np.where(sign > 0, "+", "-"),
                          "baseline_period": "2020", "baseline": base, "target_period": "2035", "target": target})
    return obs, specs


def make_targets(obs: pd.DataFrame, specs: pd.DataFrame, seed: int = 20211229
                 ) -> tuple[Framework, pd.DataFrame, pd.DataFrame]:
    """The county panel as a framework (national baseline/target per indicator), with a target table."""
    rng = np.random.default_rng(seed)
    first = specs.drop_duplicates("indicator")
    inds = [Indicator(id=r.indicator, name_zh=r.indicator, unit="x", direction="increase" if r.direction == "+"
                      else "decrease", kind="rate" if k % 3 == 0 else "stock",
                      baseline=Point(period="2020", value=float(r.baseline)),
                      target=Point(period="2035", value=float(r.target)))
            for k, r in enumerate(first.itertuples())]
    units = [Unit(id="CN", kind="region", name_zh="全国", level="nation")] + [
        Unit(id=u, kind="region", code=u, name_zh=u, level="county", parent="CN") for u in pd.unique(specs["unit"])]
    fw = Framework(plan=Plan(id="bench", title_zh="bench", title_en="bench", period_start="2021",
                             period_end="2035"), units=units, indicators=inds)
    pick = rng.random(len(specs))
    kind = np.select([pick < 0.10, pick < 0.15, pick < 0.17], ["own_plan", "decomposed", "none"], "")
    sel = kind != ""
    targets = pd.DataFrame({"indicator": specs["indicator"].to_numpy()[sel], "unit": specs["unit"].to_numpy()[sel],
                            "period": "2035", "kind": kind[sel],
                            "value": np.where(kind[sel] == "none", np.nan, specs["target"].to_numpy()[sel] * 1.1),
                            "baseline_period": None, "baseline_value": np.nan, "source": "bench", "note": "",
                            "illustrative": False, "revision": 1})
    base = pd.DataFrame({"indicator": specs["indicator"], "unit": specs["unit"], "period": "2020",
                         "value": specs["baseline"]})
    return fw, targets, pd.concat([base, obs], ignore_index=True)


#: The target forms mixed into the county panel (issue 19): indicator → (form, observed, rule columns).
FORMS_MIX: dict[str, tuple[str, str, dict[str, Any]]] = {
    "K28": ("annual_growth", "level", {"form_value": 5.0, "form_comparator": ">"}),
    "K29": ("annual_growth", "annual_rate", {"form_value": 6.0, "form_comparator": ">"}),
    "K30": ("cumulative_change", "annual_rate", {"form_value": 13.5}),
    "K31": ("cumulative_change", "level", {"form_value": 10.0, "form_change_unit": "percent"}),
    "K32": ("bound", "level", {"form_value": 5.5, "form_comparator": "<"}),
    "K33": ("relative", "annual_rate", {"form_relative_to": "K29", "form_relation": "above"}),
    "K34": ("relative", "annual_rate", {"form_relative_to": "K29", "form_relation": "in_step",
                                        "form_tolerance": 0.5}),
}


def make_forms(obs: pd.DataFrame, specs: pd.DataFrame, seed: int = 20211230) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The county panel with 7 of its 35 indicators (20 % of the series) in the other target forms."""
    rng = np.random.default_rng(seed)
    obs, specs = obs.copy(), specs.copy()
    specs["target_form"] = "level"
    obs_ref = obs.iloc[0:0]
    for ind, (form, observed, rule) in FORMS_MIX.items():
        sel = (specs["indicator"] == ind).to_numpy()
        specs.loc[sel, "target_form"] = form
        specs.loc[sel, "form_observed"] = observed
        for k, v in rule.items():
            specs.loc[sel, k] = v
        specs.loc[sel, "target"] = np.nan
        specs.loc[sel, "target_period"] = "2025"
        if form == "bound":
            specs.loc[sel, "direction"] = "-"
        o = (obs["indicator"] == ind).to_numpy()
        if form == "relative":  # K29's growth plus a margin: most county-years hold, a few do not
            ref = obs_ref.set_index(["unit", "period"])["value"]
            at = pd.MultiIndex.from_frame(obs.loc[o, ["unit", "period"]])
            base_g = ref.reindex(at).to_numpy(dtype=float)
            margin = rng.normal(1.0, 0.5, o.sum()) if rule["form_relation"] == "above" else rng.normal(0, 0.25, o.sum())
            obs.loc[o, "value"] = np.where(np.isfinite(base_g), base_g + margin, np.nan)
        elif observed == "annual_rate":
            obs.loc[o, "value"] = rng.normal(6.0, 1.5, o.sum()) * (-0.5 if form == "cumulative_change" else 1.0)
        elif form == "bound":
            obs.loc[o, "value"] = rng.normal(5.0, 0.2, o.sum())
        if ind == "K29":
            obs_ref = obs.loc[o, ["unit", "period", "value"]]
    return obs.dropna(subset=["value"]).reset_index(drop=True), specs


def forms_section(obs: pd.DataFrame, specs: pd.DataFrame) -> None:
    """Issue 19: the same 100k series with a fifth of them in the other forms, timed against all levels."""
    obs_f, specs_f = make_forms(obs, specs)
    ap, sp = resolve("ndrc", None)
    norm_l, _ = normalise_observations(obs)
    norm_f, _ = normalise_observations(obs_f)
    panel_l = build_panel(indicator_specs(specs), norm_l)
    panel_f = build_panel(indicator_specs(specs_f), norm_f)
    got = _compute(panel_f, "ndrc", sp, ap, 2030.0, None)
    # checks against plain formulas, series by series on a sample
    rows = got.reset_index(drop=True)
    s = panel_f.series
    for i in np.flatnonzero((s["indicator"] == "K32").to_numpy())[:200]:  # bound: every year 2021–2025 < 5.5
        v = [x for x, t, k in zip(panel_f.values[i], panel_f.times[i], panel_f.mask[i], strict=True)
             if k and 2020 < t <= 2025]
        want = "as_expected" if v and all(x < 5.5 for x in v) else ("lagging" if v else None)
        assert rows.at[i, "status"] == want, (i, rows.at[i, "status"], want)
    for i in np.flatnonzero((s["indicator"] == "K29").to_numpy())[:200]:  # growth from rates: log share
        r = [x for x, t, k in zip(obs_f_values(panel_f, i), panel_f.times[i][1:], panel_f.mask[i][1:], strict=True)
             if k]
        t_last = max(t for t, k in zip(panel_f.times[i][1:], panel_f.mask[i][1:], strict=True) if k)
        p = sum(math.log(1 + x / 100) for x in r) / (5 * math.log(1.06))
        assert math.isclose(rows.at[i, "progress_share"], p, rel_tol=1e-9), (i, rows.at[i, "progress_share"], p)
        assert math.isclose(rows.at[i, "time_share"], (t_last - 2020) / 5, rel_tol=1e-9)
    counts = got.groupby("target_form")["status"].value_counts().unstack(fill_value=0)
    print("target forms mixed in: statuses by form\n" + counts.to_string())
    print("check: bound statuses and growth-from-rates shares agree with the plain formulas on a sample")
    t_core_l = best_of(lambda: measures(panel_l, "ndrc", sp, ap, 2030.0), repeat=3)
    t_core_f = best_of(lambda: measures(panel_f, "ndrc", sp, ap, 2030.0), repeat=3)
    t_vec_l = best_of(lambda: _compute(panel_l, "ndrc", sp, ap, 2030.0, None), repeat=3)
    t_vec_f = best_of(lambda: _compute(panel_f, "ndrc", sp, ap, 2030.0, None), repeat=3)
    t_e2e_l = best_of(lambda: assess(obs, specs), repeat=1)
    t_e2e_f = best_of(lambda: assess(obs_f, specs_f), repeat=1)
    report("numeric core, 20 % other forms", t_core_f, "numeric core, all levels", t_core_l)
    report("pass with output frame, 20 % other forms", t_vec_f, "the same, all levels", t_vec_l)
    print(f"end-to-end assess(): all levels {t_e2e_l:.3f} s; 20 % other forms {t_e2e_f:.3f} s")


def obs_f_values(panel: Any, i: int) -> list[float]:
    """The observed values (rates, not the chained index) of series ``i`` after its base."""
    assert panel.forms is not None
    return list(panel.forms.observed[i][1:])


def loop_assess(series: list[tuple[str, str, int, float, float, float, float, list[float], list[float], list[str]]],
                delta: float = 0.10, stale_periods: float = 2.0, ref_time: float = 2030.0,
                text: bool = True) -> Any:
    """The plain loop: one series at a time, Python floats, one result row (same columns) per series.

    ``text=False`` computes the same measures and status but keeps no notes, labels or
    DataFrame: a list of number tuples (the numeric-only figure of the benchmark).
    """
    labels = STATUS_LABELS["ndrc"]
    rows = []
    for ind, unit, d, b, vb, T, vT, ts, vs, ps_ in series:
        row: dict[str, Any] = {"indicator": ind, "unit": unit, "direction": "increase" if d > 0 else "decrease",
                               "baseline": vb, "target": vT}
        notes: list[str] = []
        if not ts:
            if not text:
                rows.append((None,))
                continue
            notes.append("no observation after the baseline: not assessed")
            row.update(status=None, notes="; ".join(notes))
            rows.append(row)
            continue
        t, vt = ts[-1], vs[-1]
        p = (vt - vb) / (vT - vb) if vT != vb else math.nan
        tau = (t - b) / (T - b)
        expected = vb + (vT - vb) * tau
        if vb > 0 and vt > 0:
            ca = (vt / vb) ** (1 / (t - b)) - 1
            cr = (vT / vb) ** (1 / (T - b)) - 1
            ratio = ca / cr if cr != 0 else math.nan
            proj = vt * (1 + ca) ** (T - t)
        else:
            ca = cr = math.nan
            ratio = p / tau
            proj = vt + (vt - vb) / (t - b) * (T - t)
            if text:
                notes.append("zero or negative values: compound growth undefined, linear used")
        ps = (proj - vb) / (vT - vb)
        xs, ys = [b, *ts], [vb, *vs]
        w = [x - xs[0] + 1.0 for x in xs]
        sw = sum(w)
        xm = sum(wi * x for wi, x in zip(w, xs, strict=True)) / sw
        ym = sum(wi * y for wi, y in zip(w, ys, strict=True)) / sw
        sxx = sum(wi * (x - xm) ** 2 for wi, x in zip(w, xs, strict=True))
        sxy = sum(wi * (x - xm) * (y - ym) for wi, x, y in zip(w, xs, ys, strict=True))
        reg = ym + sxy / sxx * (T - xm) if len(xs) >= 3 and t < T else math.nan
        if text and len(ts) == 1:
            notes.append("only one observation after the baseline")
        age = ref_time - t
        if text and age > stale_periods + 1e-9:
            notes.append(f"stale data: the latest value ({ps_[-1]}) is {age:.3g} periods older than the reference")
        if d * (vt - vT) >= 0:
            status = "achieved"
        elif p >= tau * (1 + delta) - 1e-9:
            status = "faster"
        elif p >= tau * (1 - delta) - 1e-9:
            status = "as_expected"
        else:
            status = "lagging"
        if not text:
            rows.append((vt, p, tau, expected, ca, cr, ratio, proj, ps, status, vt - expected, reg, age))
            continue
        row.update(latest_period=ps_[-1], latest=vt, progress_share=p, time_share=tau, expected=expected,
                   cagr_actual=ca, cagr_required=cr, growth_ratio=ratio, projected=proj, projected_share=ps,
                   status=status, scheme="ndrc", notes="; ".join(notes), status_zh=labels[status][0],
                   status_en=labels[status][1], gap=vt - expected, projected_regression=reg)
        rows.append(row)
    return pd.DataFrame(rows) if text else rows


def main() -> None:
    t0 = time.perf_counter()
    obs, specs = make_data()
    print(f"data: {len(specs):,} series, {len(obs):,} observations (built in {time.perf_counter() - t0:.1f} s)")

    ap, sp = resolve("ndrc", None)
    norm, _ = normalise_observations(obs)
    panel = build_panel(indicator_specs(specs), norm)

    # The loop's input: per-series Python lists, from the same panel.
    s = panel.series
    sign, tt, tv = s["sign"].tolist(), s["t_time"].tolist(), s["target"].tolist()
    b0, v0 = panel.times[:, 0].tolist(), panel.values[:, 0].tolist()
    times, values, mask = panel.times[:, 1:].tolist(), panel.values[:, 1:].tolist(), panel.mask[:, 1:].tolist()
    ind, unit = s["indicator"].tolist(), s["unit"].tolist()
    periods = panel.periods[:, 1:].tolist()
    lists = [(ind[i], unit[i], int(sign[i]), b0[i], v0[i], tt[i], tv[i],
              [x for x, k in zip(times[i], mask[i], strict=True) if k],
              [x for x, k in zip(values[i], mask[i], strict=True) if k],
              [x for x, k in zip(periods[i], mask[i], strict=True) if k]) for i in range(len(s))]

    vec = _compute(panel, "ndrc", sp, ap, 2030.0, None)
    ref = loop_assess(lists)
    same_status = (vec["status"].to_numpy(dtype=object) == ref["status"].to_numpy(dtype=object))
    assert same_status.all(), f"{(~same_status).sum()} statuses differ"
    for col in ("progress_share", "expected", "growth_ratio", "projected_share", "projected_regression"):
        assert np.allclose(vec[col].to_numpy(dtype=float), ref[col].to_numpy(dtype=float), rtol=1e-7,
                           equal_nan=True), col
    num = loop_assess(lists, text=False)
    same_num = vec["status"].to_numpy(dtype=object) == np.array([r[9] if len(r) > 1 else None for r in num], dtype=object)
    assert same_num.all(), f"{(~same_num).sum()} statuses of the numeric-only loop differ"
    core = measures(panel, "ndrc", sp, ap, 2030.0)
    assert np.array_equal(core.projected_share, vec["projected_share"].to_numpy(dtype=float), equal_nan=True)
    print("check: vectorised and loop agree on every status, projected share and regression projection")

    results: dict[str, Any] = {}
    t_core = best_of(lambda: results.__setitem__("c", measures(panel, "ndrc", sp, ap, 2030.0)), repeat=3)
    t_vec = best_of(lambda: results.__setitem__("v", _compute(panel, "ndrc", sp, ap, 2030.0, None)), repeat=3)
    t_e2e = best_of(lambda: assess(obs, specs), repeat=1)
    t_loop = best_of(lambda: loop_assess(lists), repeat=1)
    t_loop_num = best_of(lambda: loop_assess(lists, text=False), repeat=1)
    report("vectorised pass, numeric core (100k series)", t_core, "per-series Python loop", t_loop)
    report("vectorised pass with the output frame", t_vec, "per-series Python loop", t_loop)
    report("numeric core", t_core, "the loop without text or DataFrame", t_loop_num)
    print(f"end-to-end assess() from the long DataFrame: {t_e2e:.3f} s")
    ok = t_loop / t_core >= 50 and t_e2e < 2.0
    print(f"goals (≥ 50×, < 2 s): {'met' if ok else 'NOT met'}")

    # --- targets per unit (issue 12) --------------------------------------------------------------------
    from planmon.monitor.store_io import unit_specs

    fw, targets, obs_b = make_targets(obs, specs)
    unit_spec = unit_specs(fw, obs_b, None, targets)
    got = assess(obs_b, unit_spec)
    counts = got["target_basis"].value_counts().to_dict()
    own = got[got["target_basis"] == "own_plan"].merge(targets, on=["indicator", "unit"], suffixes=("", "_t"))
    assert np.allclose(own["target"], own["value"]), "an own-plan target was not the one used"
    pace = got[got["target_basis"] == "national_pace"].merge(specs, on=["indicator", "unit"], suffixes=("", "_s"))
    nat = {i.id: (i.baseline.value, i.target.value) for i in fw.indicators if i.baseline and i.target}
    ratio = pace["indicator"].map({k: t / b for k, (b, t) in nat.items()}).to_numpy(dtype=float)
    assert np.allclose(pace["target"], pace["baseline_s"] * ratio), "a pace target is not base × national ratio"
    print(f"targets per unit: {len(targets):,} rows; bases {counts}")
    t_sel = best_of(lambda: unit_specs(fw, obs_b, None, targets), repeat=1)
    t_tgt = best_of(lambda: assess(obs_b, unit_specs(fw, obs_b, None, targets)), repeat=1)
    print(f"basis selection unit_specs() over {len(unit_spec):,} series: {t_sel:.3f} s")
    print(f"end-to-end with targets per unit (selection + assess()): {t_tgt:.3f} s")
    print(f"goal with targets per unit (< 2 s): {'met' if t_tgt < 2.0 else 'NOT met'}")

    # --- target forms (issue 19) ------------------------------------------------------------------------
    forms_section(obs, specs)


if __name__ == "__main__":
    if "--forms" in sys.argv:
        forms_section(*make_data())
    else:
        main()
