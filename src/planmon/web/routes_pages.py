"""The HTML pages (each with a ``?format=json`` twin). Thin: data comes from :mod:`planmon.web.views`
and the library; permission checks from :func:`planmon.web.security.need`."""

from __future__ import annotations

import asyncio
import functools
import re
import shutil
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from planmon.auth import (
    ROLES,
    UserError,
    add_user,
    allowed,
    authenticate,
    change_password,
    create_token,
    list_tokens,
    list_users,
    revoke_token,
    update_user,
)
from planmon.web import actions, services, views
from planmon.web.problems import ApiProblem
from planmon.web.render import lang_of, page, partial
from planmon.web.security import (
    Principal,
    check_csrf,
    client_ip,
    login_session,
    logout_session,
    need,
    session_of,
)

SubmissionId = Annotated[int, Path(ge=1, le=2**31 - 1)]

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return page(request, "login.html", {"next": _safe_next(next)}, nav="login")


@router.post("/login")
async def login(request: Request, username: Annotated[str, Form(max_length=200)] = "",
                password: Annotated[str, Form(max_length=200)] = "",
                next: Annotated[str, Form()] = "/") -> Response:
    await check_csrf(request)
    limiter = request.app.state.limiter
    ip = client_ip(request)
    if limiter.blocked(username, ip):
        actions.audit_login(request, username, "login.limited")
        return page(request, "login.html", {"next": _safe_next(next), "error": "login_limited"}, status_code=429)
    wait = limiter.delay(username)  # an account under attack: slower, never locked
    if wait:
        await asyncio.sleep(wait)
    # argon2 takes ~0.1 s of CPU: in a worker thread, so other requests are not held meanwhile
    user = await run_in_threadpool(authenticate, request.app.state.store.engine, username, password)
    if user is None:
        limiter.failure(username, ip)
        actions.audit_login(request, username, "login.failed")
        return page(request, "login.html", {"next": _safe_next(next), "error": "login_failed"}, status_code=401)
    limiter.success(username, ip)
    await run_in_threadpool(login_session, request, user)
    actions.audit_login(request, username, "login.ok")
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await check_csrf(request)
    await run_in_threadpool(logout_session, request)
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def overview_page(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
                  map_indicator: str | None = None, as_of: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    data = views.overview(request.app.state, lang_of(request), map_indicator, as_of)
    return page(request, "overview.html", data, nav="overview")


@router.get("/indicators/{indicator_id}")
def indicator_page(request: Request, indicator_id: str, who: Annotated[Principal, Depends(need("dashboard.read"))],
                   as_of: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    try:
        data = views.indicator(request.app.state, indicator_id, lang_of(request), as_of)
    except KeyError as exc:
        raise HTTPException(404, detail=str(exc)) from exc
    return page(request, "indicator.html", data, nav="overview")


@router.get("/regions/{unit_id}")
def region_page(request: Request, unit_id: str, who: Annotated[Principal, Depends(need("dashboard.read"))],
                as_of: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    try:
        data = views.region(request.app.state, unit_id, lang_of(request), as_of)
    except KeyError as exc:
        raise HTTPException(404, detail=str(exc)) from exc
    return page(request, "region.html", data, nav="overview")


@router.post("/regions/{unit_id}/targets")
def region_target_post(request: Request, unit_id: str, who: Annotated[Principal, Depends(need("targets.edit"))],
                       indicator: Annotated[str, Form(max_length=50)], kind: Annotated[str, Form(max_length=20)],
                       period: Annotated[str, Form(max_length=10)], value: Annotated[str, Form(max_length=50)] = "",
                       source: Annotated[str, Form(max_length=2000)] = "",
                       reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """A coordinator sets a region's target (own plan, decomposed) or basis: the same checks as an import."""
    from planmon.targets import TargetsRejected, write_target_frame

    state = request.app.state
    try:
        state.framework.unit(unit_id)
    except KeyError as exc:
        raise HTTPException(404, detail=str(exc)) from exc
    row = {"indicator": indicator, "unit": unit_id, "period": period, "kind": kind, "value": value, "source": source}
    try:
        write_target_frame(state.store, pd.DataFrame([row]), who.actor, framework_id=state.framework.plan.id,
                           reason=reason, file="web", audit_action="target.web")
    except TargetsRejected as exc:
        lang = lang_of(request)
        data = views.region(state, unit_id, lang)
        return page(request, "region.html", data, nav="overview", status_code=422,
                    target_errors=[f.zh if lang == "zh" else f.en for f in exc.findings])
    return RedirectResponse(f"/regions/{unit_id}#set-target", status_code=303)


@router.get("/plan")
def plan_page(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
              as_of: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    return page(request, "plan.html", views.plan_tree(request.app.state, lang_of(request), as_of), nav="plan",
                my_units=actions.my_units(request, who))


@router.get("/plans")
def plans_page(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))]) -> Response:
    """The plan switcher's default: the current plan for today's date."""
    from planmon.web.plans import plans_list

    cur = plans_list(request.app.state.store, lang_of(request))["current"]
    return RedirectResponse(f"/plans/{cur}" if cur else "/", status_code=303)


@router.get("/plans/{plan_id}")
def plan_one_page(request: Request, plan_id: Annotated[str, Path(max_length=100)],
                  who: Annotated[Principal, Depends(need("dashboard.read"))]) -> Response:
    from planmon.web.plans import plan_view

    try:
        data = plan_view(request.app.state.store, plan_id, lang_of(request))
    except KeyError:
        raise HTTPException(404, "plan not found") from None
    if request.query_params.get("format") == "json":
        data = {k: v for k, v in data.items() if k != "body"}
    return page(request, "plans.html", data, nav="plans")


@router.post("/plan/progress")
def progress_post(request: Request, who: Annotated[Principal, Depends(need("submissions.submit"))],
                  item: Annotated[str, Form()], unit: Annotated[str, Form()], period: Annotated[str, Form()],
                  status: Annotated[str, Form()], share_done: Annotated[float | None, Form()] = None,
                  narrative: Annotated[str, Form()] = "") -> Response:
    actions.add_progress(request, who, item, unit, period, status, share_done, narrative)
    return RedirectResponse("/plan", status_code=303)


@router.get("/submissions")
def submissions_page(request: Request, who: Annotated[Principal, Depends(need("submissions.read"))]) -> Response:
    data = {"submissions": actions.visible_submissions(request, who), "units": actions.my_units(request, who),
            "collect": actions.has_collect()}
    return page(request, "submissions.html", data, nav="submissions")


@router.get("/submissions/template")
def template_download(request: Request, who: Annotated[Principal, Depends(need("submissions.submit"))],
                      unit: str, period: str) -> Response:
    path = actions.template_file(request, who, unit, period)
    return FileResponse(path, filename=path.name, background=BackgroundTask(shutil.rmtree, path.parent, True),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.post("/submissions/upload")
async def upload(request: Request, who: Annotated[Principal, Depends(need("submissions.submit"))],
                 file: UploadFile | None = None, unit: Annotated[str, Form(max_length=50)] = "",
                 upload: Annotated[str, Form(max_length=64)] = "") -> Response:
    """A new file, or (``upload``) a kept one sent again with the reasons its warnings need
    (form fields ``reason:KEY``, KEY being ``INDICATOR/UNIT/PERIOD`` or a rule)."""
    form = await request.form()
    reasons = {str(k)[7:]: str(v) for k, v in form.multi_items() if str(k).startswith("reason:") and isinstance(v, str)}
    if upload:
        result = await actions.confirm_upload(request, who, upload, reasons)
    elif file is not None:
        result = await actions.upload(request, who, [file], unit or None, reasons)
    else:
        raise ApiProblem(422, "file_required", "请选择要上传的文件", "choose a file to upload")
    if request.headers.get("hx-request"):
        return partial(request, "_findings.html", result=result)
    return page(request, "submissions.html",
                {"submissions": actions.visible_submissions(request, who), "units": actions.my_units(request, who),
                 "collect": True, "result": result}, nav="submissions")


@router.get("/submissions/upload/{token}/annotated/{name}")
def upload_annotated(request: Request, token: Annotated[str, Path(max_length=64)],
                     name: Annotated[str, Path(max_length=200)],
                     who: Annotated[Principal, Depends(need("submissions.submit"))]) -> Response:
    path = actions.annotated_file(request, who, token, name)
    return FileResponse(path, filename=name,
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/submissions/{submission_id}")
def submission_page(request: Request, submission_id: SubmissionId,
                    who: Annotated[Principal, Depends(need("submissions.read"))]) -> Response:
    sub = actions.one_submission(request, who, submission_id)
    fw, lang = request.app.state.framework, lang_of(request)
    names = {x.id: (x.name_en or x.name_zh) if lang == "en" else x.name_zh for x in fw.indicators}
    rows = [{**r, "indicator_name": names.get(r["indicator"], r["indicator"]),
             "unit_name": views.unit_name(fw, r["unit"], lang)}
            for r in services.review_rows(request.app.state.store, submission_id)]
    sub["unit_name"] = views.unit_name(fw, str(sub.get("unit_id") or ""), lang)
    return page(request, "submission.html", {"submission": sub, "review_rows": rows,
                                             "can_review": allowed(who.user.role, "submissions.review")},
                nav="submissions")


@router.get("/review")
def review_page(request: Request, who: Annotated[Principal, Depends(need("submissions.review"))]) -> Response:
    queue = [s for s in actions.visible_submissions(request, who) if s.get("state") == "submitted"]
    return page(request, "review.html", {"queue": queue}, nav="review")


@router.post("/review/{submission_id}/accept")
def review_accept(request: Request, submission_id: SubmissionId,
                  who: Annotated[Principal, Depends(need("submissions.review"))],
                  comment: Annotated[str, Form()] = "") -> Response:
    actions.review(request, who, submission_id, "accept", comment)
    return RedirectResponse(_back(request), status_code=303)


@router.post("/review/{submission_id}/return")
def review_return(request: Request, submission_id: SubmissionId,
                  who: Annotated[Principal, Depends(need("submissions.review"))],
                  comment: Annotated[str, Form()] = "") -> Response:
    actions.review(request, who, submission_id, "return", comment)
    return RedirectResponse(_back(request), status_code=303)


def _back(request: Request) -> str:
    """After a review: the submission page when the review was made there, else the queue."""
    ref = request.headers.get("referer", "")
    m = re.search(r"/submissions/(\d+)$", ref.split("?")[0])
    return f"/submissions/{m.group(1)}" if m else "/review"


@router.get("/reports")
def reports_page(request: Request, who: Annotated[Principal, Depends(need("reports.read"))]) -> Response:
    return page(request, "reports.html", {"files": actions.report_files(request)}, nav="reports")


@router.post("/reports")
def reports_generate(request: Request, who: Annotated[Principal, Depends(need("reports.generate"))],
                     formats: Annotated[list[str] | None, Form()] = None,
                     report_lang: Annotated[str, Form()] = "zh") -> Response:
    actions.generate_report(request, who, formats or ["html"], report_lang)
    return RedirectResponse("/reports", status_code=303)


@router.get("/reports/files/{name}")
def report_download(request: Request, name: str, who: Annotated[Principal, Depends(need("reports.read"))]) -> Response:
    return FileResponse(actions.report_path(request, name), filename=name)


@router.get("/admin/users")
def users_page(request: Request, who: Annotated[Principal, Depends(need("users.manage"))]) -> Response:
    return _users_page(request)


def _users_page(request: Request, error: UserError | None = None, status_code: int = 200) -> Response:
    data = {"users": [u.to_dict() for u in list_users(request.app.state.store.engine)], "roles": list(ROLES),
            "error": error.message.get(lang_of(request)) if error else ""}
    return page(request, "admin.html", data, nav="admin", status_code=status_code)


def _scopes(text: str) -> list[str]:
    return [s.strip() for s in text.replace("，", ",").split(",") if s.strip()]


@router.post("/admin/users")
def users_add(request: Request, who: Annotated[Principal, Depends(need("users.manage"))],
              username: Annotated[str, Form(max_length=100)], password: Annotated[str, Form(max_length=200)],
              role: Annotated[str, Form(max_length=20)] = "viewer", scopes: Annotated[str, Form(max_length=2000)] = "",
              display_name: Annotated[str, Form(max_length=200)] = "") -> Response:
    try:
        actions.check_units(request, _scopes(scopes))
        add_user(request.app.state.store.engine, username, password, role, _scopes(scopes), actor=who.actor,
                 display_name=display_name)
    except UserError as exc:
        return _users_page(request, exc, 422)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{username}")
def users_update(request: Request, username: str, who: Annotated[Principal, Depends(need("users.manage"))],
                 role: Annotated[str, Form(max_length=20)], scopes: Annotated[str, Form(max_length=2000)] = "",
                 active: Annotated[str | None, Form()] = None,
                 password: Annotated[str, Form(max_length=200)] = "") -> Response:
    try:
        actions.check_units(request, _scopes(scopes))
        update_user(request.app.state.store.engine, username, who.actor, role=role, scopes=_scopes(scopes),
                    active=active is not None, password=password or None)
    except UserError as exc:
        return _users_page(request, exc, 422)
    return RedirectResponse("/admin/users", status_code=303)


def _account(request: Request, who: Principal, status_code: int = 200, **extra: object) -> Response:
    data = {"user": who.user.to_dict(), "tokens": list_tokens(request.app.state.store.engine, who.user.username),
            **extra}
    return page(request, "account.html", data, nav="account", status_code=status_code)


@router.get("/account")
def account_page(request: Request, who: Annotated[Principal, Depends(need("account.self"))]) -> Response:
    return _account(request, who)


@router.post("/account/tokens")
def account_token(request: Request, who: Annotated[Principal, Depends(need("account.self"))],
                  name: Annotated[str, Form(max_length=100)] = "") -> Response:
    token = create_token(request.app.state.store.engine, who.user.username, name, actor=who.actor)
    return _account(request, who, token=token)


@router.post("/account/tokens/{token_id}/revoke")
def account_token_revoke(request: Request, token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                         who: Annotated[Principal, Depends(need("account.self"))]) -> Response:
    if not revoke_token(request.app.state.store.engine, who.user.username, token_id, actor=who.actor):
        raise ApiProblem(404, "token_not_found", "没有这个令牌（或已撤销）", "no such live token of yours")
    return RedirectResponse("/account", status_code=303)  # the page lists it as revoked


@router.post("/account/password")
async def account_password(request: Request, who: Annotated[Principal, Depends(need("account.self"))],
                           current: Annotated[str, Form(max_length=200)], new: Annotated[str, Form(max_length=200)],
                           confirm: Annotated[str, Form(max_length=200)]) -> Response:
    if new != confirm:
        return _account(request, who, 422, password_error=("两次输入的新密码不一致" if lang_of(request) == "zh"
                                                            else "the two new passwords differ"))
    try:
        await run_in_threadpool(functools.partial(change_password, request.app.state.store.engine,
                                                  who.user.username, current, new,
                                                  keep_session=session_of(request).sid))
    except UserError as exc:
        return _account(request, who, 422, password_error=exc.message.get(lang_of(request)))
    return _account(request, who, password_changed=True)
