"""What the pages and the REST API *do*: scope checks, then one call into the library.

Both routers call these functions, so a rule (a reporter acts only for its units;
unaccepted submissions are seen only by their unit and reviewers) is written once.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request, UploadFile

from planmon.auth import UserError
from planmon.auth.permissions import SEES_ALL_SUBMISSIONS
from planmon.i18n import Message
from planmon.periods import Period, PeriodError
from planmon.store import NewObservation, audit
from planmon.store.observations import write_observations
from planmon.store.tables import submissions
from planmon.web import services
from planmon.web.security import Principal, client_ip, deny, require_unit, scope_of
from planmon.web.views import unit_name

log = logging.getLogger(__name__)
REPORT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")


def audit_login(request: Request, username: str, action: str) -> None:
    with request.app.state.store.engine.begin() as conn:
        audit.record(conn, f"web:{username[:80]}", action, "session", username[:200], detail=client_ip(request))


def has_collect() -> bool:
    return True  # collection is part of the library


def check_units(request: Request, unit_ids: list[str]) -> None:
    known = {u.id for u in request.app.state.framework.units}
    bad = [u for u in unit_ids if u not in known]
    if bad:
        raise UserError(Message(f"未知单位：{', '.join(bad)}", f"unknown unit(s): {', '.join(bad)}"))


def my_units(request: Request, who: Principal) -> list[dict[str, str]]:
    """The units this user may act for, for the forms' select lists."""
    fw = request.app.state.framework
    scope = scope_of(request, who)
    lang = str(request.state.lang)
    return [{"id": u.id, "name": unit_name(fw, u.id, lang)} for u in fw.units if scope is None or u.id in scope]


def _visible(request: Request, who: Principal, sub: dict[str, Any]) -> bool:
    if who.user.role in SEES_ALL_SUBMISSIONS:
        return True
    scope = scope_of(request, who)
    return scope is None or sub.get("unit_id") in scope or sub.get("created_by") in (who.actor, who.user.username)


def visible_submissions(request: Request, who: Principal, unit: str | None = None,
                        state: str | None = None) -> list[dict[str, Any]]:
    subs = services.list_submissions(request.app.state.store, unit=unit, state=state)
    fw = request.app.state.framework
    lang = str(request.state.lang)
    return [{**s, "unit_name": unit_name(fw, str(s.get("unit_id") or ""), lang)} for s in subs
            if _visible(request, who, s)]


def one_submission(request: Request, who: Principal, submission_id: int) -> dict[str, Any]:
    sub = services.get_submission(request.app.state.store, submission_id)
    if sub is None:
        raise HTTPException(404, detail=f"no submission {submission_id}")
    if not _visible(request, who, sub):
        raise deny(request, who, "submissions.read", detail=f"submission {submission_id} of another unit")
    return sub


def _period_ok(period: str) -> str:
    try:
        return str(Period.parse(period))
    except PeriodError as exc:
        raise HTTPException(422, detail={"field": "period", "message_zh": exc.message_zh,
                                         "message_en": exc.message_en}) from exc


def template_file(request: Request, who: Principal, unit: str, period: str) -> Path:
    require_unit(request, who, unit, "submissions.submit")
    fw = request.app.state.framework
    period = _period_ok(period)
    folder = Path(tempfile.mkdtemp(prefix="planmon-template-"))
    name = f"planmon-{unit}-{period}.xlsx"
    return services.make_template(request.app.state.store, unit, period, folder / name, fw.plan.id)


async def upload(request: Request, who: Principal, files: list[UploadFile], unit: str) -> dict[str, Any]:
    """Import uploaded forms for ``unit`` (in scope); findings come back for inline display."""
    require_unit(request, who, unit, "submissions.submit")
    limit = request.app.state.max_upload
    folder = Path(tempfile.mkdtemp(prefix="planmon-upload-"))
    paths = []
    for f in files:
        body = await f.read(limit + 1)
        if len(body) > limit:
            raise HTTPException(413, detail={"code": "too_large", "limit": limit,
                                             "message_zh": "上传内容过大", "message_en": "upload too large"})
        safe = Path(f.filename or "upload.xlsx").name or "upload.xlsx"
        path = folder / safe
        path.write_bytes(body)
        paths.append(path)
    store = request.app.state.store
    try:
        result = services.import_files(store, paths, who.actor, framework_id=request.app.state.framework.plan.id)
    except Exception as exc:  # an untrusted file the reader could not take (not a workbook, zip bomb…)
        shutil.rmtree(folder, ignore_errors=True)
        log.warning("upload refused: %s: %s", type(exc).__name__, exc, exc_info=True)
        raise refusal(exc, 422) from exc
    out: dict[str, Any] = dict(result.to_dict()) if hasattr(result, "to_dict") else {"ok": bool(result.ok)}
    out.setdefault("findings", [f.to_dict() for f in getattr(result, "findings", [])])
    ids = list(getattr(result, "submission_ids", []) or [])
    out.setdefault("submission_ids", ids)
    shutil.rmtree(folder, ignore_errors=True)
    # a file naming another unit than the one chosen: the rows are refused and the attempt logged
    for sid in ids:
        sub = services.get_submission(store, sid)
        if sub and sub.get("unit_id") and not _in_scope(request, who, str(sub["unit_id"])):
            services.return_submission(store, sid, who.actor, "outside the uploader's units / 超出填报单位范围")
            raise deny(request, who, "submissions.submit", detail=f"file for unit {sub['unit_id']}")
    return out


