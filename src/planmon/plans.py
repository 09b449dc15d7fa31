"""Which plan: the current one for a date, the previous one, the plans a database holds.

Successive plans (the 14th, then the 15th Five-Year period) live side by side in one store.
The CLI (``--plan``) and the web (the plan switcher) default to the plan whose period contains
today; a final evaluation defaults to the latest plan whose period has ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planmon.framework.loader import builtin_names, load_framework
from planmon.framework.model import Framework


@dataclass(frozen=True)
class PlanRef:
    id: str
    title_zh: str
    title_en: str
    start: int
    end: int
    predecessor: str = ""

    def contains(self, day: date) -> bool:
        return self.start <= day.year <= self.end


def plan_ref(fw: Framework) -> PlanRef:
    return PlanRef(fw.plan.id, fw.plan.title_zh, fw.plan.title_en, int(fw.plan.period_start[:4]),
                   int(fw.plan.period_end[:4]), fw.plan.predecessor)


def current_plan(plans: list[PlanRef], day: date | None = None) -> PlanRef | None:
    """The plan whose period contains ``day`` (the latest-starting if several), else the latest one."""
    if not plans:
        return None
    day = day or date.today()
    live = [p for p in plans if p.contains(day)]
    pool = live or [p for p in plans if p.start <= day.year] or plans
    return max(pool, key=lambda p: (p.start, p.end))


def last_ended_plan(plans: list[PlanRef], day: date | None = None) -> PlanRef | None:
    """The latest plan whose period ended before ``day`` (the one a final evaluation is about)."""
    day = day or date.today()
    ended = [p for p in plans if p.end < day.year]
    return max(ended, key=lambda p: p.end) if ended else None


def previous_plan(plans: list[PlanRef], plan: PlanRef) -> PlanRef | None:
    if plan.predecessor:
        return next((p for p in plans if p.id == plan.predecessor), None)
    before = [p for p in plans if p.end < plan.start]
    return max(before, key=lambda p: p.end) if before else None


@dataclass(frozen=True)
class BuiltinPlan:
    """A plan shipped with planmon (``planmon framework list``): what ``--plan`` and ``init --framework`` accept."""

    ref: PlanRef
    main_indicators: int
    to_be_filled: int
    observations: int


def builtin_plans() -> list[BuiltinPlan]:
    """Every built-in plan, in period order (the 14th informatization plan, the 14th outline, the 15th …)."""
    out = []
    for name in builtin_names():
        fw = load_framework(name)
        main = fw.main_indicators()
        out.append(BuiltinPlan(plan_ref(fw), len(main), sum(1 for x in main if x.to_be_filled), len(fw.observations)))
    return sorted(out, key=lambda b: (b.ref.start, b.ref.end, b.ref.id))
