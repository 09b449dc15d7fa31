"""Qualitative targets: the status is entered by the planning office, with its evidence, and shown as such.

Why: a plan prints some targets without a number (the 14th FYP outline's GDP增长 "保持在合理区间、
各年度视情提出"). No rule can compute their status; the NDRC's mid-term evaluation states one
anyway — a judgement of the office, in the scheme's own terms (基本符合预期 …), with the facts it
rests on. planmon records that judgement like any other value: who entered it, when, on which
evidence and document, every revision with its reason (append-only table, audit log), and the
assessment shows it *marked as entered* (``entered`` = True, 规划办认定), never as computed.

- :func:`enter_status` — check and store one entry (only a coordinator/office role may: the
  ``qualitative.enter`` permission of :mod:`planmon.auth.permissions`);
- :func:`current_statuses` / :func:`status_history` — DataFrames of the current entries and of
  every revision;
- :func:`apply_entered_statuses` — put the entered statuses into an assessment table: for
  qualitative indicators only, the latest entry at or before the as-of period; a qualitative
  indicator without one reads 待规划办公室评定 (``to_be_entered``, forms19's status of a qualitative target in
  :mod:`planmon.monitor.schemes`), not 暂无法评估.

Example::

    from planmon.monitor.qualitative import enter_status, current_statuses
    enter_status(store, "GDP", "2023", "基本符合预期", "2021—2023 年均增长 5.5%，处于合理区间",
                 actor="cli:office", framework_id="cn-outline-14fyp", source="国家统计局 2023 年统计公报")
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sqlalchemy.exc import IntegrityError

from planmon.auth.permissions import allowed
from planmon.framework import BUILTIN_DEFAULT, Framework
from planmon.i18n import Message
from planmon.periods import Period, PeriodError
from planmon.refusal import Refusal
from planmon.store import Store
from planmon.store.qualitative import STATUS_COLUMNS, NewStatus, write_status
from planmon.store.qualitative import current_statuses as _current
from planmon.store.qualitative import status_history as _history

from .schemes import OFFICE_STATUS_LABELS, STATUS_LABELS, TO_BE_ENTERED

#: The target form whose status is entered (issue 19's ``Indicator.target_form``).
QUALITATIVE = "qualitative"
#: The permission an entry needs (coordinator and admin: the planning office).
PERMISSION = "qualitative.enter"
#: Columns :func:`apply_entered_statuses` adds to an assessment table.
ENTERED_COLUMNS = ["entered", "entered_period", "entered_evidence_zh", "entered_evidence_en", "entered_source",
                   "entered_by", "entered_at", "entered_revision"]
ENTERED_MARK = Message("规划办认定", "entered by the planning office")
MAX_EVIDENCE = 4000


class QualitativeRefused(Refusal):
    """An entry refused: not allowed, not a qualitative indicator, a status not in the scheme, no evidence …"""

    code = "qualitative_refused"


def _refuse(code: str, zh: str, en: str) -> QualitativeRefused:
    return QualitativeRefused(Message(zh, en), code=code)


def target_form(indicator: Any) -> str:
    """The indicator's target form (``level`` for a framework written before issue 19)."""
    return str(getattr(indicator, "target_form", None) or "level")


def form_words(form: str, lang: str = "zh") -> str:
    words = {"level": ("水平值", "level"), "annual_growth": ("年均增长", "annual growth"),
             "cumulative_change": ("累计变化", "cumulative change"), "bound": ("约束界限", "bound"),
             "relative": ("相对目标", "relative"), QUALITATIVE: ("定性目标", "qualitative")}
    zh, en = words.get(form, (form, form))
    return en if lang == "en" else zh


def qualitative_ids(framework: Framework) -> list[str]:
    """The framework's indicators whose status is entered, not computed."""
    return [i.id for i in framework.indicators if target_form(i) == QUALITATIVE]


