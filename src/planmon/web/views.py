"""The data behind each page; the HTML page, its ``?format=json`` twin and the REST API share it.

Functions here take the running app's state and plain arguments and return JSON-ready
dicts, so a page and its API twin can never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select

from planmon import vocab
from planmon.framework import Framework
from planmon.jsonsafe import jsonable
from planmon.monitor import SEVERITY_LABELS
from planmon.periods import Period
from planmon.snapshot import AsOf, Snapshot
from planmon.spreadsheet import csv_cell, csv_text
from planmon.store import Store
from planmon.store.tables import progress_reports
from planmon.web import data, services


def clean(v: Any) -> Any:
    """JSON-safe (the one converter, :func:`planmon.jsonsafe.jsonable`)."""
    return jsonable(v)


def json_bytes(state: Any, key: tuple[Any, ...], compute: Callable[[], Any], version: int | None = None) -> bytes:
    """The serialised JSON of a view, cached like the view itself (serialising is most of a warm request)."""
    out: bytes = state.cache.get(("json", *key), lambda: json.dumps(clean(compute()), ensure_ascii=False,
                                                                   separators=(",", ":")).encode(), version)
    return out


# kept names: one CSV rule for every export lives in planmon.spreadsheet
safe_cell = csv_cell
__all__ = ["clean", "csv_text", "json_bytes", "safe_cell"]


def snapshot(state: Any, as_of: str | date | None = None) -> Snapshot:
    """The app's snapshot as of ``as_of`` (None: the latest data, today), held in the version cache:
    every page, its JSON twin and the API read the same one until the data change."""
    when = AsOf.resolve(as_of)
    snap: Snapshot = state.cache.get(("snapshot", when), lambda: Snapshot(state.store, state.framework.plan.id, as_of))
    return snap


def comparison(snap: Snapshot) -> dict[str, Any]:
    """Which period the ranking compares, how many units reported, and why (shown by every face)."""
    return snap.comparison.to_dict()


def unit_name(fw: Framework, unit_id: str, lang: str) -> str:
    try:
        u = fw.unit(unit_id)
    except KeyError:
        return unit_id
    return u.name_en if lang == "en" and u.name_en else (u.short_zh or u.name_zh)


def _monitor_block(snap: Snapshot, lang: str, unit: str | None = None) -> dict[str, Any]:
    df = snap.assessments_for(unit) if unit else snap.assessments
    # every indicator counts, 暂无法评估 included (a row without status is not left out)
    codes = df["status"].map(vocab.status_code) if "status" in df else pd.Series(dtype=object)
    counts: dict[str, int] = {str(k): int(v) for k, v in codes.value_counts().items()}
    order = [c for c in vocab.status_order("ndrc") if c in counts] + sorted(set(counts) - set(vocab.status_order("ndrc")))
    named = [{"status": c, "label": vocab.status(c, lang), "count": int(counts[c])} for c in order]
    data_as_of = None
    if "latest_period" in df and df["latest_period"].notna().any():
        data_as_of = max(df["latest_period"].dropna().astype(str), key=lambda p: Period.parse(p).time)
    return {"available": True, "status_counts": named, "total": len(df), "data_as_of": data_as_of,
            "rows": clean(df)}


def _label(label: Any, lang: str) -> str:
    """A status label given as a Message, a {zh, en} dict, a (zh, en) pair or plain text."""
    if label is None:
        return ""
    if isinstance(label, dict):
        return str(label.get(lang) or label.get("zh") or "")
    if isinstance(label, tuple | list):
        return str(label[1] if lang == "en" and len(label) > 1 else label[0])
    if hasattr(label, "zh"):
        return str(label.en if lang == "en" else label.zh)
    return str(label)


def _risks_block(snap: Snapshot, unit: str | None = None, top: int = 10, lang: str = "zh") -> dict[str, Any]:
    fw = snap.framework
    df = snap.risks if unit is None else snap.risks[snap.risks["unit"] == unit]
    order = {"high": 0, "medium": 1, "low": 2}
    if "severity" in df:
        # most severe first; the nation's flags before the provinces' at the same severity
        df = (df.assign(_o=df["severity"].map(order).fillna(3), _r=(df["unit"] != "CN").astype(int))
              .sort_values(["_o", "_r"], kind="stable").drop(columns=["_o", "_r"]))
        df = df.assign(unit_name=df["unit"].map(lambda u: unit_name(fw, str(u), lang)))
        df = df.assign(severity_zh=df["severity"].map(lambda s: SEVERITY_LABELS.get(s, (s, s))[0]),
                       severity_en=df["severity"].map(lambda s: SEVERITY_LABELS.get(s, (s, s))[1]))
    return {"available": True, "rows": clean(df.head(top))}


def map_data(store: Store, fw: Framework, indicator: str, lang: str) -> dict[str, Any]:
    latest = data.latest_by_unit(store.engine, fw.plan.id, indicator, data.regions(fw))
    values = [r["value"] for r in latest.values()]
    lo, hi = (min(values), max(values)) if values else (0.0, 0.0)
    tiles = []
    for t in services.tile_grid():
        r = latest.get(t["code"])
        v = r["value"] if r else None
        share = None if v is None else (0.5 if hi == lo else (v - lo) / (hi - lo))
        tiles.append({**t, "name": t["name_en"] if lang == "en" else t["name_zh"], "value": v,
                      "period": r["period"] if r else None, "share": share,
                      "known": any(u.id == t["code"] for u in fw.units)})
    return {"indicator": indicator, "min": lo if values else None, "max": hi if values else None, "tiles": tiles}


TREND_POINTS = 24  # periods in an overview card's trend line


def overview(state: Any, lang: str, map_indicator: str | None = None, as_of: str | None = None) -> dict[str, Any]:
    """The overview; its parts are cached apart, so another map indicator costs only the map."""
    store: Store = state.store
    fw: Framework = state.framework
    cache = state.cache
    snap = snapshot(state, as_of)
    cards = cache.get(("cards", lang), lambda: [data.indicator_card(store.engine, fw, ind, lang, last_points=TREND_POINTS)
                                                 for ind in fw.indicators if ind.role != "candidate"])
    choice = map_indicator if map_indicator and any(i.id == map_indicator for i in fw.indicators) else None
    if choice is None:
        choice = cache.get(("map-default",), lambda: (
            data.most_reported(store.engine, fw.plan.id, [i.id for i in fw.indicators], data.regions(fw))
            or (fw.indicators[0].id if fw.indicators else "")))
    return {
        "plan": {"id": fw.plan.id, "title": fw.plan.title_en if lang == "en" else fw.plan.title_zh,
                 "period_start": fw.plan.period_start, "period_end": fw.plan.period_end},
        "as_of": snap.as_of.day.isoformat(),
        # the main indicators' status is the nation's (CN); provinces are on the map and their own pages
        "monitor": cache.get(("monitor", lang, snap.as_of), lambda: _monitor_block(snap, lang, unit="CN")),
        "indicators": cards,
        "map": cache.get(("map", choice, lang), lambda: map_data(store, fw, choice, lang)) if choice else None,
        "risks": cache.get(("risks", lang, snap.as_of), lambda: _risks_block(snap, lang=lang)),
    }


def indicator(state: Any, indicator_id: str, lang: str, as_of: str | None = None) -> dict[str, Any]:
    store: Store = state.store
    fw: Framework = state.framework
    ind = fw.indicator(indicator_id)  # KeyError → 404 by the caller
    snap = snapshot(state, as_of)

    def compute() -> dict[str, Any]:
        card = data.indicator_card(store.engine, fw, ind, lang)
        latest = data.latest_by_unit(store.engine, fw.plan.id, ind.id, data.regions(fw))
        by_region = [
            {"unit": u, "name": unit_name(fw, u, lang), "period": r["period"], "value": r["value"],
             "status": r["status"]}
            for u, r in sorted(latest.items(), key=lambda kv: -kv[1]["value"] * ind.sign)
        ]
        df = snap.assessments
        assessment: Any = clean(df[df["indicator"] == ind.id])
        mine = df[df["indicator"] == ind.id].set_index("unit")
        _with_basis(by_region, mine, lang, "unit", fw)
        _with_intensive(by_region, store, fw, ind.id)
        # the page's readable table (the JSON twin keeps every assessment column in ``assessment``)
        status_col = "status_en" if lang == "en" else "status_zh"
        readable = [
            {"unit": u, "name": unit_name(fw, str(u), lang), "progress_share": r.get("progress_share"),
             "time_share": r.get("time_share"), "projected": r.get("projected"),
             "target": r.get("target"), "target_basis": r.get("target_basis_en" if lang == "en" else "target_basis_zh"),
             "status": r.get(status_col)}
            for u, r in (mine.to_dict("index").items() if len(mine) else [])
        ]
        return {**card, "definition": ind.definition_en if lang == "en" else ind.definition_zh,
                "source": ind.source, "frequency": ind.frequency, "kind": ind.kind,
                "basis": _basis_of(ind, lang), "intensive_form": _form_of(ind, lang),
                "by_region": by_region, "assessment": assessment, "assessment_readable": clean(readable),
                "qualitative": qualitative_block(store, fw, ind, lang), **_target_form_of(fw, ind, lang)}

    return state.cache.get(("indicator", indicator_id, lang, snap.as_of), compute)


def qualitative_block(store: Store, fw: Framework, ind: Any, lang: str) -> dict[str, Any] | None:
    """The office's entered status of a qualitative indicator (issue 19; :mod:`planmon.web.views_qualitative`)."""
    from planmon.web.views_qualitative import block

    return block(store, fw, ind, lang)


