"""What the pages and the REST API *do*: scope checks, then one call into the library.

Both routers call these functions, so a rule (a reporter acts only for its units;
unaccepted submissions are seen only by their unit and reviewers) is written once.
"""

from __future__ import annotations

import functools
import logging
import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from planmon.auth import UserError
from planmon.auth.permissions import SEES_ALL_SUBMISSIONS, STAFF, descendants
from planmon.i18n import Message
from planmon.periods import Period, PeriodError
from planmon.store import audit
from planmon.web import services
from planmon.web.problems import ApiProblem
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
    subs = sorted(services.list_submissions(request.app.state.store, unit=unit, state=state),
                  key=lambda s: -int(s.get("id") or 0))  # newest first
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


def upload_scope(request: Request, who: Principal, unit: str | None) -> set[str] | None:
    """The units an upload may name: the user's scope, narrowed to ``unit`` and the units under it when one
    was chosen (a reporter must stay inside its units; staff choosing 浙江 mean 浙江)."""
    scope = scope_of(request, who)
    if not unit:
        return scope
    require_unit(request, who, unit, "submissions.submit")
    mine = descendants(request.app.state.framework, [unit])
    return mine if scope is None else mine & scope


async def upload(request: Request, who: Principal, files: list[UploadFile], unit: str | None,
                 reasons: dict[str, str] | None = None) -> dict[str, Any]:
    """Import uploaded forms through the library (in a worker thread); findings come back for display.

    A refused upload is kept for an hour (:mod:`planmon.web.uploads`) so that the user can download the
    annotated workbook or give the reasons its warnings need without sending the file again.
    """
    scope = upload_scope(request, who, unit)
    limit = request.app.state.max_upload
    stash = request.app.state.uploads
    token, folder = stash.new_folder()
    paths: list[Path] = []
    for f in files:
        body = await f.read(limit + 1)
        if len(body) > limit:
            stash.drop(token)
            mb = limit / 2**20
            raise ApiProblem(413, "too_large", f"上传内容过大（上限 {mb:.0f} MB）", f"upload too large (limit {mb:.0f} MB)",
                             limit=limit)
        safe = Path(f.filename or "upload.xlsx").name or "upload.xlsx"
        path = folder / safe
        while path.exists() or path.name == "meta.json":
            path = folder / f"{path.stem}-1{path.suffix}"
        await run_in_threadpool(path.write_bytes, body)
        paths.append(path)
    return await _import(request, who, token, paths, unit or "", reasons or {}, scope)


async def confirm_upload(request: Request, who: Principal, token: str, reasons: dict[str, str]) -> dict[str, Any]:
    """Import a kept upload again, now with the reasons its warnings asked for."""
    kept = request.app.state.uploads.get(token, who.user.username)
    if kept is None:
        raise ApiProblem(404, "upload_expired", "找不到这次上传（已超过一小时或不属于您）：请重新上传文件",
                         "this upload is gone (older than an hour or not yours): upload the file again")
    scope = upload_scope(request, who, kept.unit or None)
    return await _import(request, who, token, kept.files, kept.unit, reasons, scope)


async def _import(request: Request, who: Principal, token: str, paths: list[Path], unit: str,
                  reasons: dict[str, str], scope: set[str] | None) -> dict[str, Any]:
    store = request.app.state.store
    stash = request.app.state.uploads
    result = await run_in_threadpool(
        functools.partial(services.import_files, store, paths, who.actor,
                          framework_id=request.app.state.framework.plan.id, reasons=reasons, scope=scope))
    out: dict[str, Any] = dict(result.to_dict())
    out["findings"] = [_located(f) for f in out["findings"]]
    outside = [f for f in result.findings if f.rule == "outside_scope"]
    if outside:
        stash.drop(token)
        units = sorted({f.value for f in outside})
        zh_names, en_names = _unit_names(request, units)
        raise deny(request, who, "submissions.submit", detail=f"file names units {units} outside scope",
                   code="outside_scope", findings=out["findings"],
                   zh=f"文件含有您负责范围以外单位（{zh_names}）的数据：整份文件未写入",
                   en=f"the file holds rows of units outside your scope ({en_names}): nothing was written")
    if result.ok:
        stash.drop(token)
        return out
    annotated = await run_in_threadpool(_annotate, paths, result.findings)
    stash.keep(token, who.user.username, unit, paths)
    out["upload"] = token
    out["annotated"] = [{"name": a.name, "url": f"/submissions/upload/{token}/annotated/{a.name}"} for a in annotated]
    out["needs_reason"] = not result.errors and bool(result.warnings)
    out["warnings_to_explain"] = [{"key": w.get("key", ""), **w} for w in out["findings"] if w["severity"] == "warning"]
    return out


def _unit_names(request: Request, units: list[str]) -> tuple[str, str]:
    """「广东（440000）、全国（CN）」 and "Guangdong (440000), China (CN)" for a message."""
    fw = request.app.state.framework
    return ("、".join(f"{unit_name(fw, u, 'zh')}（{u}）" for u in units),
            ", ".join(f"{unit_name(fw, u, 'en')} ({u})" for u in units))


def _located(f: dict[str, Any]) -> dict[str, Any]:
    """A finding for display, with the ``INDICATOR/UNIT/PERIOD`` key a reason is given for, when the message has it."""
    m = KEY_IN_MESSAGE.search(str(f.get("message_en", "")))
    return {**f, "key": m.group(0) if m else ""}