def status_code(scheme: str, text: str) -> str:
    """The scheme's code for ``text`` (a code, its Chinese or its English label); refused when not in the scheme."""
    if scheme not in STATUS_LABELS:
        known = "、".join(STATUS_LABELS)
        raise _refuse("unknown_scheme", f"未知的评价方案“{scheme}”（可用：{known}）",
                      f"unknown scheme '{scheme}' (known: {', '.join(STATUS_LABELS)})")
    key = " ".join(str(text).split()).lower()
    for code, (zh, en) in STATUS_LABELS[scheme].items():
        if key in (code, zh, en.lower()):
            return code
    zh_list = "、".join(zh for zh, _ in STATUS_LABELS[scheme].values())
    en_list = ", ".join(en for _, en in STATUS_LABELS[scheme].values())
    raise _refuse("unknown_status", f"状态“{text}”不属于 {scheme} 方案（可用：{zh_list}）",
                  f"status '{text}' is not one of scheme {scheme} (use: {en_list})")


def status_words(scheme: str, code: str, lang: str = "zh") -> str:
    zh, en = STATUS_LABELS[scheme][code]
    return en if lang == "en" else zh


def enter_status(store: Store, indicator: str, period: str | int, status: str, evidence_zh: str, *, actor: str,
                 role: str | None = None, unit: str = "CN", evidence_en: str = "", source: str = "",
                 reason: str = "", scheme: str = "ndrc", framework_id: str = BUILTIN_DEFAULT) -> dict[str, Any]:
    """Check and store the office's status of a qualitative indicator as of ``period``; return the stored entry.

    ``role`` is the acting user's role (the web passes it; the command line with ``--user``): a role without
    the ``qualitative.enter`` permission (a reporter, a viewer …) is refused. ``None`` is a trusted local
    caller (a notebook or the command line on the database file). ``status`` is a code or a label of
    ``scheme``. A revision of an existing entry must say why (``reason``); entering the same status and
    evidence again adds nothing (``outcome`` = ``unchanged``). Refusals are :class:`QualitativeRefused`.
    """
    if role is not None and not allowed(role, PERMISSION):
        raise _refuse("forbidden", f"角色“{role}”无权认定定性指标的状态（仅规划办/协调员可以）",
                      f"role '{role}' may not enter the status of a qualitative indicator "
                      "(only the planning office/coordinator may)")
    try:
        fw = store.framework(framework_id)
    except KeyError:
        raise _refuse("unknown_framework", f"数据库中没有规划“{framework_id}”", f"plan '{framework_id}' is not in the database"
                      ) from None
    ind_id = str(indicator).strip()
    ind = next((i for i in fw.indicators if i.id == ind_id), None)
    if ind is None:
        qual = qualitative_ids(fw)
        raise _refuse("unknown_indicator",
                      f"规划 {framework_id} 中没有指标“{ind_id}”（其定性指标：{'、'.join(qual) or '无'}；"
                      "另一规划的指标请指明规划）",
                      f"plan {framework_id} has no indicator '{ind_id}' (its qualitative ones: "
                      f"{', '.join(qual) or 'none'}; name the plan for another plan's indicator)")
    form = target_form(ind)
    if form != QUALITATIVE:
        raise _refuse("not_qualitative",
                      f"指标 {ind.id}（{ind.name_zh}）的目标形式为{form_words(form)}，按规则计算状态，"
                      "不能由规划办认定；只有定性目标可以录入认定状态",
                      f"indicator {ind.id} ({ind.name_en or ind.name_zh}) has a {form_words(form, 'en')} target: "
                      "its status is computed by the rules, not entered; only a qualitative target takes an "
                      "entered status")
    code = status_code(scheme, status)
    unit_id = str(unit or "CN").strip()
    if unit_id not in {u.id for u in fw.units}:
        raise _refuse("unknown_unit", f"规划中没有单位“{unit_id}”", f"the plan has no unit '{unit_id}'")
    try:
        p = Period.parse(str(period))
    except PeriodError as exc:
        raise _refuse("period_invalid", exc.message_zh, exc.message_en) from None
    start, end = Period.parse(fw.plan.period_start).year, Period.parse(fw.plan.period_end).year
    if not start <= p.year <= end:
        raise _refuse("period_outside_plan", f"时期 {p} 不在规划期 {start}—{end} 内",
                      f"period {p} is outside the plan period {start}–{end}")
    ev_zh, ev_en = " ".join(str(evidence_zh or "").split()), " ".join(str(evidence_en or "").split())
    if not ev_zh:
        raise _refuse("evidence_missing", "请填写认定依据（中文）：规划办据以认定的事实和数据",
                      "give the evidence (in Chinese): the facts the office's judgement rests on")
    if len(ev_zh) > MAX_EVIDENCE or len(ev_en) > MAX_EVIDENCE:
        raise _refuse("evidence_too_long", f"认定依据过长（上限 {MAX_EVIDENCE} 字）",
                      f"the evidence is too long (at most {MAX_EVIDENCE} characters)")
    new = NewStatus(ind.id, unit_id, str(p), scheme, code, ev_zh, ev_en, " ".join(str(source or "").split()))
    reason = " ".join(str(reason or "").split())
    try:
        return _write(store, framework_id, ind.id, new, actor, reason)
    except IntegrityError:  # another entry of the same year was written at the same moment
        raise _refuse("conflict", f"{ind.id} {new.period} 的认定刚被他人修改，请刷新后重试",
                      f"the entry of {ind.id} {new.period} was just changed by someone else: reload and retry"
                      ) from None