def _target_form_of(fw: Framework, ind: Any, lang: str) -> dict[str, Any]:
    """The target form in words and a re-based baseline with its reason (issue 19), for the indicator page."""
    from planmon.framework.target_cells import describe_rebased, describe_target

    names = {x.id: (x.name_en or x.name_zh) if lang == "en" else x.name_zh for x in fw.indicators}
    return {"target_form": ind.target_form, "target_text": describe_target(ind, names, lang),
            "rebased": ind.rebased.model_dump() if ind.rebased else None,
            "rebased_text": describe_rebased(ind, lang)}


def _basis_of(ind: Any, lang: str) -> dict[str, Any]:
    """The indicator's declared regional basis, in words, with its one-line reason."""
    from planmon.framework.targets import basis_words

    method = ind.regional_basis
    reason = (ind.basis.reason_en if lang == "en" else ind.basis.reason_zh) if ind.basis else ""
    return {"method": method, "words": basis_words(method, lang), "reason": reason}


def _form_of(ind: Any, lang: str) -> dict[str, Any] | None:
    f = ind.intensive
    if f is None:
        return None
    return {"denominator": f.denominator, "scale": f.scale, "name": f.name_en if lang == "en" and f.name_en else f.name_zh,
            "unit": f.unit_en if lang == "en" and f.unit_en else f.unit}


