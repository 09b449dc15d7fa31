"""Import files as submissions: all or nothing, idempotent, every write audited.

All files of one call are read, checked against the framework and against what is
already accepted, and only then written, in one database transaction: any error
finding (or a warning without a stated reason) and nothing is written; a process
killed in the middle leaves the database as it was, because the transaction never
commits. Each file becomes one submission (state ``submitted``, its values
``pending`` until a reviewer accepts them); a file already imported (same SHA-256,
not returned) adds nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from planmon.collect import validate
from planmon.collect.readers import ReadError, read_file, records_frame
from planmon.collect.rules import Finding
from planmon.collect.safety import Limits, Refused, check_file
from planmon.framework import BUILTIN_DEFAULT
from planmon.store import audit
from planmon.store.observations import write_observation_frame
from planmon.store.tables import submissions

WARNING_RULES = ("series_break", "duplicate_series", "national_total", "revises_accepted")


@dataclass
class ImportResult:
    """What an import did (or would have done): ``ok`` is False when anything blocked it."""

    ok: bool
    findings: list[Finding] = field(default_factory=list)
    submission_ids: list[int] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rows: int = 0
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    already_imported: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "files": self.files, "rows": self.rows, "added": self.added, "revised": self.revised,
            "unchanged": self.unchanged, "submission_ids": self.submission_ids,
            "already_imported": self.already_imported, "errors": len(self.errors), "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def reason_for(reasons: dict[str, str], rule: str, key: str) -> str | None:
    """A warning passes with a reason given for its key (``I01/330000/2024``), its rule, or ``*``."""
    return reasons.get(key) or reasons.get(rule) or reasons.get("*")


@dataclass
class Source:
    """One input of an import (a file, or the JSON rows of one API call) as raw rows."""

    name: str
    kind: str  # xlsx | csv | json | api
    sha256: str
    frame: pd.DataFrame


def import_files(
    store: Any,
    paths: list[Path],
    actor: str,
    *,
    framework_id: str = BUILTIN_DEFAULT,
    reasons: dict[str, str] | None = None,
    auto_accept: bool = False,
    limits: Limits | None = None,
    options: validate.Options | None = None,
    scope: Iterable[str] | None = None,
) -> ImportResult:
    """Check then write ``paths`` as submissions; see the module docstring.

    ``scope``: the units the uploader may report for (``None``: any). A file naming any other unit is
    refused whole, with an ``outside_scope`` finding on each such row.
    """
    paths = [Path(p) for p in paths]
    result = ImportResult(ok=False, files=[p.name for p in paths])
    fw = store.framework(framework_id)
    sources: list[Source] = []
    for p in paths:
        try:  # hostile files are refused before anything else is loaded
            check_file(p, limits)
        except Refused as exc:
            result.findings.append(exc.finding)
            continue
        try:
            table = read_file(p)
        except ReadError as exc:
            result.findings.append(exc.finding)
            continue
        result.findings += table.findings
        if table.template and table.template.get("framework_id") not in (None, fw.plan.id):
            result.findings.append(Finding(p.name, "_planmon", None, "", "framework_id", table.template["framework_id"],
                                           "template_tampered",
                                           f"此模板属于框架 {table.template['framework_id']}，不是 {fw.plan.id}",
                                           f"this template belongs to framework {table.template['framework_id']}, not {fw.plan.id}"))
        kind = {".xlsx": "xlsx", ".xltx": "xlsx", ".json": "json"}.get(p.suffix.lower(), "csv")
        sources.append(Source(p.name, kind, sha256_file(p), table.frame))
    return _import(store, fw, sources, result, actor, reasons=reasons, auto_accept=auto_accept, options=options,
                   scope=scope)


def import_rows(
    store: Any,
    records: list[dict[str, Any]],
    actor: str,
    *,
    name: str = "api",
    framework_id: str = BUILTIN_DEFAULT,
    reasons: dict[str, str] | None = None,
    auto_accept: bool = False,
    options: validate.Options | None = None,
    scope: Iterable[str] | None = None,
) -> ImportResult:
    """Import JSON records (``indicator, unit, period, value`` and optionally ``status, source, note, measure``)
    exactly as a file: the same rules, findings (row = record number from 1, column = key), all-or-nothing
    transaction, submissions and review. ``name`` labels the findings and the submission."""
    result = ImportResult(ok=False, files=[name])
    fw = store.framework(framework_id)
    payload = json.dumps(records, sort_keys=True, ensure_ascii=False, default=str).encode()
    source = Source(name, "api", hashlib.sha256(payload).hexdigest(), records_frame(records))
    return _import(store, fw, [source], result, actor, reasons=reasons, auto_accept=auto_accept, options=options,
                   scope=scope)


def _import(store: Any, fw: Any, sources: list[Source], result: ImportResult, actor: str, *,
            reasons: dict[str, str] | None, auto_accept: bool, options: validate.Options | None,
            scope: Iterable[str] | None) -> ImportResult:
    """The one write path: validate every source together, then write one submission per source and unit."""
    reasons = {k: v for k, v in (reasons or {}).items() if v and v.strip()}
    opts = options or validate.Options()
    if scope is not None:
        opts = replace(opts, scope=frozenset(scope))
    frames = []
    for n, src in enumerate(sources):
        frame = src.frame.copy()
        frame.insert(0, "file", src.name)
        frame["_src"] = n
        frames.append(frame)
    raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    result.rows = len(raw)
    current = store.current_observations(fw.plan.id)
    checked = validate.check(raw, fw, current, opts, denominators=_denominators(store, fw)) if len(raw) else None
    if checked is not None:
        result.findings += checked.findings
    blocked = [f for f in result.findings if f.is_error]
    unexplained = [f for f in result.findings if not f.is_error
                   and reason_for(reasons, f.rule, _key_of(f, checked)) is None]
    if blocked or unexplained:
        return result
    if checked is None:
        result.ok = True
        return result

    frame = checked.frame
    frame["reason"] = _row_reasons(frame, checked.warned, reasons)
    state = "accepted" if auto_accept else "pending"
    with store.engine.begin() as conn:
        for n, src in enumerate(sources):
            mine = frame[frame["_src"] == n]
            if mine.empty:
                continue
            done = conn.execute(
                select(submissions.c.id).where(submissions.c.framework_id == fw.plan.id,
                                               submissions.c.file_sha256 == src.sha256,
                                               submissions.c.state.in_(("submitted", "accepted")))
            ).first()
            if done is not None:
                result.already_imported.append(src.name)
                result.unchanged += len(mine)
                continue
            # a submission belongs to exactly one reporting unit: a multi-unit file (staff only, the
            # scope check refused it for a reporter) becomes one submission per unit, each reviewed as its own
            for unit in pd.unique(mine["unit"]):
                rows = mine[mine["unit"] == unit]
                sid = _create_submission(conn, fw.plan.id, src, rows, actor, auto_accept, result, reasons)
                w = write_observation_frame(conn, fw.plan.id, rows, actor, state=state, submission_id=sid,
                                            audit_action="observation.import")
                result.added += w.added
                result.revised += w.revised
                result.unchanged += w.unchanged
                if w.added + w.revised == 0:
                    conn.execute(submissions.delete().where(submissions.c.id == sid))
                    continue
                conn.execute(submissions.update().where(submissions.c.id == sid).values(rows=w.added + w.revised))
                audit.record(conn, actor, "submission.create", "submissions", str(sid), before=None,
                             after={"state": "accepted" if auto_accept else "submitted", "file": src.name,
                                    "unit": str(unit), "rows": w.added + w.revised, "sha256": src.sha256})
                result.submission_ids.append(sid)
    result.ok = True
    return result


def _denominators(store: Any, fw: Any) -> pd.DataFrame | None:
    """The denominators the framework's plausibility bounds need (population …), or None when none do."""
    names = sorted({x.plausible.max_per.denominator for x in fw.indicators
                    if x.plausible is not None and x.plausible.max_per is not None})
    if not names or not hasattr(store, "denominators"):
        return None
    frame: pd.DataFrame = store.denominators(names)
    return frame


