"""The report model: every number the report shows, read from one snapshot, traced to data.

Why one model: four renderers (HTML, PDF, DOCX, XLSX) and the text generator
read the same object, so a number cannot differ between formats, and the model
carries the hash of the data and of the spec it came from. It is built from a
:class:`planmon.snapshot.Snapshot` (:meth:`ReportModel.from_snapshot`), the object the
web pages, the API and the command line read too, so the report cannot differ from them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from planmon.demo import is_illustrative
from planmon.framework import BUILTIN_DEFAULT, Framework, Indicator
from planmon.i18n import normalise_lang
from planmon.jsonsafe import jsonable
from planmon.monitor import STATUS_LABELS
from planmon.periods import Period
from planmon.report.methodology import MethodNote, methodology
from planmon.report.regional import Regional, build_regional
from planmon.snapshot import Snapshot
from planmon.store import Store

NATION = "CN"
DEFAULT_UNCERTAINTY_N = 200
STATUS_SCHEME = "ndrc"
APPENDIX_COLUMNS = ["indicator", "unit", "period", "value", "status", "source", "note", "proxy", "revision"]


@dataclass(frozen=True)
class SeriesPoint:
    period: str
    value: float
    status: str
    source: str
    proxy: bool


@dataclass
class IndicatorBlock:
    """One main indicator: the declared plan and the national series up to the as-of period."""

    ind: Indicator
    series: list[SeriesPoint]
    trajectory: list[tuple[str, float]]
    status: str | None = None
    status_label: str | None = None
    assessment: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.ind.id

    def name(self, lang: str) -> str:
        return self.ind.name_en if lang == "en" and self.ind.name_en else self.ind.name_zh

    def unit(self, lang: str) -> str:
        return self.ind.unit_en if lang == "en" and self.ind.unit_en else self.ind.unit

    @property
    def latest(self) -> SeriesPoint | None:
        """The value a reader should see first: for a stock the most recent one (a stock at
        November is a valid level); for a flow or rate the latest full year (part of a year is not comparable)."""
        annual = [p for p in self.series if Period.parse(p.period).frequency == "annual"]
        pick = self.series if self.ind.kind == "stock" else (annual or self.series)
        return pick[-1] if pick else None


@dataclass(frozen=True)
class ItemRow:
    """A task, key project or priority action with its lead units and its milestones."""

    id: str
    kind: str
    title: str
    lead: str
    milestones: list[tuple[str, str]]


@dataclass
class ReportModel:
    lang: str
    framework_id: str
    plan_title: str
    plan_period: tuple[str, str]
    as_of: str
    illustrative: bool
    data_hash: str
    spec_hash: str
    indicators: list[IndicatorBlock]
    status_counts: dict[str, int] | None
    status_labels: dict[str, str]
    risks: pd.DataFrame | None
    regional: Regional
    items: list[ItemRow]
    supervision: pd.DataFrame | None
    methodology: list[MethodNote]
    data_appendix: pd.DataFrame
    missing: list[str]
    boundary: dict[str, Any] | None = None
    approval_no: str = ""
    comparison: dict[str, Any] = field(default_factory=dict)  # the ranking's period, units and reason
    snapshot_hash: str = ""
    unit_names: dict[str, str] = field(default_factory=dict)  # unit id → name in the report's language
    pilots: Any = None  # the pilots and duplicated-construction section (report.section_pilots), issue 17
    rendered: dict[str, bytes] = field(default_factory=dict, repr=False)  # chart images shared by PDF and DOCX

    def t(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    @classmethod
    def from_snapshot(cls, snap: Snapshot, lang: str = "zh", *, boundary: dict[str, Any] | None = None,
                      approval_no: str = "") -> ReportModel:
        """Everything the report shows, read from ``snap`` (nothing is computed twice)."""
        return _from_snapshot(snap, normalise_lang(lang), boundary, approval_no)


def _default_as_of(obs: pd.DataFrame) -> str:
    """The latest annual period with any accepted observation (a partial year never sets it)."""
    annual = obs[obs["period"].str.fullmatch(r"\d{4}")]
    if annual.empty:
        return str(max(obs["period"], key=lambda p: Period.parse(p).time)) if not obs.empty else "2025"
    return str(max(annual["period"], key=lambda p: Period.parse(p).time))


def period_end(period: str) -> date:
    """The last day of a period (see :attr:`planmon.periods.Period.end`)."""
    return Period.parse(period).end


def _trajectory(ind: Indicator) -> list[tuple[str, float]]:
    """The declared path from baseline to target, one point per year (linear, compound or given points)."""
    if ind.trajectory.method == "points" and ind.trajectory.points:
        pts = [(p.period, p.value) for p in ind.trajectory.points]
        if ind.baseline:
            pts.insert(0, (ind.baseline.period, ind.baseline.value))
        if ind.target:
            pts.append((ind.target.period, ind.target.value))
        return sorted(set(pts), key=lambda x: Period.parse(x[0]).time)
    if not (ind.baseline and ind.target):
        return []
    y0, y1 = Period.parse(ind.baseline.period).year, Period.parse(ind.target.period).year
    v0, v1 = ind.baseline.value, ind.target.value
    out = []
    for y in range(y0, y1 + 1):
        share = (y - y0) / (y1 - y0) if y1 > y0 else 1.0
        compound = ind.trajectory.method == "compound" and v0 > 0 and v1 > 0
        v = v0 * (v1 / v0) ** share if compound else v0 + (v1 - v0) * share
        out.append((str(y), round(v, 6)))
    return out


def _hash_frame(df: pd.DataFrame) -> str:
    return hashlib.sha256(df.to_csv(index=False, lineterminator="\n").encode()).hexdigest()


def spec_dict(spec: Any) -> dict[str, Any]:
    """A spec of any form (pydantic model, dataclass, dict) as a plain dict for hashing and the appendix."""
    if spec is None:
        return {}
    data = jsonable(spec)
    return data if isinstance(data, dict) else {"spec": str(data)}


def _items(fw: Framework, lang: str) -> list[ItemRow]:
    names = {u.id: (u.name_en if lang == "en" and u.name_en else u.name_zh) for u in fw.units}
    rows = []
    for it in fw.items:
        if it.kind not in ("task", "project", "action"):
            continue
        lead = [names.get(r.unit, r.unit) for r in fw.responsibilities if r.item == it.id and r.role == "lead"]
        ms = [(m.due, (m.text_en if lang == "en" and m.text_en else m.text_zh) or "—") for m in it.milestones]
        title = it.title_en if lang == "en" and it.title_en else it.title_zh
        rows.append(ItemRow(it.id, it.kind, title, "、".join(lead) if lang != "en" else ", ".join(lead), ms))
    return rows


def build_model(
    store: Store,
    *,
    as_of: str | None = None,
    lang: str = "zh",
    framework_id: str = BUILTIN_DEFAULT,
    spec: Any = None,
    uncertainty_n: int | None = None,
    boundary: dict[str, Any] | None = None,
    approval_no: str = "",
) -> ReportModel:
    """Gather everything the report shows for ``framework_id`` up to ``as_of`` (default: the latest year).

    ``spec`` is the composite-index spec and ``uncertainty_n`` its replications (default: the plan's
    published evaluation, ``evaluation.yaml``);
    ``boundary`` an approved boundary GeoJSON (see :mod:`planmon.geo.boundary`) with its
    approval number ``approval_no`` (审图号) for the caption; without it the map is the tile grid.
    """
    if as_of is None:
        as_of = _default_as_of(store.current_observations(framework_id))
    snap = Snapshot(store, framework_id, str(Period.parse(as_of)), replications=uncertainty_n, index_spec=spec)
    return ReportModel.from_snapshot(snap, lang, boundary=boundary, approval_no=approval_no)


def _status_labels(lang: str) -> dict[str, str]:
    return {code: pair[1] if lang == "en" else pair[0] for code, pair in STATUS_LABELS[STATUS_SCHEME].items()}


def _blocks(fw: Framework, obs: pd.DataFrame, assessment: pd.DataFrame, labels: dict[str, str]) -> list[IndicatorBlock]:
    nat = assessment[assessment["unit"].isin([NATION, None]) | assessment["unit"].isna()]
    by_ind = {str(r["indicator"]): {str(k): v for k, v in r.items()} for r in nat.to_dict("records")}
    national = obs[obs["unit"] == NATION]
    blocks = []
    for ind in fw.main_indicators():
        rows = national[national["indicator"] == ind.id]
        series = [SeriesPoint(str(r["period"]), float(r["value"]), str(r["status"]), str(r["source"] or ""),
                              bool(r["proxy"])) for r in rows.to_dict("records")]
        a = by_ind.get(ind.id, {})
        code = a.get("status") if a else None
        code = code if isinstance(code, str) and code else None
        blocks.append(IndicatorBlock(ind, series, _trajectory(ind), code,
                                     _label(code, labels, a) if code else None, dict(a)))
    return blocks


def _label(code: str, labels: dict[str, str], a: dict[str, Any]) -> str:
    """The status in words; a status the planning office entered (a qualitative target, issue 19) is marked
    as such (基本符合预期（规划办认定）), and 待规划办公室评定 (to_be_entered) where none is entered yet."""
    from planmon import vocab

    en = labels.get("achieved") == "achieved"  # the labels are of the report's language
    text = labels.get(code) or vocab.status(code, "en" if en else "zh")
    if a.get("entered") is True:
        text += " (entered by the planning office)" if en else "（规划办认定）"
    return text


def _from_snapshot(snap: Snapshot, lang: str, boundary: dict[str, Any] | None, approval_no: str) -> ReportModel:
    from planmon.report.section_pilots import build_pilots_section

    fw, obs = snap.framework, snap.observations
    labels = _status_labels(lang)
    blocks = _blocks(fw, obs, snap.assessments, labels)
    counts = {c: sum(1 for b in blocks if b.status == c) for c in labels}
    for b in blocks:
        if b.status and b.status not in counts:
            counts[b.status] = counts.get(b.status, 0) + 1
    regional = build_regional(snap, lang)
    appendix = obs[[c for c in APPENDIX_COLUMNS if c in obs.columns]].copy()
    illustrative = is_illustrative(obs)
    spec_used = spec_dict(regional.index.spec if regional.index else snap.index_spec)
    return ReportModel(
        lang=lang,
        framework_id=snap.framework_id,
        plan_title=fw.plan.title_en if lang == "en" else fw.plan.title_zh,
        plan_period=(fw.plan.period_start, fw.plan.period_end),
        as_of=snap.as_of.label,
        illustrative=illustrative,
        data_hash=_hash_frame(appendix),
        spec_hash=hashlib.sha256(json.dumps(spec_used, sort_keys=True, default=str).encode()).hexdigest(),
        indicators=blocks,
        status_counts=counts,
        status_labels=labels,
        risks=snap.risks,
        regional=regional,
        items=_items(fw, lang),
        supervision=snap.supervision,
        methodology=methodology(lang, spec_used, regional, True, boundary is not None, illustrative),
        data_appendix=appendix,
        missing=[],
        boundary=boundary,
        approval_no=approval_no,
        unit_names={u.id: (u.name_en if lang == "en" and u.name_en else u.name_zh) for u in fw.units},
        comparison=snap.comparison.to_dict(),
        snapshot_hash=snap.content_hash,
        pilots=build_pilots_section(snap.store, lang, snap.as_of.day),
    )