def _with_basis(rows: list[dict[str, Any]], assessed: pd.DataFrame, lang: str, key_field: str,
                fw: Framework | None = None) -> None:
    """Each row gets the target used for it and the basis of that target (words and code); ``assessed`` is
    indexed by the row's ``key_field`` (unit on an indicator page, indicator on a region page)."""
    from planmon.monitor.basis import derivation

    assessed = assessed.reset_index().set_index(key_field, drop=False) if len(assessed) else assessed
    base_periods = {i.id: (i.baseline.period if i.baseline else None) for i in (fw.indicators if fw else [])}
    for r in rows:
        key = r.get(key_field)
        a = assessed.loc[key] if len(assessed) and key in assessed.index else None
        if isinstance(a, pd.DataFrame):
            a = a.iloc[0]
        target: Any = a["target"] if a is not None else None
        r["target"] = None if target is None or pd.isna(target) else float(target)
        r["target_period"] = a["target_period"] if a is not None else None
        r["target_basis"] = a["target_basis"] if a is not None else None
        r["target_basis_words"] = (a["target_basis_en"] if lang == "en" else a["target_basis_zh"]) if a is not None \
            else ""
        r["target_source"] = (a["target_source"] or derivation({str(k): v for k, v in a.to_dict().items()},
                                                               base_periods.get(str(a["indicator"])))) \
            if a is not None else None


