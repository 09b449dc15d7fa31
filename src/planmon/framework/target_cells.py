"""The target as a plan's indicator table prints it, in the workbook's 目标值 / 年均增长或累计 / 目标形式 cells.

Plans print a level (65), a bound (``< 5.5``, ``> 6.5``), a relation (高于GDP增长, 与GDP增长基本同步), words
(保持在合理区间、各年度视情提出) in the target column, and an annual-average growth (``> 7``) or a change over
the period in brackets (〔13.5〕) in the growth-or-cumulative column. :func:`read_cells` turns the cells into
the framework's ``target_form`` and ``target_rule`` (framework.md, "Target forms"); :func:`write_cells` prints
them back, so that a workbook round trip gives the same framework. Kept apart from the workbook reader, which
only places cells and reports where a problem is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from planmon.spreadsheet import cell_number

#: 目标形式 column: the words an office picks (drop-down) → ``Indicator.target_form``.
TARGET_FORMS = {"水平值": "level", "年均增长": "annual_growth", "累计变化": "cumulative_change", "底线/上限": "bound",
                "相对目标": "relative", "定性目标": "qualitative"}
FORM_WORDS = {v: k for k, v in TARGET_FORMS.items()}

_EMPTY = {"", "—", "－", "-", "--", "——", "/"}
_CMP = {">": ">", "＞": ">", "≥": "≥", ">=": "≥", "≧": "≥", "<": "<", "＜": "<", "≤": "≤", "<=": "≤", "≦": "≤"}
_NUM = r"([+-]?\d+(?:\.\d+)?)"
_CMP_RE = r"(>=|<=|≥|≤|≧|≦|>|<|＞|＜)?"
_COMPARED = re.compile(rf"^{_CMP_RE}\s*{_NUM}\s*%?$")
_BRACKET = re.compile(rf"^[〔\[［(（]\s*{_CMP_RE}\s*{_NUM}\s*%?\s*[〕\]］)）]$")
_ABOVE = re.compile(r"^高于(.+?)增长$")
_IN_STEP = re.compile(r"^与(.+?)增长(?:基本)?同步(?:[（(]\s*[±+]?\s*(\d+(?:\.\d+)?)\s*(?:个百分点|百分点)?\s*[）)])?$")

Problem = tuple[str, str, str, str]  # (column: "target" | "growth" | "form", code, zh, en)


@dataclass
class Cells:
    """What the three cells say: the form, a level target value, the rule's fields, the other indicator's name."""

    form: str | None = None
    level: float | None = None
    rule: dict[str, Any] = field(default_factory=dict)
    reference: str | None = None
    problems: list[Problem] = field(default_factory=list)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() in _EMPTY)


def read_cells(target: Any, growth: Any, form: str | None) -> Cells:
    """The form and rule that the 目标值 (``target``), 年均增长或累计 (``growth``) and 目标形式 (``form``, a
    ``target_form`` code or None) cells state; problems name the column and say why in zh and en."""
    out = Cells()
    t_blank, g_blank = _blank(target), _blank(growth)
    t_num = None if t_blank else cell_number(target)
    t_text = "" if t_blank or t_num is not None else str(target).strip()
    g_text = "" if g_blank else (f"{growth:g}" if isinstance(growth, int | float) else str(growth).strip())

    inferred: str | None = None
    if g_text:
        inferred = "cumulative_change" if _BRACKET.match(g_text) else "annual_growth"
        if t_num is not None or t_text:
            out.level = t_num
            out.problems.append(("growth", "target_form_ambiguous",
                                 "“目标值”与“年均增长或累计”只能填一个（规划表中二者不会同时给出目标）",
                                 "fill either 目标值 or 年均增长或累计, not both (a plan gives its target in one of them)"))
            return out
    elif t_num is not None:
        inferred = "level"
    elif t_text:
        if t_text[0] in "<>≤≥≦≧＜＞":  # a comparator first: a bound (read, or refused, below)
            inferred = "bound"
        elif _ABOVE.match(t_text) or _IN_STEP.match(t_text):
            inferred = "relative"
        else:
            inferred = "qualitative"
    chosen = form or inferred
    if form is not None and inferred is not None and form != inferred:
        out.problems.append(("form", "target_form_mismatch",
                             f"目标形式“{FORM_WORDS.get(form, form)}”与所填目标（{FORM_WORDS.get(inferred, inferred)}）不符",
                             f"target form '{form}' does not match the target written ({inferred})"))
        return out
    out.form = chosen
    if chosen is None or chosen == "level":
        out.level = t_num
        return out
    if chosen in ("annual_growth", "cumulative_change"):
        _growth_cell(out, g_text, chosen)
    elif chosen == "bound":
        m = _COMPARED.match(t_text)
        if not m or not m.group(1):
            out.problems.append(("target", "bad_bound", f"底线/上限应写成“< 5.5”或“> 6.5”，却是“{t_text}”",
                                 f"a bound is written '< 5.5' or '> 6.5', found '{t_text}'"))
        else:
            out.rule.update(comparator=_CMP[m.group(1)], value=float(m.group(2)))
    elif chosen == "relative":
        _relative_cell(out, t_text)
    elif chosen == "qualitative":
        if not t_text:
            out.problems.append(("target", "empty_required", "定性目标应在“目标值”中写规划原文（如“保持在合理区间”）",
                                 "a qualitative target writes the plan's words in 目标值"))
        out.rule["text_zh"] = t_text
    return out


def _growth_cell(out: Cells, text: str, form: str) -> None:
    if not text:
        out.problems.append(("growth", "empty_required", "“年均增长或累计”为空：年均增长写“> 7”，累计变化写“〔13.5〕”",
                             "年均增长或累计 is empty: write '> 7' for an annual growth, '〔13.5〕' for a cumulative change"))
        return
    m = _BRACKET.match(text) if form == "cumulative_change" else _COMPARED.match(text)
    if not m:
        want = "〔13.5〕" if form == "cumulative_change" else "> 7"
        out.problems.append(("growth", "bad_growth", f"应写成“{want}”，却是“{text}”",
                             f"expected the form '{want}', found '{text}'"))
        return
    if m.group(1):
        out.rule["comparator"] = _CMP[m.group(1)]
    value = float(m.group(2))
    if form == "cumulative_change" and value < 0:
        out.problems.append(("growth", "bad_growth", f"累计变化写正数（降低由“方向”表示），却是“{text}”",
                             f"a cumulative change is written positive (a fall is the direction), found '{text}'"))
        return
    out.rule["value"] = value


def _relative_cell(out: Cells, text: str) -> None:
    above, step = _ABOVE.match(text), _IN_STEP.match(text)
    if above:
        out.rule["relation"] = "above"
        out.reference = above.group(1).strip()
    elif step:
        out.rule["relation"] = "in_step"
        out.reference = step.group(1).strip()
        if step.group(2):
            out.rule["tolerance"] = float(step.group(2))
    else:
        out.problems.append(("target", "bad_relative", f"相对目标应写成“高于GDP增长”或“与GDP增长基本同步（±0.5）”，却是“{text}”",
                             f"a relative target is written '高于GDP增长' or '与GDP增长基本同步（±0.5）', found '{text}'"))


def resolve_reference(name: str, indicators: list[tuple[str, str]]) -> tuple[str | None, list[str]]:
    """The id of the indicator that "高于<name>增长" means: its id, its name (with or without 增长), or
    the one indicator whose name contains it. Returns (id or None, the candidates when ambiguous)."""
    for ind_id, _nm in indicators:
        if ind_id == name:
            return ind_id, []
    exact = [i for i, nm in indicators if nm in (name, f"{name}增长")]
    if len(exact) == 1:
        return exact[0], []
    within = [i for i, nm in indicators if name and name in nm]
    if len(within) == 1:
        return within[0], []
    # "高于GDP增长": of the names containing GDP, the one of a growth (国内生产总值（GDP）增长, not 单位GDP能源消耗降低)
    growth = [i for i, nm in indicators if name and name in nm and nm.endswith("增长")]
    if len(growth) == 1:
        return growth[0], []
    return None, exact or growth or within


def write_cells(ind: dict[str, Any], names: dict[str, str]) -> tuple[Any, Any, str | None, dict[str, Any]]:
    """(目标值, 年均增长或累计, 目标形式, the rule's fields the cells do not show) of an indicator record."""
    form = ind.get("target_form", "level")
    target = ind.get("target") or {}
    if form == "level":
        return target.get("value"), None, None, {}
    rule = dict(ind.get("target_rule") or {})
    op = rule.pop("comparator", None) or ""
    value = rule.pop("value", None)
    num = f"{value:g}" if isinstance(value, int | float) else ""
    t_cell: Any = None
    g_cell: Any = None
    if form == "annual_growth":
        g_cell = f"{op} {num}".strip()
    elif form == "cumulative_change":
        g_cell = f"〔{op}{num}〕"
    elif form == "bound":
        t_cell = f"{op} {num}".strip()
    elif form == "relative":
        ref_id = str(rule.get("relative_to", ""))
        ref = names.get(ref_id, ref_id)
        ref = ref[:-2] if ref.endswith("增长") and len(ref) > 2 else ref
        relation = rule.pop("relation", None)
        if relation == "in_step":
            tol = rule.pop("tolerance", None)
            t_cell = f"与{ref}增长基本同步" + (f"（±{tol:g}）" if isinstance(tol, int | float) else "")
        else:
            t_cell = f"高于{ref}增长"
    elif form == "qualitative":
        t_cell = rule.pop("text_zh", "")
    return t_cell, g_cell, FORM_WORDS[form], rule


def describe_target(ind: Any, names: dict[str, str], lang: str = "zh") -> str:
    """A non-level target in words for a page or a report (zh as the plan prints it); "" for a level target.

    ``ind`` is a framework :class:`~planmon.framework.model.Indicator`; ``names`` maps indicator ids to their
    names in ``lang`` (the other indicator of a relative target).
    """
    form, rule = ind.target_form, ind.target_rule
    if form == "level" or rule is None:
        return ""
    if lang != "en":
        t_cell, g_cell, _w, _r = write_cells(ind.model_dump(mode="json"), names)
        text = str(g_cell if g_cell is not None else t_cell)
        if form == "annual_growth":
            return f"年均增长 {text}%"
        if form == "cumulative_change":
            return f"累计{'提高' if ind.sign > 0 else '降低'}{text}" + ("%" if ind.change_unit == "percent" else "")
        return text + ("（每年）" if form == "bound" else "")
    op = rule.comparator or ("≥" if form == "annual_growth" else "")
    value = f"{rule.value:g}" if rule.value is not None else ""
    if form == "annual_growth":
        return f"average annual growth {op} {value}%"
    if form == "cumulative_change":
        unit = "%" if ind.change_unit == "percent" else f" {ind.unit_en or ind.unit}"
        return f"cumulative {'rise' if ind.sign > 0 else 'fall'} of {op}{value}{unit} over the plan period"
    if form == "bound":
        return f"{op} {value} every year"
    if form == "relative":
        ref = names.get(str(rule.relative_to), str(rule.relative_to))
        if rule.relation == "in_step":
            return f"growth in step with {ref} (±{rule.tolerance:g} points)"
        return f"growth above {ref}"
    return rule.text_en or rule.text_zh


def describe_rebased(ind: Any, lang: str = "zh") -> str:
    """"re-based to 63.89 (2020): reason; printed 60.6 (2020)" for a page or a report; "" without a re-base."""
    r = ind.rebased
    if r is None:
        return ""
    printed = f"{ind.baseline.value:g}（{ind.baseline.period}）" if ind.baseline else "—"
    if lang == "en":
        printed_en = f"{ind.baseline.value:g} ({ind.baseline.period})" if ind.baseline else "—"
        return f"re-based to {r.value:g} ({r.period}): {r.reason_en or r.reason_zh}; printed in the plan {printed_en}"
    return f"按新口径调整为 {r.value:g}（{r.period}）：{r.reason_zh}；规划印发的基期值 {printed}"
