"""The plans a database holds, side by side: the switcher, each plan's evaluation or first page.

A plan whose period has ended shows its final evaluation; a plan in its period shows its first
monitoring page (baselines inherited from the previous plan, confirmed targets, continuity
charts). Both come from the library (:mod:`planmon.evaluate`, :mod:`planmon.report.final`), so
the page, its JSON twin, the API and the report print the same figures.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planmon.plans import current_plan, previous_plan
from planmon.store import Store


def plans_list(store: Store, lang: str, today: date | None = None) -> dict[str, Any]:
    plans = store.plans()
    today = today or date.today()
    cur = current_plan(plans, today)
    return {
        "current": cur.id if cur else None,
        "plans": [{"id": p.id, "title": p.title_en if lang == "en" else p.title_zh, "period": f"{p.start}–{p.end}",
                   "ended": p.end < today.year, "current": cur is not None and p.id == cur.id,
                   "previous": (prev.id if (prev := previous_plan(plans, p)) else None)} for p in plans],
    }


def plan_view(store: Store, plan_id: str, lang: str, today: date | None = None) -> dict[str, Any]:
    """Data and rendered body of one plan's page (KeyError if the plan is not in the store)."""
    from planmon.evaluate import evaluate_final
    from planmon.report.final import build_document, build_start_document, render_body

    today = today or date.today()
    fw = store.framework(plan_id)
    listing = plans_list(store, lang, today)
    ended = int(fw.plan.period_end[:4]) < today.year
    if ended:
        from planmon.continuity import continuity_series

        ev = evaluate_final(store, plan_id)
        cont = [continuity_series(store, fid, ind.id).to_dict() for fid in store.framework_ids()
                for ind in store.framework(fid).indicators
                if ind.continues and ind.continues.split("/")[0] == plan_id]
        doc = build_document(ev, lang, continuity=cont)
        data: dict[str, Any] = {"kind": "final", "evaluation": ev.to_dict(lang)}
    else:
        doc = build_start_document(store, plan_id, lang)
        data = {"kind": "start"}
    me = next(p for p in listing["plans"] if p["id"] == plan_id)
    return {**listing, "plan": me, **data, "title": doc.title, "body": render_body(doc)}