def _with_intensive(rows: list[dict[str, Any]], store: Store, fw: Framework, indicator: str | None = None) -> None:
    """Rows with (indicator, unit, period, value) get the intensive value of that observation."""
    from planmon.intensive import intensive_values

    obs = pd.DataFrame([{"indicator": indicator or r.get("indicator"), "unit": r.get("unit_id") or r.get("unit"),
                         "period": r.get("latest_period") or r.get("period"),
                         "value": r.get("latest") if "latest" in r else r.get("value")} for r in rows])
    obs = obs.dropna(subset=["period", "value"]) if len(obs) else obs
    iv = intensive_values(fw, obs, store.denominators()) if len(obs) else pd.DataFrame()
    found: dict[tuple[Any, Any, Any], Any] = {(x.indicator, x.unit, x.period): x for x in iv.itertuples()} \
        if len(iv) else {}
    for r in rows:
        key = (indicator or r.get("indicator"), r.get("unit_id") or r.get("unit"),
               r.get("latest_period") or r.get("period"))
        x = found.get(key)
        r["intensive"] = None if x is None or pd.isna(x.intensive) else float(x.intensive)
        r["intensive_unit"] = x.intensive_unit if x is not None else None
        r["denominator_period"] = x.denominator_period if x is not None else None


#: The scorecard fields a region page shows, in order (the JSON twin keeps every field).
SCORECARD_FIELDS = ("items_led", "reports_owed", "reports_on_time", "reports_late", "reports_missing", "on_time_rate",
                    "milestones_due", "milestones_met_on_time", "milestones_open", "items_delayed",
                    "indicators_led", "indicators_lagging", "indicators_at_risk")


def _region_index(snap: Snapshot, unit_id: str, lang: str) -> dict[str, Any]:
    """One province's place in the composite index: score, rank, rank interval, strengths and weaknesses
    (the snapshot's, the same as the published report's), and which period is compared and why."""
    from planmon.report.regional import readable_strengths

    part, fw = snap.index, snap.framework
    out: dict[str, Any] = {"available": True, "note": _index_note(snap), "comparison": comparison(snap),
                           "period": snap.comparison.period, "n_units": part.units if part else 0}
    row = part.row(unit_id) if part else None
    if part is None or row is None:
        out["ranked"] = False
        return out
    score = _mine(part.scores, unit_id) or {}
    rank = _mine(part.ranks, unit_id) or {}
    out.update({"ranked": True, "score": row["score"], "rank": row["rank"], "q05": _num(row["rank_q05"]),
                "q95": _num(row["rank_q95"]), "median": _num(row["rank_median"]),
                "pillars": [{"id": k, "score": v, "rank": rank.get(k)} for k, v in score.items()
                            if k not in ("uCode", "uName", part.root)]})
    sw = part.strengths_weaknesses
    if sw is not None and "uCode" in sw:
        mine = sw[sw["uCode"].astype(str) == unit_id]
        if len(mine):
            names = {i.id: (i.name_en if lang == "en" and i.name_en else i.name_zh) for i in fw.indicators}
            text = readable_strengths(mine, {}, names, lang).iloc[0]
            out["strengths"], out["weaknesses"] = str(text["strengths"]), str(text["weaknesses"])
    return out


def _num(v: Any) -> float | None:
    x = clean(v)
    return float(x) if isinstance(x, int | float) else None


def _mine(df: pd.DataFrame, unit_id: str) -> dict[str, Any] | None:
    hit = df[df["uCode"].astype(str) == unit_id]
    return {str(k): v for k, v in hit.iloc[0].items()} if len(hit) else None


def _index_note(snap: Snapshot) -> str:
    refusal = snap.index_refusal
    if refusal is not None:
        return f"{refusal.zh} / {refusal.en}"
    part = snap.index
    if part is not None and part.note is not None:
        return f"{part.note.zh} / {part.note.en}"
    return "" if part is not None else f"{snap.comparison.reason.zh} / {snap.comparison.reason.en}"