def _key_of(f: Finding, checked: validate.Checked | None) -> str:
    if checked is None or f.row is None:
        return ""
    fr = checked.frame
    hit = fr[(fr["file"] == f.file) & (fr["sheet"] == f.sheet) & (fr["row"] == f.row)]
    if hit.empty:
        return ""
    r = hit.iloc[0]
    return f"{r['indicator']}/{r['unit']}/{r['period']}"


def _row_reasons(frame: pd.DataFrame, warned: pd.DataFrame | None, reasons: dict[str, str]) -> np.ndarray:
    out = np.full(len(frame), "", dtype=object)
    if warned is None or not warned.to_numpy().any():
        return out
    for i in np.flatnonzero(warned.to_numpy().any(axis=1)):
        r = frame.iloc[i]
        key = f"{r['indicator']}/{r['unit']}/{r['period']}"
        flags = warned.iloc[int(i)]
        texts = [reason_for(reasons, str(rule), key) for rule in warned.columns if bool(flags[rule])]
        out[i] = "; ".join(dict.fromkeys(t for t in texts if t))
    return out


def _create_submission(conn: Any, framework_id: str, src: Source, rows: pd.DataFrame, actor: str,
                       auto_accept: bool, result: ImportResult, reasons: dict[str, str]) -> int:
    units = pd.unique(rows["unit"])
    periods = pd.unique(rows["period"])
    at = {(str(sh), _as_int(r)): f"{i}/{u}/{p}" for sh, r, i, u, p in
          zip(rows["sheet"], rows["row"], rows["indicator"], rows["unit"], rows["period"], strict=True)}
    warnings = [{**f.to_dict(), "key": at[(f.sheet, f.row)]} for f in result.warnings
                if f.file == src.name and (f.sheet, f.row) in at]
    now = audit.now()
    values: dict[str, Any] = {
        "framework_id": framework_id, "unit_id": str(units[0]),
        "period": str(periods[0]) if len(periods) == 1 else None,
        "state": "accepted" if auto_accept else "submitted", "source_kind": src.kind, "filename": src.name,
        "file_sha256": src.sha256, "rows": len(rows),
        "report": {"warnings": warnings[:1000], "reasons": reasons,
                   "units": [str(u) for u in units[:100]], "periods": [str(p) for p in periods[:100]]},
        "created_at": now, "created_by": actor, "comment": "",
    }
    if auto_accept:
        values.update(reviewed_at=now, reviewed_by=actor, comment="auto-accepted on import")
    res = conn.execute(submissions.insert().values(**values))
    return int(res.inserted_primary_key[0])


def _as_int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None