def _write(store: Store, framework_id: str, indicator: str, new: NewStatus, actor: str,
           reason: str) -> dict[str, Any]:
    """One entry in one transaction: a revision needs its reason; the stored entry as a record."""
    ind_id, unit_id, scheme, code = indicator, new.unit, new.scheme, new.status
    with store.engine.begin() as conn:
        existing = _current(conn, framework_id, ind_id, unit_id, scheme)
        earlier = existing[existing["period"] == new.period]
        changes = len(earlier) and any(earlier.iloc[0][c] != getattr(new, c)
                                       for c in ("status", "evidence_zh", "evidence_en", "source"))
        if changes and not reason:
            raise _refuse("reason_missing",
                          f"{ind_id} {new.period} 已有认定（第 {int(earlier.iloc[0]['revision'])} 版）：修订须写明原因",
                          f"{ind_id} {new.period} already has an entry (revision {int(earlier.iloc[0]['revision'])}): "
                          "a revision needs its reason")
        written = write_status(conn, framework_id, new, actor, reason=reason)
    return {"framework": framework_id, "indicator": ind_id, "unit": unit_id, "period": new.period, "scheme": scheme,
            "status": code, "status_zh": status_words(scheme, code, "zh"), "status_en": status_words(scheme, code, "en"),
            "evidence_zh": new.evidence_zh, "evidence_en": new.evidence_en, "source": new.source,
            "revision": written.revision,
            "reason": reason if written.outcome != "unchanged" else "", "outcome": written.outcome,
            "previous": written.previous, "entered_by": actor}


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    def words(lang: str) -> list[str]:
        return [status_words(s, c, lang) if s in STATUS_LABELS and c in STATUS_LABELS[s] else c
                for s, c in zip(df["scheme"], df["status"], strict=True)]
    at = list(df.columns).index("status") + 1
    cols = list(df.columns)
    out = df.assign(status_zh=words("zh"), status_en=words("en"))
    return out[[*cols[:at], "status_zh", "status_en", *cols[at:]]]


def current_statuses(store: Store, framework_id: str = BUILTIN_DEFAULT, *, indicator: str | None = None,
                     unit: str | None = None, scheme: str | None = None) -> pd.DataFrame:
    """The current entry of every indicator × unit × period × scheme, with the status in words (zh, en)."""
    with store.engine.connect() as conn:
        return _labelled(_current(conn, framework_id, indicator, unit, scheme))


def status_history(store: Store, framework_id: str = BUILTIN_DEFAULT, *, indicator: str | None = None,
                   unit: str | None = None, scheme: str | None = None) -> pd.DataFrame:
    """Every entry and revision, superseded ones included (``current`` = False), oldest first."""
    with store.engine.connect() as conn:
        return _labelled(_history(conn, framework_id, indicator, unit, scheme))