def index_results(state: Any, as_of: str | None = None) -> dict[str, Any]:
    """The composite index of the snapshot: scores and ranks of every level, strengths and weaknesses,
    the uncertainty analysis, and the comparison period with its reason."""
    snap = snapshot(state, as_of)
    part = snap.index
    out: dict[str, Any] = {"period": snap.comparison.period, "comparison": comparison(snap),
                           "note": _index_note(snap), "scores": [], "ranks": [], "strengths_weaknesses": [],
                           "uncertainty": []}
    if part is not None:
        out.update({"scores": clean(part.scores), "ranks": clean(part.ranks),
                    "strengths_weaknesses": clean(part.strengths_weaknesses),
                    "uncertainty": clean(part.uncertainty) if part.uncertainty is not None else [],
                    "table": clean(part.table), "root": part.root, "n_units": part.units})
    return out


def region(state: Any, unit_id: str, lang: str, as_of: str | None = None) -> dict[str, Any]:
    store: Store = state.store
    fw: Framework = state.framework
    u = fw.unit(unit_id)
    snap = snapshot(state, as_of)

    def compute() -> dict[str, Any]:
        values = data.region_values(store.engine, fw, u.id, lang)
        for v in values:
            v["unit_id"] = u.id
        sa = snap.assessments
        _with_basis(values, sa[sa["unit"] == u.id].set_index("indicator"), lang, "indicator", fw)
        _with_intensive(values, store, fw)
        for v in values:  # the intensive form's name and unit beside the absolute value
            form = _form_of(fw.indicator(v["indicator"]), lang)
            v["intensive_name"] = form["name"] if form else None
        out: dict[str, Any] = {"unit": {"id": u.id, "name": unit_name(fw, u.id, lang), "kind": u.kind,
                                        "level": u.level, "parent": u.parent},
                               "as_of": snap.as_of.day.isoformat(),
                               "values": values, "scorecard_fields": list(SCORECARD_FIELDS),
                               "target_indicators": [{"id": i.id, "name": i.name_en if lang == "en" and i.name_en
                                                      else i.name_zh, "period": i.target.period}
                                                     for i in fw.indicators if i.target is not None]}
        out["scorecard"] = {"available": True, "rows": clean(snap.scorecard(u.id))}
        out["index"] = _region_index(snap, unit_id, lang)
        return out

    return state.cache.get(("region", unit_id, lang, snap.as_of), compute)


def plan_tree(state: Any, lang: str, as_of: str | None = None) -> dict[str, Any]:
    store: Store = state.store
    snap = snapshot(state, as_of)
    fw: Framework = state.framework
    with store.engine.connect() as conn:
        progress: dict[str, list[dict[str, Any]]] = {}
        for r in conn.execute(select(progress_reports).where(progress_reports.c.framework_id == fw.plan.id)
                              .order_by(progress_reports.c.id)).mappings():
            progress.setdefault(r["item_id"], []).append(
                {"unit": r["unit_id"], "period": r["period"], "status": r["status"], "share_done": r["share_done"],
                 "narrative": r["narrative"], "revision": r["revision"], "reported_on": r["reported_on"]})
    resp: dict[str, list[dict[str, Any]]] = {}
    for rsp in fw.responsibilities:
        resp.setdefault(rsp.item, []).append({"unit": rsp.unit, "name": unit_name(fw, rsp.unit, lang),
                                              "role": rsp.role})
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for item in fw.items:
        nodes[item.id] = {
            "id": item.id, "kind": item.kind, "title": item.title_en if lang == "en" and item.title_en else item.title_zh,
            "parent": item.parent, "responsibilities": resp.get(item.id, []),
            "milestones": [{"id": m.id, "due": m.due, "kind": m.kind,
                            "text": m.text_en if lang == "en" and m.text_en else m.text_zh,
                            "to_be_filled": m.to_be_filled} for m in item.milestones],
            "progress": progress.get(item.id, []), "children": [],
        }
    for item in fw.items:
        node = nodes[item.id]
        if item.parent and item.parent in nodes:
            nodes[item.parent]["children"].append(node)
        else:
            roots.append(node)
    sup = {"available": True, "as_of": snap.as_of.day.isoformat(), "rows": clean(snap.supervision)}
    return {"items": roots, "supervision": sup}
