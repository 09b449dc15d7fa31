"""One indicator across successive plans: ``continues: <plan>/<indicator>`` links.

The 15th period's core-industry share (target 12.5 % by 2030) continues the 14th plan's I09
(7.8 % in 2020, target 10 % by 2025). :func:`continuity_series` follows the links back from an
indicator and returns one series 2020–2030 — every plan's values, baselines and targets, each
tagged with its plan — for the chart and the API. :func:`inherited_baseline` gives the new plan's
baseline as the previous plan's final value, with its period, quality and source.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from planmon.framework.model import Framework, Indicator
from planmon.store import Store


@dataclass(frozen=True)
class Link:
    plan: str
    plan_title_zh: str
    plan_title_en: str
    period_start: str
    period_end: str
    indicator: str


@dataclass
class ContinuitySeries:
    plan: str
    indicator: str
    name_zh: str
    name_en: str
    unit: str
    links: list[Link]  # oldest plan first
    points: list[dict[str, Any]] = field(default_factory=list)  # actuals (and baselines), oldest first
    targets: list[dict[str, Any]] = field(default_factory=list)  # one per plan that sets one
    baseline: dict[str, Any] | None = None  # the newest plan's baseline, inherited if it declares none

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        years = [int(str(p["period"])[:4]) for p in self.points] + [int(t["period"][:4]) for t in self.targets]
        d["span"] = [min(years), max(years)] if years else None
        return d


def _split(ref: str) -> tuple[str, str]:
    plan, _, ind = ref.partition("/")
    return plan, ind


def chain(store: Store, plan_id: str, indicator_id: str) -> list[tuple[Framework, Indicator]]:
    """The indicator and its predecessors held in the store, oldest first."""
    out: list[tuple[Framework, Indicator]] = []
    seen: set[tuple[str, str]] = set()
    cur: tuple[str, str] | None = (plan_id, indicator_id)
    while cur is not None and cur not in seen:
        seen.add(cur)
        try:
            fw = store.framework(cur[0])
            ind = fw.indicator(cur[1])
        except KeyError:
            break
        out.append((fw, ind))
        cur = _split(ind.continues) if ind.continues else None
    return list(reversed(out))


def _national(fw: Framework) -> str:
    return next((u.id for u in fw.units if u.kind == "region" and u.level == "nation"), "CN")


def final_value(store: Store, fw: Framework, ind: Indicator) -> dict[str, Any] | None:
    """The latest national value within a plan's period (its end-of-period value), with provenance."""
    obs = store.current_observations(fw.plan.id, indicator=ind.id, unit=_national(fw))
    obs = obs[obs["period_time"] <= float(fw.plan.period_end[:4])]
    if obs.empty:
        return None
    r = obs.sort_values("period_time").iloc[-1]
    return {"plan": fw.plan.id, "indicator": ind.id, "period": str(r["period"]), "value": float(r["value"]),
            "quality": str(r["quality"]), "source": str(r["source"])}


def inherited_baseline(store: Store, plan_id: str, indicator_id: str) -> dict[str, Any] | None:
    """The indicator's baseline: its own if declared, else the previous plan's final value."""
    links = chain(store, plan_id, indicator_id)
    if not links:
        return None
    fw, ind = links[-1]
    if ind.baseline is not None:
        return {"plan": fw.plan.id, "indicator": ind.id, "period": ind.baseline.period, "value": ind.baseline.value,
                "quality": "quoted", "source": ind.source, "inherited": False}
    if len(links) < 2:
        return None
    pfw, pind = links[-2]
    fv = final_value(store, pfw, pind)
    return {**fv, "inherited": True} if fv else None


def continuity_series(store: Store, plan_id: str, indicator_id: str) -> ContinuitySeries:
    links = chain(store, plan_id, indicator_id)
    if not links:
        raise KeyError(f"indicator '{indicator_id}' of plan '{plan_id}' is not in the store")
    _fw_new, ind_new = links[-1]
    series = ContinuitySeries(
        plan=plan_id, indicator=indicator_id, name_zh=ind_new.name_zh, name_en=ind_new.name_en,
        unit=ind_new.unit,
        links=[Link(fw.plan.id, fw.plan.title_zh, fw.plan.title_en, fw.plan.period_start, fw.plan.period_end, ind.id)
               for fw, ind in links],
    )
    seen: set[str] = set()
    for fw, ind in links:
        nation = _national(fw)
        if ind.baseline is not None and ind.baseline.period not in seen:
            series.points.append({"period": ind.baseline.period, "value": ind.baseline.value, "quality": "quoted",
                                  "source": ind.source, "plan": fw.plan.id, "indicator": ind.id, "kind": "baseline"})
            seen.add(ind.baseline.period)
        obs = store.current_observations(fw.plan.id, indicator=ind.id, unit=nation)
        for r in obs.sort_values("period_time").to_dict("records"):
            if r["period"] in seen or r.get("proxy"):
                continue
            seen.add(str(r["period"]))
            series.points.append({"period": str(r["period"]), "value": float(r["value"]), "quality": r["quality"],
                                  "source": r["source"], "plan": fw.plan.id, "indicator": ind.id, "kind": "actual"})
        if ind.target is not None:
            series.targets.append({"plan": fw.plan.id, "plan_title_zh": fw.plan.title_zh,
                                   "plan_title_en": fw.plan.title_en, "indicator": ind.id,
                                   "period": ind.target.period, "value": ind.target.value,
                                   "source": ind.target_source or fw.plan.source})
    from planmon.periods import Period

    series.points.sort(key=lambda p: Period.parse(p["period"]).time)
    series.baseline = inherited_baseline(store, plan_id, indicator_id)
    return series
