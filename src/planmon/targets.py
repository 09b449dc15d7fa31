"""Targets per unit (own plan, decomposed) and basis declarations: template, import, export (目标分解与对比口径).

A target file has one row per indicator × unit × target period::

    indicator, unit, period, kind, value, baseline_period, baseline_value, source, note

``kind`` is ``own_plan`` or ``decomposed`` with a ``value``, or a basis declaration without one
(``national_target`` — only for an intensive indicator —, ``national_pace``, ``none``). An import is
all or nothing: every finding (unknown unit or indicator, a target period not after the baseline,
``national_target`` on a count, a duplicated key, a value that is not a number, a period not of the
indicator's frequency, a unit outside the uploader's scope) is reported with its file, sheet, row and
column in zh and en, and nothing is written. A changed row becomes the next revision with its reason;
the audit log records before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from planmon.framework import BUILTIN_DEFAULT
from planmon.framework.model import Framework
from planmon.framework.targets import ALL_KINDS, BASIS_WORDS, TARGET_KINDS, target_findings
from planmon.i18n import Message
from planmon.periods import Period, PeriodError
from planmon.refusal import Refusal
from planmon.spreadsheet import neutralise
from planmon.store import Store, WriteResult
from planmon.store.targets import TARGET_COLUMNS, write_targets

FILE_COLUMNS = ["indicator", "unit", "period", "kind", "value", "baseline_period", "baseline_value", "source", "note"]
#: Chinese headers a filled template may carry instead of the keys.
ALIASES = {"指标": "indicator", "单位": "unit", "目标期": "period", "类型": "kind", "目标值": "value",
           "基期": "baseline_period", "基期值": "baseline_value", "来源": "source", "备注": "note"}
SHEET = "targets"


@dataclass
class Finding:
    file: str
    sheet: str
    row: int
    column: str
    code: str
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        where = f"{self.file}" + (f"，工作表“{self.sheet}”" if self.sheet and lang == "zh" else
                                  f", sheet '{self.sheet}'" if self.sheet else "")
        if lang == "zh":
            return f"{where}，第 {self.row} 行，“{self.column}”列：{self.zh}"
        return f"{where}, row {self.row}, column '{self.column}': {self.en}"


@dataclass
class TargetsRejected(Refusal):
    code = "targets_rejected"

    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        Refusal.__init__(self, [Message(f.text("zh"), f.text("en")) for f in self.findings],
                         text="; ".join(f.text("en") for f in self.findings))

    @property
    def messages_zh(self) -> list[str]:
        return [f.text("zh") for f in self.findings]

    @property
    def messages_en(self) -> list[str]:
        return [f.text("en") for f in self.findings]


def read_target_file(path: str | Path) -> tuple[pd.DataFrame, str]:
    """Rows of a CSV or XLSX target file as text (keys or Chinese headers), with the sheet name read."""
    p = Path(path)
    sheet = ""
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        wb = load_workbook(p, read_only=True, data_only=True)
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        sheet = ws.title
        rows = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
        wb.close()
        header = [str(h).strip() for h in (rows[0] if rows else [])]
        body = [r for r in rows[1:] if any(str(v).strip() for v in r)]
        df = pd.DataFrame(body, columns=header) if header else pd.DataFrame()
    else:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [ALIASES.get(str(c).strip(), str(c).strip().lower()) for c in df.columns]
    return df, sheet


def check_targets(frame: pd.DataFrame, fw: Framework, *, scope: set[str] | None = None, file: str = "",
                  sheet: str = "") -> tuple[list[dict[str, Any]], list[Finding]]:
    """(clean rows, findings) for a target table; rows are numbered as in a spreadsheet (header = row 1)."""
    findings: list[Finding] = []

    def add(row: int, col: str, code: str, zh: str, en: str) -> None:
        findings.append(Finding(file, sheet, row, col, code, zh, en))

    missing = [c for c in ("indicator", "unit", "period", "kind") if c not in frame.columns]
    for c in missing:
        add(1, c, "missing_column", "缺少该列", "the column is missing")
    if missing:
        return [], findings
    inds = {i.id: i for i in fw.indicators}
    unit_ids = {u.id for u in fw.units}
    seen: dict[tuple[str, str, str], int] = {}
    rows: list[dict[str, Any]] = []
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for n, rec in enumerate(records):
        row = n + 2
        ind_id = str(rec.get("indicator", "")).strip()
        unit = str(rec.get("unit", "")).strip().removesuffix(".0")
        kind = str(rec.get("kind", "")).strip()
        raw_period = str(rec.get("period", "")).strip().removesuffix(".0")
        period: str | None = None
        try:
            period = str(Period.parse(raw_period))
        except PeriodError as exc:
            add(row, "period", "bad_period", exc.message_zh, exc.message_en)
        base_raw = str(rec.get("baseline_period", "") or "").strip().removesuffix(".0")
        base_period: str | None = None
        if base_raw:
            try:
                base_period = str(Period.parse(base_raw))
            except PeriodError as exc:
                add(row, "baseline_period", "bad_period", exc.message_zh, exc.message_en)
        for col, code, zh, en in target_findings(inds.get(ind_id), ind_id, unit, unit_ids, kind, period, base_period):
            add(row, col, code, zh, en)
        if scope is not None and unit in unit_ids and unit not in scope:
            add(row, "unit", "out_of_scope", f"单位“{unit}”不在您的授权范围内（{'、'.join(sorted(scope)) or '无'}）",
                f"unit '{unit}' is outside your scope ({', '.join(sorted(scope)) or 'none'})")
        values: dict[str, float | None] = {}
        for col in ("value", "baseline_value"):
            text = str(rec.get(col, "") or "").strip().replace(",", "")
            if not text:
                values[col] = None
                continue
            try:
                v = float(text)
                if v != v or v in (float("inf"), float("-inf")):
                    raise ValueError
                values[col] = v
            except ValueError:
                add(row, col, "not_a_number", f"“{rec.get(col)}”不是数值", f"'{rec.get(col)}' is not a number")
                values[col] = float("nan")
        if kind in TARGET_KINDS and values["value"] is None:
            add(row, "value", "missing_value", f"类型 {kind} 需要目标值", f"kind {kind} needs a target value")
        if kind in ALL_KINDS and kind not in TARGET_KINDS and values["value"] is not None:
            add(row, "value", "value_on_basis", f"类型 {kind} 是对比口径声明，不应填写目标值",
                f"kind {kind} declares a basis and takes no target value")
        if (values["baseline_value"] is None) != (base_period is None) and not (base_raw and base_period is None):
            add(row, "baseline_value" if base_period else "baseline_period", "baseline_pair",
                "基期和基期值须同时填写或同时留空", "baseline period and baseline value go together")
        if period is not None:
            key = (ind_id, unit, period)
            if key in seen:
                add(row, "period", "duplicate", f"与第 {seen[key]} 行重复（{ind_id}/{unit}/{period}）",
                    f"duplicates row {seen[key]} ({ind_id}/{unit}/{period})")
            seen.setdefault(key, row)
        rows.append({"indicator": ind_id, "unit": unit, "period": period, "kind": kind, "value": values["value"],
                     "baseline_period": base_period, "baseline_value": values["baseline_value"],
                     "source": str(rec.get("source", "") or "").strip(), "note": str(rec.get("note", "") or "").strip(),
                     "illustrative": str(rec.get("illustrative", "") or "").strip().lower() in ("1", "true", "yes", "是")})
    return rows, findings


def import_targets(store: Store, path: str | Path, actor: str, *, framework_id: str = BUILTIN_DEFAULT,
                   scope: set[str] | None = None, reason: str = "") -> WriteResult:
    """Import a target file in one transaction, or refuse it whole with :class:`TargetsRejected`."""
    p = Path(path)
    frame, sheet = read_target_file(p)
    return write_target_frame(store, frame, actor, framework_id=framework_id, scope=scope, reason=reason,
                              file=p.name, sheet=sheet)


def write_target_frame(store: Store, frame: pd.DataFrame, actor: str, *, framework_id: str = BUILTIN_DEFAULT,
                       scope: set[str] | None = None, reason: str = "", file: str = "", sheet: str = "",
                       audit_action: str = "target.import") -> WriteResult:
    """Check and write target rows (a DataFrame with :data:`FILE_COLUMNS`): all or nothing."""
    fw = store.framework(framework_id)
    rows, findings = check_targets(frame, fw, scope=scope, file=file, sheet=sheet)
    if findings:
        raise TargetsRejected(findings)
    with store.engine.begin() as conn:
        return write_targets(conn, framework_id, rows, actor, reason=reason, audit_action=audit_action)


def export_targets(store: Store, path: str | Path, *, framework_id: str = BUILTIN_DEFAULT,
                   unit: str | None = None) -> int:
    """Write the current targets as CSV or XLSX (the import format; cells neutralised against formulas)."""
    df = store.targets(framework_id, unit=unit)
    out = df[[c for c in TARGET_COLUMNS if c != "revision"]].copy()
    out = out.astype(object).where(out.notna(), None)
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = SHEET
        ws.append(list(out.columns))
        for r in out.itertuples(index=False):
            ws.append([neutralise(v) for v in r])
        wb.save(p)
    else:
        out.map(neutralise).to_csv(p, index=False, encoding="utf-8-sig")
    return len(out)


def write_template(store: Store, path: str | Path, *, framework_id: str = BUILTIN_DEFAULT,
                   units: list[str] | None = None) -> Path:
    """An Excel form: one row per indicator × unit with the indicator's declared basis, kinds as a drop-down."""
    fw = store.framework(framework_id)
    chosen = units or [u.id for u in fw.provinces()]
    current = store.targets(framework_id)
    have = {(r.indicator, r.unit): r for r in current.itertuples()}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append([*FILE_COLUMNS, "illustrative", "indicator_name", "unit_name", "declared_basis"])
    names = {u.id: u.name_zh for u in fw.units}
    for uid in chosen:
        for ind in fw.indicators:
            if ind.target is None:
                continue
            r = have.get((ind.id, uid))
            ws.append([ind.id, uid, getattr(r, "period", None) or ind.target.period, getattr(r, "kind", None) or "",
                       getattr(r, "value", None), getattr(r, "baseline_period", None),
                       getattr(r, "baseline_value", None), getattr(r, "source", "") or "", "", "",
                       neutralise(ind.name_zh), neutralise(names.get(uid, uid)),
                       f"{ind.regional_basis}：{BASIS_WORDS[ind.regional_basis][0]}"])
    dv = DataValidation(type="list", formula1='"' + ",".join(ALL_KINDS) + '"', allow_blank=True)
    dv.add(f"D2:D{ws.max_row + 1}")
    ws.add_data_validation(dv)
    for col, width in zip("ABCDEFGHIJKLM", (9, 9, 8, 16, 10, 10, 10, 30, 20, 8, 30, 12, 28), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    info = wb.create_sheet("说明 Instructions")
    lines = [
        ("每行一个指标×单位×目标期。类型 kind：own_plan（本级规划目标）、decomposed（上级分解目标）需填目标值；"
         "national_target（对标全国目标，仅限比率类指标）、national_pace（按全国目标增速推算）、none（不设目标）为对比口径声明，不填目标值。"),
        ("One row per indicator × unit × target period. kind own_plan / decomposed takes a target value; "
         "national_target (rates only), national_pace and none declare the comparison basis and take no value."),
        "基期、基期值可选：本单位规划的起点与全国基期不同时填写。 Baseline period and value are optional.",
        "来源 source：发布单位与文件名（如“浙江省数字经济发展“十四五”规划”）。 Cite the publisher and document.",
        "导入：planmon targets import FILE.xlsx --reason \"…\"（全部或全不）。 Import is all or nothing.",
    ]
    for line in lines:
        info.append([line])
    info.column_dimensions["A"].width = 140
    p = Path(path)
    wb.save(p)
    return p


__all__ = ["FILE_COLUMNS", "Finding", "TargetsRejected", "check_targets", "export_targets", "import_targets",
           "read_target_file", "write_target_frame", "write_template"]
