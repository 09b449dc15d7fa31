"""Import the registry from a workbook: every row checked, then all written in one transaction, or nothing.

The checks a programme office needs before a published list enters the registry, each a
finding located to file, sheet, row and column, in zh and en:

==================== ==========================================================================
``unknown_programme`` the programme is not declared
``unknown_area``      the area code is not a GB/T 2260 code planmon can place
``bad_date``          a start, end or state date that is not a date
``end_before_start``  the term ends before it starts
``state_not_allowed`` a state the programme's rules do not have (or an unknown state)
``duplicate_pilot``   the same pilot twice in the file, or the same area/unit already in the programme
``over_cap``          budget above the programme's cap for that kind of city
``not_a_number``      batch, budget, baseline or target that is not a number
``skipped_state``     a state change that skips a step (or a new pilot entering past the entry states)
``missing_reason``    a state change without a reason
``missing_value``     a required cell left empty
``unknown_level``     a level planmon does not know
``unknown_pilot``     a target for a pilot neither in the file nor in the registry
``unknown_indicator`` a target for an indicator the programme's evaluation does not declare
==================== ==========================================================================
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from planmon.collect.rules import Finding, Severity, short
from planmon.collect.safety import Limits, Refused, check_file
from planmon.i18n import Message
from planmon.periods import Period, PeriodError
from planmon.pilots.areas import is_known_area, normalise_code
from planmon.pilots.model import LEVEL_ALIASES, STATE_ALIASES, Programme, can_move, state_label
from planmon.pilots.registry import ensure_registry, load_programmes, pilot_id, write_pilot
from planmon.pilots.sheets import Cells, read_workbook
from planmon.pilots.tables import pilot_targets, pilots
from planmon.spreadsheet import cell_number
from planmon.store import Store, audit

RULES: dict[str, tuple[str, str]] = {
    "unknown_programme": ("未知试点项目", "unknown programme"),
    "unknown_area": ("未知区划代码", "unknown area code"),
    "bad_date": ("日期无法识别", "not a date"),
    "end_before_start": ("结束早于开始", "end before start"),
    "state_not_allowed": ("状态不符合该项目规则", "state not allowed by the programme"),
    "duplicate_pilot": ("试点重复", "duplicate pilot"),
    "over_cap": ("资金超过上限", "budget over the cap"),
    "not_a_number": ("不是数字", "not a number"),
    "skipped_state": ("状态变更跳过环节", "a transition that skips a state"),
    "missing_reason": ("状态变更缺少理由", "a state change without a reason"),
    "missing_value": ("缺少必填内容", "a required value is missing"),
    "unknown_level": ("未知层级", "unknown level"),
    "unknown_pilot": ("未知试点", "unknown pilot"),
    "unknown_indicator": ("未知评价指标", "unknown evaluation indicator"),
    "unreadable": ("文件无法读取", "file cannot be read"),
    "file_refused": ("文件被拒收", "file refused"),
}


@dataclass
class RegistryFinding(Finding):
    """A finding of the registry import: every one blocks the import."""

    @property
    def severity(self) -> Severity:
        return "error"


@dataclass
class RegistryImport:
    ok: bool
    file: str
    findings: list[RegistryFinding] = field(default_factory=list)
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    targets: int = 0
    transitions: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "file": self.file, "added": self.added, "revised": self.revised,
                "unchanged": self.unchanged, "targets": self.targets, "transitions": self.transitions,
                "errors": len(self.findings), "findings": [f.to_dict() for f in self.findings]}


_DAY = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?$")


def parse_day(raw: Any) -> str | None:
    """A date as written in published lists: ``2023``, ``2023-05``, ``2023-05-01``, ``2023年5月1日``, or an
    Excel date; returned as ISO text of the precision given. None when not a date."""
    if isinstance(raw, datetime | date):
        return raw.isoformat()[:10]
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer() and 1900 < raw < 2200:
        return str(int(raw))
    m = _DAY.match(str(raw).strip())
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        if d:
            return date(int(y), int(mo), int(d)).isoformat()
        if mo:
            if not 1 <= int(mo) <= 12:
                return None
            return f"{y}-{int(mo):02d}"
    except ValueError:
        return None
    return y


def day_bounds(text: str) -> tuple[date, date]:
    """First and last day a date of any precision covers (``2023`` → 2023-01-01 … 2023-12-31)."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        d = date(*parts)
        return d, d
    if len(parts) == 2:
        y, m = parts
        last = (date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1)
        return date(y, m, 1), date.fromordinal(last)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[RegistryFinding] = []

    def add(self, cells: Cells, row: dict[str, Any], fld: str, rule: str, zh: str, en: str) -> None:
        self.findings.append(RegistryFinding(self.file, cells.sheet, row.get("_row"), cells.columns.get(fld, ""), fld,
                                             short(row.get(fld)), rule, zh, en))