def _in_scope(request: Request, who: Principal, unit: str) -> bool:
    scope = scope_of(request, who)
    return scope is None or unit in scope


def review(request: Request, who: Principal, submission_id: int, decision: str, comment: str) -> Any:
    sub = one_submission(request, who, submission_id)
    store = request.app.state.store
    if decision != "accept" and not comment.strip():
        raise HTTPException(422, detail={"field": "comment", "message_zh": "退回须填写意见",
                                         "message_en": "a return needs a comment"})
    try:
        if decision == "accept":
            return services.accept(store, int(sub["id"]), who.actor, comment=comment)
        return services.return_submission(store, int(sub["id"]), who.actor, comment)
    except (ValueError, LookupError) as exc:  # e.g. already reviewed: the workflow refuses
        raise refusal(exc, 409) from exc


def refusal(exc: Exception, status: int) -> HTTPException:
    """A library's refusal as an HTTP error, in both languages when the library gave both."""
    zh = getattr(exc, "message_zh", None) or getattr(getattr(exc, "message", None), "zh", None) or str(exc)
    en = getattr(exc, "message_en", None) or getattr(getattr(exc, "message", None), "en", None) or str(exc)
    return HTTPException(status, detail={"code": "refused", "message_zh": str(zh), "message_en": str(en)})


def add_progress(request: Request, who: Principal, item: str, unit: str, period: str, status: str,
                 share_done: float | None, narrative: str) -> Any:
    require_unit(request, who, unit, "submissions.submit")
    return services.add_progress_report(request.app.state.store, item, unit, _period_ok(period), status, who.actor,
                                        share_done=share_done, narrative=narrative)


def write_rows(request: Request, who: Principal, rows: list[NewObservation], reason: str) -> dict[str, Any]:
    """JSON rows from the API: staff write accepted values; a reporter's go to review as one submission."""
    for r in rows:
        require_unit(request, who, r.unit, "observations.import")
    fw = request.app.state.framework
    known_ind = {i.id for i in fw.indicators}
    known_unit = {u.id for u in fw.units}
    problems = []
    for n, r in enumerate(rows):
        if r.indicator not in known_ind:
            problems.append({"row": n, "field": "indicator", "value": r.indicator,
                             "message_zh": "未知指标", "message_en": "unknown indicator"})
        if r.unit not in known_unit:
            problems.append({"row": n, "field": "unit", "value": r.unit,
                             "message_zh": "未知单位", "message_en": "unknown unit"})
        try:
            r.period = str(Period.parse(r.period))
        except PeriodError:
            problems.append({"row": n, "field": "period", "value": r.period,
                             "message_zh": "期间格式错误", "message_en": "bad period"})
    if problems:
        raise HTTPException(422, detail={"findings": problems})
    store = request.app.state.store
    staff = who.user.role in ("admin", "coordinator")
    with store.engine.begin() as conn:
        sid = None
        if not staff:
            payload = repr([vars(r) for r in rows]).encode()
            sid = conn.execute(submissions.insert().values(
                framework_id=fw.plan.id, unit_id=rows[0].unit if rows else None,
                period=rows[0].period if rows else None, state="submitted", source_kind="api", filename="",
                file_sha256=hashlib.sha256(payload).hexdigest(), rows=len(rows), report={"findings": []},
                created_at=audit.now(), created_by=who.actor, comment="",
            )).inserted_primary_key[0]
        result = write_observations(conn, fw.plan.id, rows, who.actor, state="accepted" if staff else "pending",
                                    submission_id=sid, reason=reason, audit_action="observation.api")
    return {"added": result.added, "revised": result.revised, "unchanged": result.unchanged,
            "state": "accepted" if staff else "pending", "submission_id": sid}


def reports_dir(request: Request) -> Path:
    path = Path(request.app.state.reports_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def report_files(request: Request) -> list[dict[str, Any]]:
    folder = reports_dir(request)
    return [{"name": p.name, "size": p.stat().st_size} for p in sorted(folder.iterdir())
            if p.is_file() and REPORT_NAME.match(p.name)]


def report_path(request: Request, name: str) -> Path:
    if not REPORT_NAME.match(name):
        raise HTTPException(404, detail="no such report")
    path = reports_dir(request) / name
    if not path.is_file():
        raise HTTPException(404, detail="no such report")
    return path


def generate_report(request: Request, who: Principal, formats: list[str], lang: str) -> list[dict[str, Any]]:
    allowed_formats = {"html", "pdf", "docx", "xlsx"}
    fmts = [f for f in formats if f in allowed_formats] or ["html"]
    store = request.app.state.store
    services.build_report(store, reports_dir(request), formats=fmts, lang="en" if lang == "en" else "zh")
    with store.engine.begin() as conn:
        audit.record(conn, who.actor, "report.generate", "reports", ",".join(fmts))
    return report_files(request)


