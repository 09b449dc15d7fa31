"""The unit scorecard (单位考评表): how well each responsible unit carries out its share.

For each unit, as of a date:

- reporting: for every task, key project and priority action the unit leads and every
  period of the reporting cycle already due (from the cycle's first period), whether a
  report came in on time (its first revision made by the due date), late, or not at
  all; ``on_time_rate`` = on time / owed. Once the unit reports an item ``done`` it owes
  no later periods for it.
- milestones of the items it leads that were due before the date: met on time, met
  late, still open; ``milestones_on_time_rate`` = met on time / due.
- ``items_delayed``: items whose latest report by the unit says 滞后.
- the indicators linked to the items it leads, with their monitoring status where the
  unit is assessed (its own region, or the nation for a department); empty, with a
  note, when the monitoring module is not installed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from planmon.framework import BUILTIN_DEFAULT
from planmon.i18n import Message
from planmon.periods import Period
from planmon.store import Store
from planmon.supervise.progress import ReportingCycle, report_rows
from planmon.supervise.supervision import MONITOR_OFF, Context, load_context, monitor_assessments

COLUMNS = ["unit", "unit_name_zh", "unit_name_en", "items_led", "reports_owed", "reports_on_time", "reports_late",
           "reports_missing", "on_time_rate", "milestones_due", "milestones_met_on_time", "milestones_met_late",
           "milestones_open", "milestones_on_time_rate", "items_delayed", "indicators_led", "indicators_lagging",
           "indicators_at_risk", "indicator_status"]


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def _first_reports(revisions: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    """(item, unit, period) → the date its first revision was made."""
    if revisions.empty:
        return {}
    return {(str(k[0]), str(k[1]), str(k[2])): str(v) for k, v in  # type: ignore[index]
            revisions.groupby(["item", "unit", "period"]).reported_on.min().items()}


def _done_periods(rep: pd.DataFrame) -> dict[tuple[str, str], Period]:
    """(item, unit) → the first period reported done (nothing is owed after it)."""
    done: dict[tuple[str, str], Period] = {}
    if not rep.empty:
        for r in rep[rep.status == "done"].itertuples():
            key = (str(r.item), str(r.unit))
            p = Period.parse(str(r.period))
            done[key] = min(done.get(key, p), p)
    return done


def _statuses(assessed: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """(indicator, unit) → ndrc status, ``at_risk`` when not lagging nor achieved but projected short."""
    status_of: dict[tuple[str, str], str] = {}
    if assessed is not None and {"indicator", "unit", "status"} <= set(assessed.columns):
        for a in assessed.to_dict("records"):
            proj = a.get("projected_share")
            risky = a["status"] not in ("lagging", "achieved") and proj is not None and not pd.isna(proj) and proj < 1
            status_of[(str(a["indicator"]), str(a["unit"]))] = "at_risk" if risky else str(a["status"])
    return status_of


def _reporting(ctx: Context, u: str, led: list[str], owed_periods: list[Period],
               first_on: dict[tuple[str, str, str], str], done: dict[tuple[str, str], Period]) -> tuple[int, int, int]:
    """(on time, late, missing) reports of unit ``u`` on the items it leads."""
    on_time = late = missing = 0
    for item in led:
        stop = done.get((item, u))
        for p in owed_periods:
            if stop is not None and p > stop:
                continue
            first = first_on.get((item, u, str(p)))
            if first is None:
                missing += 1
            elif date.fromisoformat(first) <= ctx.cycle.due(p):
                on_time += 1
            else:
                late += 1
    return on_time, late, missing


def _milestones(ctx: Context, led: list[str], as_of: date) -> tuple[int, int, int]:
    """(met on time, met late, open) milestones due before ``as_of`` of the items led."""
    on = late = still = 0
    for m in ctx.milestones:
        if m["item_id"] not in led or date.fromisoformat(m["due"]) >= as_of:
            continue
        met = ctx.milestone_met(m)
        if met is None:
            still += 1
        elif met <= m["due"]:
            on += 1
        else:
            late += 1
    return on, late, still


def _delayed(rep: pd.DataFrame, u: str, leading: set[str]) -> int:
    """Items whose latest report by ``u`` says delayed."""
    if rep.empty:
        return 0
    mine = rep[(rep.unit == u) & rep.item.isin(list(leading))].copy()
    if mine.empty:
        return 0
    mine["ptime"] = mine.period.map(Period.parse)
    latest = mine.sort_values("ptime").groupby("item").tail(1)
    return int((latest.status == "delayed").sum())


def scorecard(store: Store, as_of: date, unit: str | None = None, framework_id: str = BUILTIN_DEFAULT,
              cycle: ReportingCycle | None = None, monitoring: bool = True,
              assessed: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit with a responsibility (or only ``unit``); ``attrs["notes"]`` holds notes.

    ``assessed``: the monitoring assessments to use (a snapshot's); None: assessed here."""
    with store.engine.connect() as conn:
        ctx = load_context(conn, framework_id, as_of, cycle)
        revisions = report_rows(conn, framework_id, as_of)
    if unit is not None and unit not in ctx.units:
        raise KeyError(f"unknown unit '{unit}'")
    owed_periods = ctx.cycle.owed(as_of, ctx.plan_start, ctx.plan_end)
    first_on, rep = _first_reports(revisions), ctx.reports
    done_period = _done_periods(rep)
    why: Message | None = None
    if not monitoring:
        assessed, why = None, MONITOR_OFF
    elif assessed is None:
        assessed, why = monitor_assessments(store, framework_id, as_of)
    indicators = store.framework(framework_id).indicators if assessed is not None else []
    status_of = _statuses(assessed)
    div = ctx.division
    wanted = [unit] if unit is not None else sorted(set(div.unit), key=lambda u: (ctx.units.get(u, {}).get("kind", ""), u))
    leading = set(ctx.leading_items())
    rows: list[dict[str, Any]] = []
    for u in wanted:
        mine_led = set(div.loc[(div.unit == u) & (div.role == "lead"), "item"])
        led = [i for i in ctx.leading_items() if i in mine_led]
        on_time, late, missing = _reporting(ctx, u, led, owed_periods, first_on, done_period)
        ms_on, ms_late, ms_open = _milestones(ctx, led, as_of)
        where = u if ctx.units.get(u, {}).get("kind") == "region" else "CN"
        linked = sorted({x.id for x in indicators if set(x.items) & set(led)})
        ind_status = {i: status_of[(i, where)] for i in linked if (i, where) in status_of}
        owed = on_time + late + missing
        due_ms = ms_on + ms_late + ms_open
        known = assessed is not None
        rows.append({
            "unit": u, "unit_name_zh": ctx.units.get(u, {}).get("name_zh", u),
            "unit_name_en": ctx.units.get(u, {}).get("name_en", u), "items_led": len(led),
            "reports_owed": owed, "reports_on_time": on_time, "reports_late": late, "reports_missing": missing,
            "on_time_rate": _rate(on_time, owed), "milestones_due": due_ms, "milestones_met_on_time": ms_on,
            "milestones_met_late": ms_late, "milestones_open": ms_open,
            "milestones_on_time_rate": _rate(ms_on, due_ms), "items_delayed": _delayed(rep, u, leading),
            "indicators_led": len(linked) if known else None,
            "indicators_lagging": sum(s == "lagging" for s in ind_status.values()) if known else None,
            "indicators_at_risk": sum(s == "at_risk" for s in ind_status.values()) if known else None,
            "indicator_status": ind_status if known else None,
        })
    df = pd.DataFrame(rows, columns=COLUMNS)
    df.attrs["as_of"] = as_of.isoformat()
    df.attrs["periods_owed"] = [str(p) for p in owed_periods]
    df.attrs["notes"] = [{"zh": why.zh, "en": why.en}] if why else []
    return df
