"""One statistical series in two plans of the same period: ``same_series: <plan>/<indicator>``.

The 14th FYP outline's 数字经济核心产业增加值占GDP比重 (O06) is the informatization plan's I09: one
series, published once by the NBS. Its values are kept once, in the plan that holds them (I09's
``observations.yaml``), and :func:`with_same_series` reads them into the linking plan when it loads, so the
two plans can never show different numbers for the same year. A value the linking plan records itself
for the same unit and period must be equal to the linked one; a different value refuses the framework
(both values and both sources named), since it would mean two versions of one published figure.

Only built-in plans are followed (a link names a plan, not a path), one step deep.
"""

from __future__ import annotations

from collections.abc import Callable

from planmon.framework.build import framework_hash
from planmon.framework.issues import FrameworkInvalid, FrameworkIssue
from planmon.framework.model import Framework, Observation

Loader = Callable[[str], Framework]


def _split(ref: str) -> tuple[str, str]:
    plan, _, indicator = ref.partition("/")
    return plan, indicator


def linked_observations(fw: Framework, load: Loader) -> tuple[list[Observation], list[FrameworkIssue]]:
    """The observations the framework's ``same_series`` links bring in, relabelled to the linking indicator.

    ``load`` returns a built-in framework by id (the loader passes itself without link resolution).
    """
    out: list[Observation] = []
    issues: list[FrameworkIssue] = []
    own = {(o.indicator, o.unit, o.period): o for o in fw.observations}
    cache: dict[str, Framework] = {}
    for n, ind in enumerate(fw.indicators):
        if not ind.same_series:
            continue
        plan_id, other_id = _split(ind.same_series)
        where = f"indicators[{n}].same_series"
        try:
            other = cache[plan_id] if plan_id in cache else cache.setdefault(plan_id, load(plan_id))
            target = other.indicator(other_id)
        except (FrameworkInvalid, KeyError):
            issues.append(FrameworkIssue(
                fw.plan.id, where, "unknown_same_series",
                f"同一序列“{ind.same_series}”找不到：须为内置规划的指标（规划/指标）",
                f"same series '{ind.same_series}' not found: it must name an indicator of a built-in plan "
                "(<plan>/<indicator>)"))
            continue
        if target.unit != ind.unit:
            issues.append(FrameworkIssue(
                fw.plan.id, where, "same_series_unit",
                f"同一序列的单位不同：{ind.id} 为“{ind.unit}”，{ind.same_series} 为“{target.unit}”",
                f"the same series has two units: {ind.id} in '{ind.unit}', {ind.same_series} in '{target.unit}'"))
            continue
        for o in other.observations:
            if o.indicator != other_id or o.proxy:
                continue
            mine = own.get((ind.id, o.unit, o.period))
            if mine is not None:
                if mine.value != o.value:
                    issues.append(FrameworkIssue(
                        fw.plan.id, f"observations[{ind.id}/{o.unit}/{o.period}]", "same_series_conflict",
                        f"{ind.id} 在 {o.period} 记为 {mine.value:g}（{mine.source}），同一序列 {ind.same_series} 记为 "
                        f"{o.value:g}（{o.source}）：同一发布数值不能有两个版本",
                        f"{ind.id} holds {mine.value:g} for {o.period} ({mine.source}) but the same series "
                        f"{ind.same_series} holds {o.value:g} ({o.source}): one published figure cannot have two "
                        "versions"))
                continue
            note = f"同一序列 same series: {ind.same_series}" + (f"; {o.note}" if o.note else "")
            out.append(o.model_copy(update={"indicator": ind.id, "note": note}))
    return out, issues


def with_same_series(fw: Framework, load: Loader) -> Framework:
    """The framework with its linked series' values read in; refuses it when a link is broken or conflicts."""
    if not any(ind.same_series for ind in fw.indicators):
        return fw
    extra, issues = linked_observations(fw, load)
    if issues:
        raise FrameworkInvalid(issues)
    fw.observations = [*fw.observations, *extra]
    fw.content_hash = framework_hash(fw)
    return fw


__all__ = ["linked_observations", "with_same_series"]