def _time(period: Any) -> float:
    try:
        return Period.parse(str(period)).time
    except PeriodError:
        return np.nan


def apply_entered_statuses(assessment: pd.DataFrame, statuses: pd.DataFrame, framework: Framework | None = None,
                           *, as_of: str | None = None) -> pd.DataFrame:
    """The assessment with the office's entered statuses on its qualitative rows (a new frame).

    Which rows are qualitative: the ``target_form`` column when the table has one, else the framework's
    indicators. On those rows the status is the latest entry (same indicator, unit and scheme) at or before
    ``as_of`` (default: the table's ``reference_period``, else the latest entry), with ``entered`` = True,
    the evidence in ``notes_zh``/``notes`` ("由规划办认定：…" / "entered by the planning office: …") and the
    entry's period, source, author, time and revision in the ``entered_*`` columns. A qualitative row without
    an entry gets ``to_be_entered`` (待规划办公室评定). Every other row is left as it was (``entered`` = False).
    """
    a = assessment
    n = len(a)
    cols: dict[str, Any] = {c: np.full(n, None, dtype=object) for c in ENTERED_COLUMNS}
    cols["entered"] = np.zeros(n, dtype=bool)
    if "target_form" in a.columns:
        qual = (a["target_form"] == QUALITATIVE).to_numpy(dtype=bool)
    elif framework is not None:
        qual = a["indicator"].isin(qualitative_ids(framework)).to_numpy(dtype=bool)
    elif n:
        raise ValueError("apply_entered_statuses needs a target_form column or the framework")
    else:
        qual = np.zeros(0, dtype=bool)
    if not qual.any():  # the common case: one copy with the (empty) entered columns
        return _with(a, cols)
    # the changed text columns as arrays, filled by position, assigned at once at the end
    for c in ("status", "status_zh", "status_en", "notes_zh", "notes", "note_codes"):
        cols[c] = a[c].to_numpy(dtype=object).copy() if c in a.columns else np.full(n, None, dtype=object)
    if "achieved" in a.columns:
        cols["achieved"] = a["achieved"].to_numpy(dtype=bool).copy()
    pos = np.flatnonzero(qual)
    _to_be_entered(a, cols, pos)
    if as_of is None and "reference_period" in a.columns:
        refs = a["reference_period"].dropna()
        as_of = str(refs.iloc[0]) if len(refs) else None
    cut = _time(as_of) if as_of else np.inf
    if statuses is not None and len(statuses):
        _entered(a, cols, pos, statuses, cut)
    if "note_codes" not in a.columns:
        del cols["note_codes"]
    return _with(a, cols)


def _with(a: pd.DataFrame, cols: dict[str, Any]) -> pd.DataFrame:
    """``a`` with ``cols`` set; object columns stay object (no per-row string inference, as in assess)."""
    return a.assign(**{k: pd.Series(v, index=a.index, dtype=object if v.dtype == object else None, copy=False)
                       for k, v in cols.items()})


