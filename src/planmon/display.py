"""Rich display in a notebook: the compact summary card of each object an analyst holds.

Why a module of its own: the framework, an index run, a comparison of two runs, rank intervals,
an assessment table and a snapshot each show a few key figures when a Jupyter cell ends with them
(``_repr_html_``) and a one-line ``__repr__`` in a terminal. The cards are built here, once, so that
they look alike and speak the session's language (``PLANMON_LANG``, zh by default; :func:`set_lang`),
and so that no engine grows its own HTML. Everything shown is escaped (a unit or indicator name is
data, never markup). This module imports neither pandas nor any face: the objects pass plain values.

Example::

    >>> from planmon.display import Card
    >>> card = Card("综合指数", [("地区", "51")], lang="zh")
    >>> "51" in card.html() and card.text() == "<综合指数: 地区 51>"
    True
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from planmon.i18n import Lang, current_lang, normalise_lang
from planmon.vocab import Label

#: the labels of the cards (codes the engines already name come from :mod:`planmon.vocab`)
LABELS: dict[str, Label] = {k: Label(*v) for k, v in {
    "framework": ("规划框架", "Framework"), "plan": ("规划", "Plan"), "period": ("规划期", "Period"),
    "version": ("版本", "Version"), "items": ("任务、工程与行动", "Tasks, projects and actions"),
    "indicators": ("指标", "Indicators"), "main_indicators": ("主要指标", "Main indicators"),
    "units": ("单位", "Units"), "provinces": ("省级单位", "Provinces"), "content_hash": ("内容校验值", "Content hash"),
    "index_run": ("综合指数", "Composite index"), "steps": ("步骤", "Steps"),
    "size": ("单位 × 指标", "Units × indicators"), "reported_period": ("报告时期", "Period reported"),
    "top": ("排名靠前", "Top"), "bottom": ("排名靠后", "Bottom"), "data_hash": ("数据校验值", "Data hash"),
    "comparison": ("两种设定的比较", "Comparison of two specs"), "compared": ("比较对象", "Compared"),
    "units_compared": ("比较单位数", "Units compared"), "moved": ("排名变化的单位", "Units whose rank moved"),
    "mean_abs_shift": ("平均排名变化（绝对值）", "Mean absolute rank shift"),
    "max_abs_shift": ("最大排名变化", "Largest rank shift"), "steps_differ": ("不同的步骤", "Steps that differ"),
    "none": ("无", "none"), "largest_moves": ("排名变化最大的单位", "Largest rank moves"),
    "step": ("步骤", "Step"), "spec_a": ("设定 A", "Spec A"), "spec_b": ("设定 B", "Spec B"),
    "rank_a": ("A 排名", "Rank A"), "rank_b": ("B 排名", "Rank B"), "rank_shift": ("排名变化", "Rank shift"),
    "score_a": ("A 得分", "Score A"), "score_b": ("B 得分", "Score B"), "score_shift": ("得分变化", "Score shift"),
    "changes": ("改动", "Changes"),
    "uncertainty": ("排名的不确定性", "Rank uncertainty"),
    "median_width": ("排名区间宽度中位数（5%–95%）", "Median width of the rank interval (5–95 %)"),
    "widest": ("区间最宽的单位", "Widest rank intervals"), "narrowest": ("区间最窄", "Narrowest"),
    "assessment": ("指标评估", "Indicator assessment"), "rows": ("行数", "Rows"),
    "status_counts": ("各状态数量", "Count by status"), "scheme": ("评价口径", "Scheme"),
    "snapshot": ("监测快照", "Monitoring snapshot"), "as_of": ("截至", "As of"),
    "data_version": ("数据版本", "Data version"), "observations": ("观测值", "Observations"),
    "risks": ("风险提示", "Risk flags"), "count": ("数量", "Count"), "status": ("状态", "Status"),
    "unit": ("单位", "Unit"), "score": ("得分", "Score"), "rank": ("排名", "Rank"),
    "interval": ("排名区间", "Rank interval"), "nominal": ("名义排名", "Nominal rank"),
    "latest_data": ("最新数据", "latest data"),
}.items()}

#: the pipeline steps of an index spec (the spec's keys stay as written in the YAML; a card names them)
STEPS: dict[str, Label] = {k: Label(*v) for k, v in {
    "denominate": ("分母调整", "denominate"), "impute": ("缺失值插补", "impute"), "screen": ("单位筛选", "screen"),
    "treat": ("异常值处理", "treat"), "transform": ("变换", "transform"), "normalise": ("标准化", "normalise"),
    "weights": ("权重", "weights"), "aggregate": ("汇总", "aggregate"), "scorer": ("评分方法", "scorer"),
    "rescale": ("重新标度", "rescale"), "order": ("步骤顺序", "order of steps"), "data": ("输入数据", "input data"),
    "period": ("时期", "period"),
}.items()}
METHODS: dict[str, Label] = {k: Label(*v) for k, v in {
    "arithmetic": ("算术平均", "arithmetic mean"), "geometric": ("几何平均", "geometric mean"),
    "harmonic": ("调和平均", "harmonic mean"), "minmax": ("最小-最大", "min-max"), "zscore": ("标准分数", "z-score"),
}.items()}

#: the status schemes of :mod:`planmon.monitor.schemes` (docs/monitor.md), by their publisher
SCHEMES: dict[str, Label] = {k: Label(*v) for k, v in {
    "ndrc": ("国家发展改革委评估口径", "NDRC"), "opensdg": ("Open SDG 口径", "Open SDG"),
    "unsd": ("联合国统计司口径", "UN Statistics Division"), "sdsn": ("可持续发展解决方案网络口径", "SDSN"),
}.items()}


def step(code: str, lang: str | None = None) -> str:
    """A pipeline step in words (the code itself when the catalogue does not know it)."""
    label = STEPS.get(code)
    return label.get(lang or current_lang()) if label else code


def method(code: str, lang: str | None = None) -> str:
    label = METHODS.get(code)
    return label.get(lang or current_lang()) if label else code


def set_lang(lang: str) -> None:
    """Set the session's language (``zh`` or ``en``) for every card and message of this process.

    It is ``PLANMON_LANG``, the variable the CLI and the library already read.

    >>> set_lang("en"); t("plan")
    'Plan'
    >>> set_lang("zh"); t("plan")
    '规划'
    """
    os.environ["PLANMON_LANG"] = normalise_lang(lang)


def t(key: str, lang: str | None = None) -> str:
    """The label ``key`` in ``lang`` (default: the session's language)."""
    return LABELS[key].get(lang or current_lang())


def fmt(v: Any, digits: int = 2) -> str:
    """A number as a reader wants it: integers plain, floats to ``digits`` places, missing as "—".

    >>> fmt(1234), fmt(3.14159), fmt(float("nan")), fmt(None)
    ('1,234', '3.14', '—', '—')
    """
    if v is None or isinstance(v, bool | str):
        return "—" if v is None else str(v)
    if isinstance(v, numbers.Integral):
        return f"{int(v):,}"
    try:
        x = float(v)
    except (TypeError, ValueError):  # pandas' NA, NaT
        return "—" if str(v) in ("<NA>", "NaT") else str(v)
    return "—" if math.isnan(x) else f"{x:,.{digits}f}"


def short_hash(h: str | None) -> str:
    return (h or "")[:12] or "—"


@dataclass
class Table:
    """A small table of a card: a caption, headers and rows of display text."""

    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


@dataclass
class Card:
    """A compact summary: a title, key figures (label, value) and at most a few small tables."""

    title: str
    facts: list[tuple[str, str]]
    tables: list[Table] = field(default_factory=list)
    note: str = ""
    lang: Lang | str | None = None
    brief: int | None = None  # how many facts the one-line text shows (None: all)

    def html(self) -> str:
        """Escaped HTML (no script, no external resource): a title, a definition list, small tables."""
        lang = normalise_lang(self.lang) if self.lang else current_lang()
        out = [f'<div class="planmon-card" lang="{"zh-CN" if lang == "zh" else "en"}" '
               'style="font-family:sans-serif;font-size:13px;line-height:1.4;max-width:60em">',
               f'<div style="font-weight:bold;font-size:14px;margin-bottom:4px">{escape(self.title)}</div>',
               '<table style="border-collapse:collapse;margin-bottom:4px">']
        for k, v in self.facts:
            out.append(f'<tr><th style="text-align:left;padding:1px 12px 1px 0;font-weight:normal;color:#555;white-space:nowrap">'
                       f'{escape(k)}</th><td style="text-align:left;padding:1px 0">{escape(v)}</td></tr>')
        out.append("</table>")
        for tab in self.tables:
            out.append('<table style="border-collapse:collapse;display:inline-table;vertical-align:top;'
                       'margin:0 16px 4px 0">')
            out.append(f'<caption style="text-align:left;color:#555">{escape(tab.caption)}</caption>')
            out.append("<tr>" + "".join(f'<th style="text-align:left;padding:1px 8px 1px 0;border-bottom:1px solid #ccc">'
                                        f"{escape(str(h))}</th>" for h in tab.headers) + "</tr>")
            for row in tab.rows:
                out.append("<tr>" + "".join(f'<td style="padding:1px 8px 1px 0">{escape(str(c))}</td>' for c in row)
                           + "</tr>")
            out.append("</table>")
        if self.note:
            out.append(f'<div style="color:#777;font-size:12px">{escape(self.note)}</div>')
        out.append("</div>")
        return "".join(out)

    def text(self) -> str:
        """One line for ``__repr__``: the title and the key figures."""
        facts = ", ".join(f"{k} {v}" for k, v in self.facts[: self.brief])
        return f"<{self.title}: {facts}>" if facts else f"<{self.title}>"


# --- the cards of each object (built from the objects' plain values; no pandas import here) ---------------


def _lang(lang: str | None) -> Lang:
    return normalise_lang(lang) if lang else current_lang()


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def _rank(v: Any) -> str:
    try:
        return "—" if v is None or math.isnan(float(v)) else str(int(v))
    except (TypeError, ValueError):
        return "—"


def unit_label(code: Any, lang: str) -> str:
    """A unit as a reader names it: a province's short name (北京) for its GB/T 2260 code, else the code."""
    from planmon.geo.tilegrid import TILES, tile_label

    text = str(code)
    return next((tile_label(tl, lang) for tl in TILES if tl.code == text), text)


def comparison_card(cmp: Any, lang: str | None = None) -> Card:
    """:class:`planmon.index.comparison.RunComparison`: units compared, who moved, the steps that differ."""
    lg = _lang(lang)
    u = cmp.units
    shift = u["rank_shift"].dropna().abs().astype(float)
    changed = cmp.changed_steps
    facts = [
        (t("compared", lg), f"{cmp.names[0]} ↔ {cmp.names[1]} · {cmp.code}"),
        (t("units_compared", lg), fmt(len(u))),
        (t("moved", lg), fmt(int((shift > 0).sum()))),
        (t("mean_abs_shift", lg), fmt(float(shift.mean()) if len(shift) else None)),
        (t("max_abs_shift", lg), fmt(int(shift.max())) if len(shift) else "—"),
        (t("steps_differ", lg), _sep(lg).join(step(c, lg) for c in changed) if changed else t("none", lg)),
    ]
    steps = cmp.steps[cmp.steps["differs"]]
    tables = []
    if len(steps):
        tables.append(Table(t("steps_differ", lg), [t("step", lg), t("changes", lg)],
                            [[step(s, lg), "; ".join(c)[:200]] for s, c in zip(steps["step"], steps["changes"], strict=True)]))
    moved = cmp.moved.head(8)
    if len(moved):
        ranks = [t("rank_a", lg), t("rank_b", lg)] if tuple(cmp.names) == ("A", "B") else \
            [f"{n} {t('rank', lg)}" for n in cmp.names]  # the runs' own names when the caller gave them
        tables.append(Table(t("largest_moves", lg), [t("unit", lg), *ranks, t("rank_shift", lg), t("score_shift", lg)],
                            [[unit_label(r.uCode, lg), _rank(r.rank_a), _rank(r.rank_b), f"{int(r.rank_shift):+d}", fmt(r.score_shift)]
                             for r in moved.itertuples()]))
    return Card(t("comparison", lg), facts, tables, lang=lg)


def run_card(run: Any, lang: str | None = None, n: int = 5) -> Card:
    """:class:`planmon.index.IndexRun`: the steps that ran, units × indicators, top and bottom units."""
    lg = _lang(lang)
    steps = [str(e["step"]) for e in run.log]
    agg = {str(e["step"]): e.get("resolved", {}) for e in run.log}.get("aggregate", {})
    methods = sorted({str(v.get("method")) for v in agg.values() if isinstance(v, dict)})
    top = run.top
    res = run.scores[["uCode", top]].assign(rank=run.ranks[top].to_numpy())
    res = res.sort_values(["rank", "uCode"], na_position="last")
    facts = [
        (t("steps", lg), " → ".join(step(s, lg) for s in steps)
         + (f" ({_sep(lg).join(method(m, lg) for m in methods)})" if methods else "")),
        (t("size", lg), f"{len(run.scores)} × {len(run.tree.indicators)}"),
    ]
    if run.period is not None:
        facts.append((t("reported_period", lg), f"{run.period:g}"))
    facts.append((t("data_hash", lg), short_hash(run.data_hash)))
    head = [t("rank", lg), t("unit", lg), t("score", lg)]
    rows = [[_rank(r), unit_label(u, lg), fmt(s)]
            for u, s, r in zip(res["uCode"], res[top], res["rank"], strict=True)]
    ranked = [r for r in rows if r[0] != "—"]
    tables = [Table(t("top", lg), head, ranked[:n]), Table(t("bottom", lg), head, ranked[-n:] if len(ranked) > n else [])]
    return Card(f"{t('index_run', lg)} · {top}", facts, [tb for tb in tables if tb.rows], lang=lg)


def _title(fw: Any, lg: str) -> str:
    plan = fw.plan
    return str(plan.title_en if lg == "en" and plan.title_en else plan.title_zh)


def framework_card(fw: Any, lang: str | None = None) -> Card:
    """:class:`planmon.framework.Framework`: the plan, its period and version, counts of items, indicators, units."""
    from planmon import vocab

    lg = _lang(lang)
    plan = fw.plan
    kinds: dict[str, int] = {}
    for item in fw.items:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    facts = [
        (t("period", lg), f"{plan.period_start}–{plan.period_end}"),
        (t("version", lg), str(plan.version)),
        (t("indicators", lg), f"{len(fw.indicators)} ({t('main_indicators', lg)} {len(fw.main_indicators())})"),
        (t("units", lg), f"{len(fw.units)} ({t('provinces', lg)} {len(fw.provinces())})"),
        (t("items", lg), _sep(lg).join(f"{vocab.code('item_kind', k, lg)} {n}" for k, n in kinds.items()) or "0"),
        (t("content_hash", lg), short_hash(fw.content_hash)),
    ]
    return Card(f"{t('framework', lg)} · {_title(fw, lg)}", facts, lang=lg, brief=4)


def uncertainty_card(ri: Any, lang: str | None = None, n: int = 5) -> Card:
    """Rank intervals (``uCode, nominal, median, q05, q95``): median width, the widest and narrowest intervals."""
    lg = _lang(lang)
    width = (ri["q95"] - ri["q05"]).astype(float)
    order = width.sort_values(ascending=False, kind="stable").index
    facts = [(t("units", lg), fmt(len(ri))), (t("median_width", lg), fmt(float(width.median()) if len(ri) else None, 1))]
    head = [t("unit", lg), t("nominal", lg), t("interval", lg)]

    def rows(idx: Any) -> list[list[str]]:
        return [[unit_label(ri.at[i, "uCode"], lg), _rank(ri.at[i, "nominal"]), f"{fmt(ri.at[i, 'q05'], 0)}–{fmt(ri.at[i, 'q95'], 0)}"]
                for i in idx]
    tables = [Table(t("widest", lg), head, rows(order[:n])), Table(t("narrowest", lg), head, rows(order[::-1][:n]))]
    return Card(t("uncertainty", lg), facts, [tb for tb in tables if tb.rows], lang=lg)


def _status_counts(frame: Any, scheme: str, lg: str) -> list[list[str]]:
    from planmon import vocab

    if frame is None or "status" not in frame.columns or not len(frame):
        return []
    counts = frame["status"].fillna(vocab.NOT_ASSESSED).astype(str).value_counts()
    order = [c for c in vocab.status_order(scheme) if c in counts.index] + \
        sorted(c for c in counts.index if c not in vocab.status_order(scheme))
    def label(c: str) -> str:
        try:
            return vocab.status(None if c == vocab.NOT_ASSESSED else c, lg, scheme)
        except vocab.MissingLabel:  # a status the catalogue does not name yet: its code rather than nothing
            return c
    return [[label(c), fmt(int(counts[c]))] for c in order]


def assessment_card(frame: Any, lang: str | None = None) -> Card:
    """An assessment table (:func:`planmon.monitor.assess_store`): rows, indicators, units, count by status."""
    lg = _lang(lang)
    schemes = sorted(set(frame["scheme"].dropna().astype(str))) if "scheme" in frame.columns else []
    scheme = schemes[0] if schemes else "ndrc"
    facts = [(t("rows", lg), fmt(len(frame))),
             (t("indicators", lg), fmt(int(frame["indicator"].nunique())) if "indicator" in frame.columns else "—"),
             (t("units", lg), fmt(int(frame["unit"].nunique())) if "unit" in frame.columns else "—"),
             (t("scheme", lg), _sep(lg).join(SCHEMES[c].get(lg) if c in SCHEMES else c for c in schemes) or "—")]
    counts = _status_counts(frame, scheme, lg)
    tables = [Table(t("status_counts", lg), [t("status", lg), t("count", lg)], counts)] if counts else []
    return Card(t("assessment", lg), facts, tables, lang=lg)


def snapshot_card(snap: Any, lang: str | None = None) -> Card:
    """:class:`planmon.snapshot.Snapshot`: as-of, plan, data version, content hash and the count of each status."""
    lg = _lang(lang)
    assessed = snap.assessments
    label = t("latest_data", lg) if snap.as_of.label == "latest" else snap.as_of.label
    facts = [(t("as_of", lg), f"{label} ({snap.as_of.day.isoformat()})"),
             (t("plan", lg), _title(snap.framework, lg)),
             (t("data_version", lg), fmt(int(snap.data_version))),
             (t("observations", lg), fmt(len(snap.observations))),
             (t("risks", lg), fmt(len(snap.risks))),
             (t("content_hash", lg), short_hash(snap.content_hash))]
    counts = _status_counts(assessed, "ndrc", lg)
    tables = [Table(t("status_counts", lg), [t("status", lg), t("count", lg)], counts)] if counts else []
    return Card(t("snapshot", lg), facts, tables, lang=lg, brief=4)


__all__ = ["LABELS", "METHODS", "STEPS", "Card", "Table", "assessment_card", "comparison_card", "fmt",
           "framework_card", "method", "run_card", "set_lang", "short_hash", "snapshot_card", "step", "t",
           "uncertainty_card"]