def _text(v: Any) -> str:
    return "" if _blank(v) else str(v).strip()


def check_rows(cells: Cells, tcells: Cells | None, progs: dict[str, Programme], existing: dict[str, dict[str, Any]],
               file: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[RegistryFinding]]:
    """Check every row; return the pilot records, the target records and the findings."""
    c = _Checker(file)
    out: list[dict[str, Any]] = []
    for req in ("programme", "unit_name", "start", "state"):
        if req not in cells.columns:
            c.findings.append(RegistryFinding(file, cells.sheet, 1, "", req, "", "missing_value",
                                              f"缺少必需的列“{req}”", f"the required column '{req}' is missing"))
    if c.findings:
        return [], [], c.findings
    seen: dict[str, int] = {}
    by_key = {(p["programme_id"], p["area_code"] or p["unit_name"]): pid for pid, p in existing.items()}
    for row in cells.rows:
        bad = False
        prog_raw = _text(row.get("programme"))
        prog = progs.get(prog_raw) or next((p for p in progs.values() if prog_raw in (p.name_zh, p.name_en)), None)
        if prog is None:
            c.add(cells, row, "programme", "unknown_programme",
                  f"试点项目“{prog_raw}”未登记（已登记：{'、'.join(progs)}）",
                  f"programme '{prog_raw}' is not declared (declared: {', '.join(progs)})")
            bad = True
        name = _text(row.get("unit_name"))
        if not name:
            c.add(cells, row, "unit_name", "missing_value", "缺少试点地区或单位名称", "the pilot's area or unit name is missing")
            bad = True
        code = normalise_code(row.get("area_code"))
        if code is not None and not is_known_area(code):
            c.add(cells, row, "area_code", "unknown_area", f"区划代码“{code}”不是可识别的 GB/T 2260 代码",
                  f"area code '{code}' is not a GB/T 2260 code planmon can place")
            bad = True
        level = LEVEL_ALIASES.get(_text(row.get("level")).lower(), "")
        if not _text(row.get("level")):
            level = "institution" if code is None else ("province" if code.endswith("0000") else "city")
        elif not level:
            c.add(cells, row, "level", "unknown_level", f"层级“{_text(row.get('level'))}”无法识别（省级、地市级、区级、县级、单位、企业）",
                  f"level '{_text(row.get('level'))}' not understood (province, city, district, county, institution, enterprise)")
            bad = True
        batch_n = cell_number(row.get("batch")) if not _blank(row.get("batch")) else 1.0
        if batch_n is None or not batch_n.is_integer() or batch_n < 1:
            c.add(cells, row, "batch", "not_a_number", f"批次“{_text(row.get('batch'))}”不是正整数",
                  f"batch '{_text(row.get('batch'))}' is not a positive whole number")
            bad = True
        budget = None
        if not _blank(row.get("budget")):
            budget = cell_number(row.get("budget"))
            if budget is None:
                c.add(cells, row, "budget", "not_a_number", f"资金“{_text(row.get('budget'))}”不是数字（单位：万元）",
                      f"budget '{_text(row.get('budget'))}' is not a number (in 万元, 10,000 yuan)")
                bad = True
        days: dict[str, str | None] = {}
        for fld in ("start", "end", "state_date"):
            raw = row.get(fld)
            if _blank(raw):
                days[fld] = None
                if fld == "start":
                    c.add(cells, row, fld, "missing_value", "缺少开始日期", "the start date is missing")
                    bad = True
                continue
            days[fld] = parse_day(raw)
            if days[fld] is None:
                c.add(cells, row, fld, "bad_date", f"“{_text(raw)}”不是日期（如 2023、2023-05 或 2023-05-01）",
                      f"'{_text(raw)}' is not a date (e.g. 2023, 2023-05 or 2023-05-01)")
                bad = True
        start, end = days["start"], days["end"]
        if start and end and day_bounds(end)[1] < day_bounds(start)[0]:
            c.add(cells, row, "end", "end_before_start", f"结束日期 {end} 早于开始日期 {start}",
                  f"the end {end} is before the start {start}")
            bad = True
        state_raw = _text(row.get("state"))
        state = STATE_ALIASES.get(state_raw.lower()) or STATE_ALIASES.get(state_raw)
        if prog is not None and (state is None or state not in prog.states):
            allowed = "、".join(state_label(s) for s in prog.states)
            c.add(cells, row, "state", "state_not_allowed",
                  f"状态“{state_raw}”不符合“{prog.name_zh}”的规则（可用状态：{allowed}）",
                  f"state '{state_raw}' is not allowed by '{prog.name_en}' (its states: {', '.join(prog.states)})")
            bad = True
        if prog is None or bad or batch_n is None or state is None:
            continue
        batch = int(batch_n)
        pid = _text(row.get("pilot_id")) or pilot_id(prog.id, batch, code, name)
        if pid in seen:
            c.add(cells, row, "unit_name", "duplicate_pilot", f"试点 {pid}（{name}）在本文件第 {seen[pid]} 行已出现",
                  f"pilot {pid} ({name}) already appears in row {seen[pid]} of this file")
            continue
        seen[pid] = int(row["_row"])
        other = by_key.get((prog.id, code or name))
        if other is not None and other != pid:
            c.add(cells, row, "unit_name", "duplicate_pilot", f"{name} 已是“{prog.name_zh}”的试点（{other}）",
                  f"{name} is already a pilot of '{prog.name_en}' ({other})")
            continue
        cap = prog.cap_for(code)
        if budget is not None and cap is not None and budget > cap:
            c.add(cells, row, "budget", "over_cap", f"资金 {budget:g} 万元超过该项目对此类城市的上限 {cap:g} 万元",
                  f"budget {budget:g} (万元) is over the programme's cap of {cap:g} for this kind of city")
            bad = True
        cur = existing.get(pid)
        reason = _text(row.get("reason"))
        if not can_move(cur["state"] if cur else None, state, prog):
            if cur is None:
                entry = "、".join(state_label(s) for s in prog.entry_states)
                c.add(cells, row, "state", "skipped_state",
                      f"新试点不能以“{state_label(state)}”登记（应从 {entry} 开始，不得跳过环节）",
                      f"a new pilot cannot enter as '{state}' (it starts as {', '.join(prog.entry_states)}; no step may be skipped)")
            else:
                c.add(cells, row, "state", "skipped_state",
                      f"试点 {pid} 当前为“{state_label(cur['state'])}”，不能直接变为“{state_label(state)}”（不得跳过环节）",
                      f"pilot {pid} is '{cur['state']}' now and cannot go to '{state}' directly (no step may be skipped)")
            continue
        if bad:
            continue
        if cur is not None and cur["state"] != state and not reason:
            c.add(cells, row, "reason", "missing_reason", f"试点 {pid} 的状态由“{state_label(cur['state'])}”变为“{state_label(state)}”，须说明理由",
                  f"pilot {pid} changes from '{cur['state']}' to '{state}': a reason is needed")
            continue
        since = days["state_date"] or (cur["state_since"] if cur and cur["state"] == state else start) or ""
        keep = cur or {}
        out.append({
            "id": pid, "programme_id": prog.id, "batch": batch, "unit_name": name, "area_code": code, "level": level,
            "theme": _text(row.get("theme")), "start": start, "end": end, "goals": _text(row.get("goals")),
            "budget": budget, "state": state, "state_since": since, "source": _text(row.get("source")),
            "url": _text(row.get("url")), "quality": keep.get("quality", ""), "partial": bool(keep.get("partial", False)),
            "illustrative": bool(keep.get("illustrative", False)), "_reason": reason,
        })
    tout: list[dict[str, Any]] = []
    if tcells is not None:
        tout = _check_targets(c, tcells, progs, existing, out)
    return out, tout, c.findings