KEY_IN_MESSAGE = re.compile(r"\b[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/\d{4}(?:Q[1-4]|-\d{2})?\b")


def _annotate(paths: list[Path], findings: list[Any]) -> list[Path]:
    from planmon.collect import annotate_copy

    out = []
    for p in paths:
        if p.suffix.lower() != ".xlsx" or any(f.rule == "file_refused" and f.file == p.name for f in findings):
            continue
        try:
            a = annotate_copy(p, findings, p.with_name(f"{p.stem}.checked.xlsx"))
        except Exception:  # an annotated copy is a courtesy; the findings are the report
            log.warning("no annotated copy of %s", p.name, exc_info=True)
            a = None
        if a is not None:
            out.append(a)
    return out


def annotated_file(request: Request, who: Principal, token: str, name: str) -> Path:
    kept = request.app.state.uploads.get(token, who.user.username)
    if kept is None or not REPORT_NAME.match(name) or not name.endswith(".checked.xlsx"):
        raise ApiProblem(404, "upload_expired", "找不到标注副本（上传已超过一小时或不属于您）",
                         "no annotated copy (the upload is older than an hour or not yours)")
    path = kept.folder / name
    if not path.is_file():
        raise ApiProblem(404, "not_found", "找不到标注副本", "no annotated copy")
    return path


def review(request: Request, who: Principal, submission_id: int, decision: str, comment: str) -> Any:
    sub = one_submission(request, who, submission_id)
    store = request.app.state.store
    if decision != "accept" and not comment.strip():
        raise ApiProblem(422, "comment_required", "退回须填写意见", "a return needs a comment", field="comment")
    from planmon.collect.submissions import SubmissionConflict, SubmissionNotFound

    try:
        if decision == "accept":
            return services.accept(store, int(sub["id"]), who.actor, comment=comment)
        return services.return_submission(store, int(sub["id"]), who.actor, comment)
    except SubmissionNotFound as exc:
        raise ApiProblem(404, exc.code, exc.message_zh, exc.message_en) from exc
    except SubmissionConflict as exc:  # e.g. already reviewed by someone else
        raise ApiProblem(409, exc.code, exc.message_zh, exc.message_en) from exc
    except (ValueError, LookupError) as exc:
        raise refusal(exc, 422) from exc


def refusal(exc: Exception, status: int) -> ApiProblem:
    """A library's refusal as an HTTP problem, in both languages when the library gave both."""
    zh = getattr(exc, "message_zh", None) or getattr(getattr(exc, "message", None), "zh", None) or str(exc)
    en = getattr(exc, "message_en", None) or getattr(getattr(exc, "message", None), "en", None) or str(exc)
    return ApiProblem(status, str(getattr(exc, "code", "") or "refused"), str(zh), str(en))


def add_progress(request: Request, who: Principal, item: str, unit: str, period: str, status: str,
                 share_done: float | None, narrative: str) -> Any:
    require_unit(request, who, unit, "submissions.submit")
    return services.add_progress_report(request.app.state.store, item, unit, _period_ok(period), status, who.actor,
                                        share_done=share_done, narrative=narrative)


def write_rows(request: Request, who: Principal, rows: list[dict[str, Any]], reason: str) -> dict[str, Any]:
    """JSON rows from the API, through the same library import as a file: the same rules and findings, one
    transaction, a submission per unit. Staff's rows are accepted at once (their own review); a reporter's
    go to review. A warning passes only with ``reason``."""
    store = request.app.state.store
    staff = who.user.role in STAFF
    result = services.import_rows(store, rows, who.actor, framework_id=request.app.state.framework.plan.id,
                                  reasons={"*": reason} if reason.strip() else None, auto_accept=staff,
                                  scope=scope_of(request, who))
    findings = [_located(f.to_dict()) for f in result.findings]
    outside = [f for f in result.findings if f.rule == "outside_scope"]
    if outside:
        units = sorted({f.value for f in outside})
        zh_names, en_names = _unit_names(request, units)
        raise deny(request, who, "observations.import", detail=f"rows for units {units} outside scope",
                   code="outside_scope", findings=findings,
                   zh=f"含有您负责范围以外单位（{zh_names}）的数据：全部未写入",
                   en=f"rows of units outside your scope ({en_names}): nothing was written")
    if not result.ok:
        raise import_refused(result.to_dict() | {"findings": findings})
    ids = list(result.submission_ids)
    return {"added": result.added, "revised": result.revised, "unchanged": result.unchanged,
            "state": "accepted" if staff else "pending", "submission_id": ids[0] if ids else None,
            "submission_ids": ids, "findings": findings}


def import_refused(out: dict[str, Any]) -> ApiProblem:
    """A refused import as a 422 problem carrying every finding (the same shape for files and JSON rows)."""
    n_err, n_warn = int(out.get("errors", 0)), int(out.get("warnings", 0))
    extra = {k: out[k] for k in ("findings", "errors", "warnings", "upload", "annotated", "needs_reason") if k in out}
    return ApiProblem(422, "import_refused",
                      f"未写入任何数据：{n_err} 个错误，{n_warn} 个警告（警告须说明原因）",
                      f"nothing written: {n_err} error(s), {n_warn} warning(s) (a warning passes with a reason)",
                      **extra)


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


