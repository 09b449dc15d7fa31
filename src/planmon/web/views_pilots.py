"""Data of the pilot and project pages (the templates and the JSON twins show the same dicts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from planmon.geo.tilegrid import TILES
from planmon.pilots import counts, ensure_registry, get_pilot, history, list_pilots, programmes, targets
from planmon.pilots.areas import area_name, province_of
from planmon.pilots.evaluation import Evaluation, evaluate_programme
from planmon.projects.review import queue
from planmon.projects.text import highlight


def _evaluation(state: Any, programme: str) -> Evaluation:
    """The programme's evaluation, computed once per data version (every write is audited and moves it)."""
    store = state.store
    today = date.today()
    return state.cache.get(("pilots-eval", programme, today.isoformat()),
                           lambda: evaluate_programme(store, programme, today, n=200))


def index(state: Any, lang: str) -> dict[str, Any]:
    ensure_registry(state.store)
    progs = programmes(state.store)
    n = counts(state.store)
    plist = list_pilots(state.store)
    by_prov: dict[str, list[dict[str, Any]]] = {}
    for p in plist:
        by_prov.setdefault(province_of(p["area_code"]) or "", []).append(p)
    most = max((len(v) for k, v in by_prov.items() if k), default=1)
    tiles = [{"code": t.code, "name": t.short_zh if lang != "en" else t.name_en, "row": t.row, "col": t.col,
              "count": len(by_prov.get(t.code, [])), "share": len(by_prov.get(t.code, [])) / most} for t in TILES]
    names = {t.code: (t.short_zh if lang != "en" else t.name_en) for t in TILES}
    areas = [{"province": code, "name": names.get(code, "") if code else "",
              "pilots": [{"id": p["id"], "unit_name": p["unit_name"], "programme": p["programme_id"],
                          "state": p["state"], "illustrative": p["illustrative"]} for p in ps]}
             for code, ps in sorted(by_prov.items(), key=lambda kv: (kv[0] == "", kv[0]))]
    return {
        "programmes": [{"id": p.id, "name": p.name(lang), "departments": list(p.departments), "document_no": p.document_no,
                        "term_years": p.term_years, "counts": n.get(p.id, {}), "total": sum(n.get(p.id, {}).values())}
                       for p in progs.values()],
        "map": {"tiles": tiles}, "areas": areas, "pilot_total": len(plist),
    }


def programme(state: Any, programme_id: str, lang: str) -> dict[str, Any]:
    ensure_registry(state.store)
    progs = programmes(state.store)
    if programme_id not in progs:
        raise KeyError(programme_id)
    prog = progs[programme_id]
    ev = _evaluation(state, programme_id)
    scores = {r["pilot"]: r for r in ev.scores.to_dict("records")}
    flags: dict[str, list[dict[str, Any]]] = {}
    for c in ev.candidates:
        flags.setdefault(c.pilot, []).append(c.to_dict())
    prog_by: dict[str, list[dict[str, Any]]] = {}
    for r in ev.assessments.to_dict("records"):
        prog_by.setdefault(str(r["unit"]), []).append({str(k): v for k, v in r.items()})
    rows = []
    for p in list_pilots(state.store, programme_id):
        s = scores.get(p["id"])
        a = prog_by.get(p["id"], [])
        shares = [float(x["progress_share"]) for x in a if x.get("progress_share") == x.get("progress_share")
                  and x.get("progress_share") is not None]
        rows.append({**{k: p[k] for k in ("id", "unit_name", "area_code", "level", "batch", "start", "end", "state",
                                           "state_since", "budget", "illustrative", "partial")},
                     "score": None if s is None else round(float(s["score"]), 1),
                     "rank": None if s is None else int(s["rank"]),
                     "rank_q05": None if s is None else int(s["rank_q05"]),
                     "rank_q95": None if s is None else int(s["rank_q95"]),
                     "progress": round(sum(shares) / len(shares), 3) if shares else None,
                     "lagging": sum(1 for x in a if x.get("status") == "lagging"), "indicators": len(a),
                     "flags": flags.get(p["id"], [])})
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["id"]))
    names = {r["id"]: r["unit_name"] for r in rows}
    return {
        "programme": {"id": prog.id, "name": prog.name(lang), "name_zh": prog.name_zh, "name_en": prog.name_en,
                      "departments": list(prog.departments), "document": prog.document, "document_no": prog.document_no,
                      "batches": list(prog.batches), "term_years": prog.term_years, "term_note": prog.term_note,
                      "funding": prog.funding, "states": list(prog.states), "exit_rule": prog.exit_rule,
                      "indicators": [vars(i) for i in prog.indicators], "inferred": list(prog.inferred),
                      "illustrative_evaluation": prog.illustrative_evaluation},
        "evaluation": {"as_of": ev.as_of, "illustrative": ev.illustrative, "notes": ev.notes},
        "pilots": rows,
        "exit_candidates": [{**c.to_dict(), "unit_name": names.get(c.pilot, c.pilot)} for c in ev.candidates],
    }


def pilot(state: Any, pilot_id: str, lang: str) -> dict[str, Any]:
    ensure_registry(state.store)
    rec = get_pilot(state.store, pilot_id)
    prog = programmes(state.store)[rec["programme_id"]]
    ev = _evaluation(state, prog.id)
    a = ev.assessments
    mine = a[a["unit"] == pilot_id] if len(a) else a
    names = {i.id: i.name_en if lang == "en" else i.name_zh for i in prog.indicators}
    rows = [{"indicator": r["indicator"], "name": names.get(r["indicator"], r["indicator"]),
             "baseline": r.get("baseline"), "target": r.get("target"), "target_period": r.get("target_period"),
             "latest": r.get("latest"), "latest_period": r.get("latest_period"),
             "progress_share": r.get("progress_share"), "time_share": r.get("time_share"), "status": r.get("status"),
             "status_label": r.get("status_en" if lang == "en" else "status_zh")}
            for r in mine.to_dict("records")]
    score = next((r for r in ev.scores.to_dict("records") if r["pilot"] == pilot_id), None)
    hist = history(state.store, pilot_id)
    return {
        "pilot": {**rec, "area_name": area_name(rec["area_code"]), "programme_name": prog.name(lang)},
        "score": score, "evaluated_period": ev.as_of, "assessments": rows,
        "targets": [t for t in targets(state.store, prog.id) if t["pilot_id"] == pilot_id],
        "flags": [c.to_dict() for c in ev.candidates if c.pilot == pilot_id],
        "decisions": hist["decisions"], "revisions": len(hist["revisions"]),
        "next_states": [s for s in prog.states if s in _next(rec["state"])],
        "notes": ev.notes if rec["illustrative"] else [],
    }


def _next(state: str) -> tuple[str, ...]:
    from planmon.pilots.model import TRANSITIONS

    return TRANSITIONS.get(state, ())


def duplicates(state: Any, lang: str) -> dict[str, Any]:
    state.store.migrate()
    out: dict[str, list[dict[str, Any]]] = {"open": [], "decided": []}
    for r in queue(state.store, None):
        phrases = r["reasons"].get("phrases", [])
        item = {**r, "reason_texts": [x["en" if lang == "en" else "zh"] for x in r["reasons"].get("reasons", [])],
                "a_name": highlight(r["a"].get("name") or "", phrases),
                "b_name": highlight(r["b"].get("name") or "", phrases),
                "a_text": highlight(r["a"].get("description") or "", phrases),
                "b_text": highlight(r["b"].get("description") or "", phrases)}
        out["open" if r["state"] == "open" else "decided"].append(item)
    return out