def _check_targets(c: _Checker, cells: Cells, progs: dict[str, Programme], existing: dict[str, dict[str, Any]],
                   rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    known = {**{k: v["programme_id"] for k, v in existing.items()}, **{r["id"]: r["programme_id"] for r in rows}}
    out = []
    for row in cells.rows:
        pid = _text(row.get("pilot_id"))
        if pid not in known:
            c.add(cells, row, "pilot_id", "unknown_pilot", f"试点“{pid}”既不在本文件也不在名录中",
                  f"pilot '{pid}' is neither in this file nor in the registry")
            continue
        prog = progs[known[pid]]
        ind = _text(row.get("indicator"))
        if ind not in {i.id for i in prog.indicators}:
            c.add(cells, row, "indicator", "unknown_indicator",
                  f"“{prog.name_zh}”的评价不含指标“{ind}”（可用：{'、'.join(i.id for i in prog.indicators)}）",
                  f"the evaluation of '{prog.name_en}' has no indicator '{ind}' (it has: {', '.join(i.id for i in prog.indicators)})")
            continue
        rec: dict[str, Any] = {"pilot_id": pid, "indicator_id": ind}
        ok = True
        for fld in ("baseline", "target"):
            v = row.get(fld)
            if _blank(v) and fld == "baseline":
                rec[fld] = None
                continue
            num = cell_number(v) if not _blank(v) else None
            if num is None:
                c.add(cells, row, fld, "not_a_number" if not _blank(v) else "missing_value",
                      f"“{_text(v)}”不是数字" if not _blank(v) else "缺少目标值",
                      f"'{_text(v)}' is not a number" if not _blank(v) else "the target is missing")
                ok = False
            rec[fld] = num
        for fld in ("baseline_period", "target_period"):
            v = _text(row.get(fld))
            if not v and fld == "baseline_period":
                rec[fld] = None
                continue
            try:
                rec[fld] = str(Period.parse(v))
            except PeriodError:
                c.add(cells, row, fld, "bad_date", f"“{v}”不是期别（如 2024）", f"'{v}' is not a period (e.g. 2024)")
                ok = False
        if ok:
            out.append(rec)
    return out


def import_registry(store: Store, path: Path, actor: str, limits: Limits | None = None) -> RegistryImport:
    """Check then write one workbook (or CSV) of pilots and targets; nothing is written on any finding."""
    path = Path(path)
    result = RegistryImport(ok=False, file=path.name)
    try:
        check_file(path, limits)
        cells, tcells = read_workbook(path)
    except Refused as exc:
        f = exc.finding
        result.findings.append(RegistryFinding(f.file, f.sheet, f.row, f.column, f.field, f.value, f.rule,
                                               f.message_zh, f.message_en))
        return result
    except Exception as exc:  # openpyxl and csv raise many kinds on a broken file
        result.findings.append(RegistryFinding(path.name, "", None, "", "", "", "unreadable",
                                               f"无法读取文件：{exc}", f"cannot read the file: {exc}"))
        return result
    ensure_registry(store)
    with store.engine.connect() as conn:
        progs = load_programmes(conn)
        existing = {r["id"]: dict(r) for r in conn.execute(select(pilots)).mappings()}
    rows, trows, findings = check_rows(cells, tcells, progs, existing, path.name)
    result.findings = findings
    if findings:
        return result
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with store.engine.begin() as conn:
        for r in rows:
            reason = r.pop("_reason")
            cur = existing.get(r["id"])
            changed_state = cur is not None and cur["state"] != r["state"]
            outcome = write_pilot(conn, r, actor, reason=reason or f"import {path.name}", origin=f"import:{path.name}")
            setattr(result, outcome, getattr(result, outcome) + 1)
            result.transitions += int(changed_state)
        now = audit.now()
        for t in trows:
            key = (pilot_targets.c.pilot_id == t["pilot_id"]) & (pilot_targets.c.indicator_id == t["indicator_id"])
            cur_t = conn.execute(select(pilot_targets).where(key)).mappings().first()
            vals = {k: t[k] for k in ("baseline_period", "baseline", "target_period", "target")}
            if cur_t is not None and {k: cur_t[k] for k in vals} == vals:
                continue
            if cur_t is None:
                conn.execute(pilot_targets.insert().values(**t, updated_at=now, updated_by=actor))
            else:
                conn.execute(pilot_targets.update().where(key).values(**vals, updated_at=now, updated_by=actor))
            audit.record(conn, actor, "pilot.target", "pilot_targets", f"{t['pilot_id']}/{t['indicator_id']}",
                         before={k: cur_t[k] for k in vals} if cur_t else None, after=vals)
            result.targets += 1
        audit.record(conn, actor, "pilots.import", "pilots", path.name,
                     after={"sha256": sha, **{k: v for k, v in result.to_dict().items() if k in
                                              ("added", "revised", "unchanged", "targets", "transitions")}})
    result.ok = True
    return result


def refusal_message(result: RegistryImport) -> Message:
    n = len(result.findings)
    return Message(f"名录文件有 {n} 处错误，未导入任何内容", f"{n} problem(s) in the registry file; nothing was imported")
