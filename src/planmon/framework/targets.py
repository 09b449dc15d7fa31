"""Checks of a unit's target or basis declaration against the framework: one rule set for YAML and imports.

A target row says, for one indicator × unit × target period, either a target value of the unit
(``own_plan``: its own plan's; ``decomposed``: assigned from above) or the basis it is compared
on when it has none (``national_target``, ``national_pace``, ``none``). The same findings refuse a
framework file on load and an Excel/CSV file on import.
"""

from __future__ import annotations

from typing import Final

from planmon.framework.model import Indicator
from planmon.periods import Period, PeriodError

TARGET_KINDS: Final = ("own_plan", "decomposed")
BASIS_KINDS: Final = ("national_target", "national_pace", "none")
ALL_KINDS: Final = TARGET_KINDS + BASIS_KINDS

#: Words for every basis, as the CLI, the report and the web say them (zh, en); see :func:`basis_words`.
BASIS_WORDS: Final[dict[str, tuple[str, str]]] = {
    "own_plan": ("本级规划目标", "own plan's target"),
    "decomposed": ("上级分解目标", "target decomposed from the national plan"),
    "national_pace": ("按全国目标增速推算", "derived at the national required pace"),
    "national_target": ("对标全国目标", "benchmarked on the national target"),
    "none": ("不设目标（仅看趋势）", "no target (trend only)"),
}


def basis_words(basis: str | None, lang: str = "zh", national: bool = False) -> str:
    """The basis in words; the nation's own plan reads 全国规划目标 rather than 本地区规划目标."""
    if basis is None:
        return ""
    if national and basis == "own_plan":
        return "全国规划目标" if lang == "zh" else "the national plan target"
    zh, en = BASIS_WORDS.get(basis, (basis, basis))
    return zh if lang == "zh" else en


Finding = tuple[str, str, str, str]  # field, code, zh, en


def target_findings(indicator: Indicator | None, indicator_id: str, unit: str, unit_ids: set[str], kind: str,
                    period: str | None, baseline_period: str | None = None) -> list[Finding]:
    """Everything wrong with one target row (not duplicates or scope: those need the whole file)."""
    out: list[Finding] = []
    if indicator is None:
        out.append(("indicator", "unknown_indicator", f"未知的指标“{indicator_id}”", f"unknown indicator '{indicator_id}'"))
    if unit not in unit_ids:
        out.append(("unit", "unknown_unit", f"未知的单位“{unit}”", f"unknown unit '{unit}'"))
    if kind not in ALL_KINDS:
        out.append(("kind", "unknown_kind", f"类型“{kind}”应为 {'、'.join(ALL_KINDS)} 之一",
                    f"kind '{kind}' must be one of {', '.join(ALL_KINDS)}"))
    if indicator is not None and kind == "national_target" and indicator.extensive:
        out.append(("kind", "national_target_extensive",
                    f"指标 {indicator.id}（{indicator.name_zh}）是总量指标，地区不能对标全国总量目标：请用 national_pace、"
                    "none 或本地区目标",
                    f"indicator {indicator.id} is extensive (a count or total): a unit's value can never be compared "
                    "with the national total; use national_pace, none or a target of the unit"))
    if indicator is None or period is None:
        return out
    try:
        p = Period.parse(period)
    except PeriodError as exc:
        out.append(("period", "bad_period", exc.message_zh, exc.message_en))
        return out
    if p.frequency != indicator.frequency:  # a target is for a whole period of the indicator (no partial year)
        out.append(("period", "period_frequency", f"期别 {period} 与指标频率（{indicator.frequency}）不符",
                    f"period {period} does not fit the indicator's frequency ({indicator.frequency})"))
    base = baseline_period or (indicator.baseline.period if indicator.baseline else None)
    if base is not None:
        try:
            if p <= Period.parse(base):
                out.append(("period", "target_before_baseline", f"目标期 {period} 不晚于基期 {base}",
                            f"target period {period} is not after the baseline period {base}"))
        except PeriodError as exc:
            out.append(("baseline_period", "bad_period", exc.message_zh, exc.message_en))
    return out
