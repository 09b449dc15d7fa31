"""iData/iMeta from a planmon framework and its stored observations.

The tree comes from the framework's ``index_tree`` and each indicator's ``index`` place.
When the framework has none (the built-in plan), a default tree is built: one pillar
per indicator ``area`` (equal weights) under a top node ``INDEX``; directions come from
the indicators. Only indicators with at least one value for the chosen units are used.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from planmon.framework import BUILTIN_DEFAULT, Framework
from planmon.index.errors import fail
from planmon.periods import Period

TOP = "INDEX"


def _units(fw: Framework, units: str | list[str]) -> list[Any]:
    if units == "provinces":
        return list(fw.provinces())
    if units == "all":
        return list(fw.units)
    wanted = set(units) if isinstance(units, list) else {units}
    return [u for u in fw.units if u.id in wanted]


def framework_meta(fw: Framework, indicators: list[str]) -> pd.DataFrame:
    """iMeta rows: indicators (level 1), the framework's tree or area pillars, the top node."""
    inds = [i for i in fw.indicators if i.id in indicators]
    rows: list[dict[str, Any]] = []
    if fw.index_tree and any(i.index for i in inds):
        inds = [i for i in inds if i.index]
        depth: dict[str, int] = {}
        nodes = {n.id: n for n in fw.index_tree}

        def level(nid: str) -> int:
            if nid not in depth:
                kids = [n.id for n in nodes.values() if n.parent == nid]
                depth[nid] = 1 + max([level(k) for k in kids] or [1])
            return depth[nid]

        for i in inds:
            assert i.index is not None
            rows.append({"Level": 1, "iCode": i.id, "iName": i.name_zh, "Direction": i.sign, "Weight": i.index.weight,
                         "Parent": i.index.parent, "Type": "Indicator"})
        for n in fw.index_tree:
            rows.append({"Level": level(n.id), "iCode": n.id, "iName": n.name_zh, "Direction": 1, "Weight": n.weight,
                         "Parent": n.parent, "Type": "Aggregate"})
        return pd.DataFrame(rows)
    areas: list[str] = []
    for i in inds:
        a = i.area or "其他"
        if a not in areas:
            areas.append(a)
        rows.append({"Level": 1, "iCode": i.id, "iName": i.name_zh, "Direction": i.sign, "Weight": 1.0,
                     "Parent": a, "Type": "Indicator"})
    for a in areas:
        rows.append({"Level": 2, "iCode": a, "iName": a, "Direction": 1, "Weight": 1.0, "Parent": TOP, "Type": "Aggregate"})
    rows.append({"Level": 3, "iCode": TOP, "iName": "综合指数", "Direction": 1, "Weight": 1.0, "Parent": None, "Type": "Aggregate"})
    return pd.DataFrame(rows)


def from_store(store: Any, framework_id: str = BUILTIN_DEFAULT, period: str | None = None,
               units: str | list[str] = "provinces", intensive: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build (iData, iMeta) from stored current observations; ``period`` None keeps every period (panel).

    ``intensive=True`` adds a column per denominator the framework's intensive forms name (population, …,
    from ``store.denominators()``: the same year or the latest earlier within three years), iMeta rows of
    Type ``Denominator`` and each extensive indicator's ``Denominator``: run it with
    :func:`planmon.intensive.provincial_spec` to rank on intensive forms.
    """
    return from_observations(store.framework(framework_id), store.current_observations(framework_id), period, units,
                             denominators=store if intensive else None)


def from_observations(fw: Framework, obs: pd.DataFrame, period: str | None = None,
                      units: str | list[str] = "provinces", denominators: Any = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(iData, iMeta) from observations already read (the snapshot's, as known at its date); ``denominators``:
    a store (anything with ``denominators(names)``) to add the intensive forms' denominators (see :func:`from_store`)."""
    chosen = _units(fw, units)
    if not chosen:
        raise fail("没有可用的单位", "no units to score")
    ids = {u.id for u in chosen}
    obs = obs[obs["unit"].isin(ids)]
    if period is not None:
        p = Period.parse(str(period))
        obs = obs[obs["period"] == str(p)] if str(p) in set(obs["period"]) else obs[obs["period_time"] == p.time]
    if obs.empty:
        raise fail(f"所选单位{'在时期 ' + str(period) if period else ''}没有观测值",
                   f"no observations for the chosen units{' in period ' + str(period) if period else ''}")
    wide = obs.pivot_table(index=["unit", "period_time"], columns="indicator", values="value", aggfunc="last")
    wide = wide.reset_index().rename(columns={"unit": "uCode", "period_time": "Time"})
    names = {u.id: u.name_zh for u in chosen}
    wide.insert(1, "uName", wide["uCode"].map(names))
    inds = [i.id for i in fw.indicators if i.id in wide.columns and wide[i.id].notna().any()]
    meta = framework_meta(fw, inds)
    used = meta.loc[meta["Type"] == "Indicator", "iCode"].tolist()
    idata = wide[["uCode", "uName", "Time", *used]].copy()
    idata["Time"] = idata["Time"].astype(float)
    idata.columns.name = None
    if denominators is not None:
        idata, meta = _with_denominators(denominators, fw, idata, meta)
    return idata.sort_values(["Time", "uCode"]).reset_index(drop=True), meta


def _with_denominators(store: Any, fw: Framework, idata: pd.DataFrame, meta: pd.DataFrame
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    from planmon.denominators import DENOMINATORS, lookup

    forms = {i.id: i.intensive for i in fw.indicators if i.intensive is not None and i.id in meta["iCode"].tolist()}
    if not forms:
        return idata, meta
    names = sorted({f.denominator for f in forms.values()})
    dens = store.denominators(names)
    idata = idata.copy()
    for name in names:
        got = lookup(dens, name, idata["uCode"].to_numpy(dtype=object), idata["Time"].to_numpy(dtype=float))
        idata[name] = got["value"].to_numpy(dtype=float)
    meta = meta.copy()
    meta["Denominator"] = meta["iCode"].map({k: f.denominator for k, f in forms.items()})
    extra = pd.DataFrame([{"Level": None, "iCode": n, "iName": DENOMINATORS[n].name_zh if n in DENOMINATORS else n,
                           "Direction": None, "Weight": None, "Parent": None, "Type": "Denominator"} for n in names])
    return idata, pd.concat([meta, extra], ignore_index=True)


def period_time(period: str | None) -> float | None:
    return None if period is None else float(Period.parse(str(period)).time)


__all__ = ["TOP", "framework_meta", "from_observations", "from_store", "period_time"]

