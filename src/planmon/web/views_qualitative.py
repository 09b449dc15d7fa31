"""The qualitative-target block of the indicator page and of its JSON twin (issue 19).

Only for an indicator whose target is qualitative: the plan's words, the office's current status
(with evidence, document, who and when), every revision, and the choices of the entry form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planmon.framework import Framework
from planmon.jsonsafe import jsonable as clean
from planmon.monitor.qualitative import QUALITATIVE, current_statuses, status_history, target_form
from planmon.monitor.schemes import STATUS_LABELS, STATUS_ORDER
from planmon.periods import Period
from planmon.store import Store

SCHEME = "ndrc"


def _records(df: Any, lang: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = clean(df)
    for r in rows:
        r["status_label"] = r["status_en"] if lang == "en" else r["status_zh"]
        r["evidence"] = (r["evidence_en"] or r["evidence_zh"]) if lang == "en" else r["evidence_zh"]
    return rows


def block(store: Store, fw: Framework, indicator: Any, lang: str) -> dict[str, Any] | None:
    """What the page shows of a qualitative indicator; None for every other form."""
    if target_form(indicator) != QUALITATIVE:
        return None
    rule = getattr(indicator, "target_rule", None)
    words = ((rule.text_en or rule.text_zh) if lang == "en" else rule.text_zh) if rule is not None else ""
    current = _records(current_statuses(store, fw.plan.id, indicator=indicator.id, scheme=SCHEME), lang)
    history = _records(status_history(store, fw.plan.id, indicator=indicator.id, scheme=SCHEME), lang)
    national = [r for r in current if r["unit"] == "CN"]
    start, end = Period.parse(fw.plan.period_start).year, Period.parse(fw.plan.period_end).year
    return {
        "form": QUALITATIVE, "plan_words": words, "scheme": SCHEME,
        "current": national[-1] if national else None,  # the latest period's entry (periods sort as years)
        "entries": current, "history": list(reversed(history)),
        "statuses": [{"code": c, "label": STATUS_LABELS[SCHEME][c][1 if lang == "en" else 0]}
                     for c in STATUS_ORDER[SCHEME]],
        "periods": [str(y) for y in range(end, start - 1, -1)],
        # the last year ended (the one an evaluation usually speaks for), within the plan period
        "default_period": str(min(end, max(start, date.today().year - 1))),
    }