def _entered(a: pd.DataFrame, cols: dict[str, Any], pos: NDArray[np.intp], statuses: pd.DataFrame,
             cut: float) -> None:
    """Put the latest entry at or before ``cut`` of each qualitative row's indicator × unit × scheme in."""
    times = {p: _time(p) for p in pd.unique(statuses["period"])}
    st = statuses.assign(_t=statuses["period"].map(times))
    st = st[st["_t"] <= cut + 1e-9].sort_values("_t", kind="stable")
    latest = st.drop_duplicates(["indicator", "unit", "scheme"], keep="last")
    scheme = a["scheme"].to_numpy(dtype=object)[pos] if "scheme" in a.columns else np.full(len(pos), "ndrc")
    left = pd.DataFrame({"indicator": a["indicator"].to_numpy(dtype=object)[pos],
                         "unit": a["unit"].to_numpy(dtype=object)[pos], "scheme": scheme, "_pos": pos})
    m = left.merge(latest, on=["indicator", "unit", "scheme"], how="inner")
    if not len(m):
        return
    at = m["_pos"].to_numpy(dtype=np.intp)
    source = m["source"].fillna("").astype(str)
    ev_zh = m["evidence_zh"].astype(str)
    ev_en = m["evidence_en"].fillna("").astype(str).where(m["evidence_en"].fillna("") != "", ev_zh)
    words = {(sc, c): (status_words(sc, c, "zh"), status_words(sc, c, "en"))
             for sc, c in set(zip(m["scheme"], m["status"], strict=True))}
    pairs = [words[(sc, c)] for sc, c in zip(m["scheme"], m["status"], strict=True)]
    cols["status"][at] = m["status"].to_numpy(dtype=object)
    cols["status_zh"][at] = [zh for zh, _ in pairs]
    cols["status_en"][at] = [en for _, en in pairs]
    cols["notes_zh"][at] = ("由规划办认定：" + ev_zh + np.where(source != "", "（依据：" + source + "）", "")).to_numpy()
    cols["notes"][at] = ("entered by the planning office: " + ev_en
                         + np.where(source != "", " (source: " + source + ")", "")).to_numpy()
    codes = np.empty(len(at), dtype=object)
    codes[:] = [["entered_by_office"]] * len(at)
    cols["note_codes"][at] = codes
    if "achieved" in cols:
        cols["achieved"][at] = (m["status"] == "achieved").to_numpy()
    cols["entered"][at] = True
    for c, src in (("entered_period", "period"), ("entered_evidence_zh", "evidence_zh"),
                   ("entered_evidence_en", "evidence_en"), ("entered_source", "source"),
                   ("entered_by", "entered_by"), ("entered_at", "entered_at"), ("entered_revision", "revision")):
        cols[c][at] = m[src].to_numpy(dtype=object)
    cols["entered_revision"][at] = [int(v) for v in m["revision"]]


def _to_be_entered(a: pd.DataFrame, cols: dict[str, Any], pos: NDArray[np.intp]) -> None:
    """Qualitative rows without an entry: ``to_be_entered`` (待规划办公室评定), with one note saying why there is
    no computed status (quoting the plan's words where the assessment gives them, ``target_text_zh|en``); the
    notes of a computed row (no baseline, no observation …) do not apply to a status that is entered."""
    zh_label, en_label = OFFICE_STATUS_LABELS[TO_BE_ENTERED]
    cols["status"][pos] = TO_BE_ENTERED
    cols["status_zh"][pos] = zh_label
    cols["status_en"][pos] = en_label
    def words(col: str) -> pd.Series:
        v = pd.Series(a[col].to_numpy(dtype=object)[pos] if col in a.columns else np.full(len(pos), None),
                      dtype=object)
        return v.where(v.notna() & (v != ""), "").astype(str)

    zh, en = words("target_text_zh"), words("target_text_en")
    en = en.where(en != "", zh)
    cols["notes_zh"][pos] = ("定性目标" + ("（" + zh + "）").where(zh != "", "")
                             + "：状态由规划办依据证据认定，尚未录入").to_numpy(dtype=object)
    cols["notes"][pos] = ("qualitative target" + (" (" + en + ")").where(en != "", "")
                          + ": its status is entered by the planning office with its evidence; none entered yet"
                          ).to_numpy(dtype=object)
    codes = np.empty(len(pos), dtype=object)
    codes[:] = [[TO_BE_ENTERED]] * len(pos)
    cols["note_codes"][pos] = codes
    if "achieved" in cols:
        cols["achieved"][pos] = False


__all__ = [
    "ENTERED_COLUMNS",
    "ENTERED_MARK",
    "PERMISSION",
    "QUALITATIVE",
    "STATUS_COLUMNS",
    "QualitativeRefused",
    "apply_entered_statuses",
    "current_statuses",
    "enter_status",
    "qualitative_ids",
    "status_code",
    "status_history",
    "target_form",
]
