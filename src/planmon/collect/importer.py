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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from planmon.collect import validate
from planmon.collect.readers import ReadError, read_file
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
) -> ImportResult:
    """Check then write ``paths`` as submissions; see the module docstring."""
    reasons = {k: v for k, v in (reasons or {}).items() if v and v.strip()}
    paths = [Path(p) for p in paths]
    result = ImportResult(ok=False, files=[p.name for p in paths])
    refused: set[int] = set()
    for n, p in enumerate(paths):  # hostile files are refused before anything else is loaded
        try:
            check_file(p, limits)
        except Refused as exc:
            result.findings.append(exc.finding)
            refused.add(n)
    fw = store.framework(framework_id)
    frames: list[pd.DataFrame] = []
    shas: dict[int, str] = {}
    kinds: dict[int, str] = {}
    for n, p in enumerate(paths):
        if n in refused:
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
        frame = table.frame
        frame.insert(0, "file", p.name)
        frame["_src"] = n
        frames.append(frame)
        shas[n] = sha256_file(p)
        kinds[n] = {".xlsx": "xlsx", ".xltx": "xlsx", ".json": "json"}.get(p.suffix.lower(), "csv")
    raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    result.rows = len(raw)
    current = store.current_observations(framework_id)
    checked = validate.check(raw, fw, current, options) if len(raw) else None
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
        for n, p in enumerate(paths):
            if n not in shas:
                continue
            done = conn.execute(
                select(submissions.c.id).where(submissions.c.framework_id == fw.plan.id,
                                               submissions.c.file_sha256 == shas[n],
                                               submissions.c.state.in_(("submitted", "accepted")))
            ).first()
            if done is not None:
                result.already_imported.append(p.name)
                result.unchanged += int((frame["_src"] == n).sum())
                continue
            rows = frame[frame["_src"] == n]
            sid = _create_submission(conn, fw.plan.id, p, shas[n], kinds[n], rows, actor, auto_accept, result,
                                     reasons)
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
                         after={"state": "accepted" if auto_accept else "submitted", "file": p.name,
                                "rows": w.added + w.revised, "sha256": shas[n]})
            result.submission_ids.append(sid)
    result.ok = True
    return result


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


def _create_submission(conn: Any, framework_id: str, path: Path, sha: str, kind: str, rows: pd.DataFrame,
                       actor: str, auto_accept: bool, result: ImportResult, reasons: dict[str, str]) -> int:
    units = pd.unique(rows["unit"])
    periods = pd.unique(rows["period"])
    now = audit.now()
    values: dict[str, Any] = {
        "framework_id": framework_id, "unit_id": str(units[0]) if len(units) == 1 else None,
        "period": str(periods[0]) if len(periods) == 1 else None,
        "state": "accepted" if auto_accept else "submitted", "source_kind": kind, "filename": path.name,
        "file_sha256": sha, "rows": len(rows),
        "report": {"warnings": [f.to_dict() for f in result.warnings if f.file == path.name][:1000],
                   "reasons": reasons,
                   "units": [str(u) for u in units[:100]], "periods": [str(p) for p in periods[:100]]},
        "created_at": now, "created_by": actor, "comment": "",
    }
    if auto_accept:
        values.update(reviewed_at=now, reviewed_by=actor, comment="auto-accepted on import")
    res = conn.execute(submissions.insert().values(**values))
    return int(res.inserted_primary_key[0])
