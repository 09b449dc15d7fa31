"""The REST API under ``/api/v1`` (documented at /openapi.json). Token or session authentication;
every route names its permission through :func:`planmon.web.security.need`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Security, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, func, select

from planmon.auth import (
    ROLES,
    UserError,
    add_user,
    change_password,
    create_token,
    list_tokens,
    list_users,
    revoke_token,
    update_user,
)
from planmon.store import audit
from planmon.store.tables import audit_events, observations
from planmon.web import actions, problems, services, views
from planmon.web.render import lang_of
from planmon.web.security import Principal, data_version, need, session_of

SubmissionId = Annotated[int, Path(ge=1, le=2**31 - 1)]

# declares the Bearer scheme in the OpenAPI document; the check itself is need(...) on each route
bearer = HTTPBearer(auto_error=False, description="`planmon token create USERNAME`")
router = APIRouter(prefix="/api/v1", tags=["api"], dependencies=[Security(bearer)],
                   responses=problems.openapi_responses(400, 401, 403, 422))
NOT_FOUND = problems.openapi_responses(404)
Lang = Literal["zh", "en"]


# ---- documented answers (OpenAPI): what a successful call returns --------------------------------------

class Open(BaseModel):
    """A JSON object; the keys listed are always there, others may be."""

    model_config = ConfigDict(extra="allow")


class UserOut(Open):
    id: int
    username: str
    role: Literal["admin", "coordinator", "reviewer", "reporter", "viewer"]
    scopes: list[str]
    display_name: str
    active: bool


class PageOut(Open):
    rows: list[dict[str, Any]]
    total: int = Field(description="all rows matching the query")
    limit: int
    offset: int
    next: str | None = Field(description="relative link to the next page; null on the last")


class FindingOut(Open):
    file: str
    sheet: str
    row: int | None
    column: str
    field: str
    value: str
    rule: str
    severity: Literal["error", "warning"]
    message_zh: str
    message_en: str


class WriteOut(Open):
    added: int
    revised: int
    unchanged: int
    state: Literal["accepted", "pending"]
    submission_id: int | None
    submission_ids: list[int]
    findings: list[FindingOut] = Field(description="warnings that passed with the reason given")


class ImportOut(Open):
    ok: bool
    files: list[str]
    rows: int
    added: int
    revised: int
    unchanged: int
    submission_ids: list[int]
    already_imported: list[str]
    findings: list[FindingOut]


class SubmissionOut(Open):
    id: int
    unit_id: str | None
    period: str | None
    state: Literal["draft", "submitted", "accepted", "returned"]
    filename: str
    file_sha256: str
    rows: int
    created_by: str
    reviewed_by: str | None = None
    comment: str


class TokenOut(Open):
    token: str = Field(description="shown once; store it now")
    username: str


def answers(model: type[BaseModel], *errors: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route: its success model and its error statuses (beyond the router's)."""
    return {200: {"model": model}, **problems.openapi_responses(*errors)}


def _lang(request: Request, lang: Lang | None) -> str:
    return lang or lang_of(request)


def ok(data: Any) -> JSONResponse:
    return JSONResponse(views.clean(data))


def paged(request: Request, rows: list[Any], total: int, limit: int, offset: int, **extra: Any) -> JSONResponse:
    """A list answer: the rows, ``total`` (all matching), ``limit``, ``offset`` and ``next`` (the relative link
    to the following page, null on the last)."""
    nxt = None
    if offset + limit < total:
        nxt = f"{request.url.path}?{request.url.include_query_params(offset=offset + limit, limit=limit).query}"
    return ok({"rows": rows, "total": total, "limit": limit, "offset": offset, "next": nxt, **extra})


async def cached(request: Request, key: tuple[Any, ...], compute: Callable[[], Any]) -> Response:
    """A dashboard view's JSON: straight from the cache on the event loop, computed in a worker thread
    on a miss (a cold overview takes long enough to stall other requests)."""
    version = data_version(request)
    body = request.app.state.cache.peek(("json", *key), version)
    if body is None:
        body = await run_in_threadpool(views.json_bytes, request.app.state, key, compute, version)
    return Response(body, media_type="application/json")


@router.get("/me", summary="The authenticated user", responses=answers(UserOut))
async def me(who: Annotated[Principal, Depends(need("account.self"))]) -> JSONResponse:
    return ok(who.user.to_dict())


@router.get("/framework", summary="The plan framework: items, indicators, units, responsibilities",
            responses=answers(Open))
def framework(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))]) -> JSONResponse:
    return ok(request.app.state.framework.to_summary())


@router.get("/plans", summary="The plans in the database, the current one for today and each one's predecessor",
            responses=answers(Open))
def plans_api(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
              lang: Lang | None = None) -> JSONResponse:
    from planmon.web.plans import plans_list

    return ok(plans_list(request.app.state.store, _lang(request, lang)))


@router.get("/plans/{plan_id}/evaluation", summary="A plan's final (or mid-term) evaluation",
            responses=answers(Open, 404))
def evaluation_api(request: Request, plan_id: Annotated[str, Path(max_length=100)],
                   who: Annotated[Principal, Depends(need("dashboard.read"))], lang: Lang | None = None,
                   kind: Annotated[str, Query(pattern="^(final|midterm)$")] = "final") -> JSONResponse:
    from planmon.evaluate import evaluate

    store = request.app.state.store
    if plan_id not in store.framework_ids():
        raise HTTPException(404, f"plan '{plan_id}' not found")
    return ok(evaluate(store, plan_id, kind).to_dict(_lang(request, lang)))  # type: ignore[arg-type]


@router.get("/plans/{plan_id}/continuity/{indicator_id}",
            summary="One indicator across successive plans: actuals, baselines and every plan's target",
            responses=answers(Open, 404))
def continuity_api(request: Request, plan_id: Annotated[str, Path(max_length=100)],
                   indicator_id: Annotated[str, Path(max_length=50)],
                   who: Annotated[Principal, Depends(need("dashboard.read"))]) -> JSONResponse:
    from planmon.continuity import continuity_series

    try:
        return ok(continuity_series(request.app.state.store, plan_id, indicator_id).to_dict())
    except KeyError as exc:
        raise HTTPException(404, str(exc).strip("'\"")) from None


@router.get("/overview", summary="The overview page's data", responses=answers(Open))
async def overview(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
             map_indicator: Annotated[str | None, Query(max_length=50)] = None,
             lang: Lang | None = None, as_of: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    code = _lang(request, lang)
    return await cached(request, ("overview", code, map_indicator, date.today(), as_of),
                  lambda: views.overview(request.app.state, code, map_indicator, as_of))


@router.get("/indicators/{indicator_id}", summary="One indicator: series, trajectory, target, by region",
            responses=answers(Open, 404))
async def indicator(request: Request, indicator_id: str, who: Annotated[Principal, Depends(need("dashboard.read"))],
              lang: Lang | None = None, as_of: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    code = _lang(request, lang)
    try:
        return await cached(request, ("indicator", indicator_id, code, date.today(), as_of),
                      lambda: views.indicator(request.app.state, indicator_id, code, as_of))
    except KeyError as exc:
        raise HTTPException(404, detail=f"no indicator '{indicator_id}'") from exc


@router.get("/regions/{unit_id}", summary="One region: values, scorecard, rank and strengths",
            responses=answers(Open, 404))
def region(request: Request, unit_id: str, who: Annotated[Principal, Depends(need("dashboard.read"))],
           lang: Lang | None = None, as_of: Annotated[str | None, Query(max_length=10)] = None) -> JSONResponse:
    try:
        return ok(views.region(request.app.state, unit_id, _lang(request, lang), as_of))
    except KeyError as exc:
        raise HTTPException(404, detail=f"no unit '{unit_id}'") from exc


@router.get("/plan", summary="The plan tree with responsibilities, milestones and progress", responses=answers(Open))
def plan(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
         lang: Lang | None = None, as_of: Annotated[str | None, Query(max_length=10)] = None) -> JSONResponse:
    return ok(views.plan_tree(request.app.state, _lang(request, lang), as_of))


@router.get("/observations", summary="Current (latest accepted) observations", responses=answers(PageOut))
def observations_query(request: Request, who: Annotated[Principal, Depends(need("observations.read"))],
                       indicator: Annotated[str | None, Query(max_length=50)] = None,
                       unit: Annotated[str | None, Query(max_length=50)] = None,
                       period: Annotated[str | None, Query(max_length=10)] = None,
                       limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
                       offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                       format: Literal["json", "csv"] = "json") -> Response:
    o = observations
    fid = request.app.state.framework.plan.id
    cond = [o.c.framework_id == fid, o.c.state == "accepted"]
    if indicator:
        cond.append(o.c.indicator_id == indicator)
    if unit:
        cond.append(o.c.unit_id == unit)
    if period:
        cond.append(o.c.period == period)
    latest = (select(o.c.indicator_id, o.c.unit_id, o.c.period, func.max(o.c.revision).label("rev"))
              .where(and_(*cond)).group_by(o.c.indicator_id, o.c.unit_id, o.c.period).subquery())
    q = (select(o.c.indicator_id, o.c.unit_id, o.c.period, o.c.value, o.c.status, o.c.source, o.c.proxy,
                o.c.revision)
         .join(latest, and_(o.c.indicator_id == latest.c.indicator_id, o.c.unit_id == latest.c.unit_id,
                            o.c.period == latest.c.period, o.c.revision == latest.c.rev))
         .where(o.c.framework_id == fid)
         .order_by(o.c.indicator_id, o.c.unit_id, o.c.period_time).limit(limit).offset(offset))
    with request.app.state.store.engine.connect() as conn:
        rows = [{"indicator": r[0], "unit": r[1], "period": r[2], "value": r[3], "status": r[4], "source": r[5],
                 "proxy": bool(r[6]), "revision": r[7]} for r in conn.execute(q)]
        total = int(conn.execute(select(func.count()).select_from(latest)).scalar_one())
    if format == "csv":
        return Response(views.csv_text(rows, ["indicator", "unit", "period", "value", "status", "source", "proxy",
                                              "revision"]), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="observations.csv"'})
    return paged(request, rows, total, limit, offset)


class ObservationIn(BaseModel):
    """One row, judged by the same rules as a row of a file: a value that is not a number, an unknown
    status or a unit of measure that does not fit come back as findings, not as a schema error."""

    indicator: str = Field(max_length=50)
    unit: str = Field(max_length=50)
    period: str = Field(max_length=10)
    value: float | str | None = Field(description="a number; text such as '12.3%' or '1,234.5' is read as in a file")
    status: str = Field("final", max_length=30, description="final, preliminary, estimated, partial_year (or 最终 …)")
    source: str = Field("", max_length=2000)
    note: str = Field("", max_length=2000)
    measure: str = Field("", max_length=50, description="the unit of measure, checked against the indicator's")


class ObservationsIn(BaseModel):
    rows: list[ObservationIn] = Field(min_length=1, max_length=10000)
    reason: str = Field("", max_length=2000, description="the reason that lets warnings pass (e.g. a correction)")


@router.post("/observations", summary="Write observations (staff: accepted; reporter: a submission for review)",
             responses=answers(WriteOut))
def observations_write(request: Request, body: ObservationsIn,
                       who: Annotated[Principal, Depends(need("observations.import"))]) -> JSONResponse:
    rows = [r.model_dump() for r in body.rows]
    for r in rows:
        if isinstance(r["value"], float) and r["value"] != r["value"]:
            r["value"] = ""
    return ok(actions.write_rows(request, who, rows, body.reason))


@router.post("/observations/import", summary="Import filled forms (Excel/CSV/JSON); returns findings",
             responses=answers(ImportOut, 413))
async def observations_import(request: Request, files: list[UploadFile],
                              who: Annotated[Principal, Depends(need("observations.import"))],
                              unit: Annotated[str | None, Query(max_length=50)] = None,
                              reason: Annotated[str, Query(max_length=2000)] = "") -> JSONResponse:
    out = await actions.upload(request, who, files, unit, {"*": reason} if reason.strip() else None)
    if not out.get("ok"):
        raise actions.import_refused(out)
    return ok(out)


AsOf = Annotated[str | None, Query(max_length=10, description="A date (2024-12-31) or a period (2024, 2024Q3, "
                                                                 "2024-10; its last day); default: the latest data")]


@router.get("/assessments", summary="Indicator assessments (progress, expected, projected, status)",
            responses=answers(Open))
def assessments(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
                unit: Annotated[str | None, Query(max_length=50)] = None,
                as_of: AsOf = None,
                scheme: Annotated[str, Query(max_length=20)] = "ndrc") -> JSONResponse:
    snap = views.snapshot(request.app.state, as_of)
    df = snap.assessments_for(unit, scheme) if unit else snap.assessment(scheme)
    return ok({"available": True, "as_of": snap.as_of.day, "rows": df})


@router.get("/risks", summary="Risk alerts", responses=answers(PageOut))
def risks(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
          unit: Annotated[str | None, Query(max_length=50)] = None,
          as_of: AsOf = None,
          limit: Annotated[int, Query(ge=1, le=1000)] = 100,
          offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> JSONResponse:
    snap = views.snapshot(request.app.state, as_of)
    df = snap.risks if unit is None else snap.risks[snap.risks["unit"] == unit]
    rows = views.clean(df)
    return paged(request, rows[offset:offset + limit], len(rows), limit, offset, available=True,
                 as_of=snap.as_of.day.isoformat())


@router.get("/index", summary="Composite index: scores, ranks, strengths/weaknesses, uncertainty, comparison period",
            responses=answers(Open))
def index_results(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
                  period: Annotated[str | None, Query(max_length=10, description="as of this period "
                                                      "(the ranking compares the period its rule picks)")] = None,
                  as_of: AsOf = None) -> JSONResponse:
    return ok({"available": True, **views.index_results(request.app.state, as_of or period)})


@router.get("/supervision", summary="Supervision list (tasks, milestones overdue or due)", responses=answers(Open))
def supervision(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
                as_of: AsOf = None) -> JSONResponse:
    snap = views.snapshot(request.app.state, as_of)
    return ok({"available": True, "as_of": snap.as_of.day, "rows": snap.supervision,
               "notes": snap.supervision.attrs.get("notes", [])})


@router.get("/scorecard", summary="Responsibility scorecard by unit", responses=answers(Open))
def scorecard(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
              unit: Annotated[str | None, Query(max_length=50)] = None,
              as_of: AsOf = None) -> JSONResponse:
    snap = views.snapshot(request.app.state, as_of)
    if unit and unit not in {u.id for u in request.app.state.framework.units}:
        raise HTTPException(404, {"code": "unknown_unit", "message_zh": f"未知的单位“{unit}”",
                                  "message_en": f"unknown unit '{unit}'"})
    return ok({"available": True, "as_of": snap.as_of.day, "rows": snap.scorecard(unit) if unit else snap.scorecards})


@router.get("/submissions", summary="Submissions visible to the caller, newest first", responses=answers(PageOut))
def submissions_list(request: Request, who: Annotated[Principal, Depends(need("submissions.read"))],
                     unit: Annotated[str | None, Query(max_length=50)] = None,
                     state: Annotated[Literal["submitted", "accepted", "returned", "draft"] | None, Query()] = None,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                     offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> JSONResponse:
    rows = actions.visible_submissions(request, who, unit, state)  # newest first
    return paged(request, rows[offset:offset + limit], len(rows), limit, offset)


@router.get("/submissions/{submission_id}", summary="One submission: its rows beside the accepted values, warnings",
            responses=answers(SubmissionOut, 404))
def submission_one(request: Request, submission_id: SubmissionId,
                   who: Annotated[Principal, Depends(need("submissions.read"))]) -> JSONResponse:
    sub = actions.one_submission(request, who, submission_id)
    return ok({**sub, "review_rows": services.review_rows(request.app.state.store, submission_id)})


class ReviewIn(BaseModel):
    comment: str = Field("", max_length=4000)


@router.post("/submissions/{submission_id}/accept", summary="Accept a submission (409 when no longer submitted)",
             responses=answers(SubmissionOut, 404, 409))
def submission_accept(request: Request, submission_id: SubmissionId, body: ReviewIn,
                      who: Annotated[Principal, Depends(need("submissions.review"))]) -> JSONResponse:
    actions.review(request, who, submission_id, "accept", body.comment)
    return ok(actions.one_submission(request, who, submission_id))


@router.post("/submissions/{submission_id}/return", summary="Return a submission with a comment (409 when no longer submitted)",
             responses=answers(SubmissionOut, 404, 409))
def submission_return(request: Request, submission_id: SubmissionId, body: ReviewIn,
                      who: Annotated[Principal, Depends(need("submissions.review"))]) -> JSONResponse:
    actions.review(request, who, submission_id, "return", body.comment)
    return ok(actions.one_submission(request, who, submission_id))


class ProgressIn(BaseModel):
    item: str = Field(max_length=50)
    unit: str = Field(max_length=50)
    period: str = Field(max_length=10)
    status: Literal["not_started", "on_schedule", "delayed", "done"]
    share_done: float | None = Field(None, ge=0, le=1)
    narrative: str = Field("", max_length=8000)


@router.post("/progress", summary="Report progress on a plan item for a unit", responses=answers(Open))
def progress(request: Request, body: ProgressIn,
             who: Annotated[Principal, Depends(need("submissions.submit"))]) -> JSONResponse:
    res = actions.add_progress(request, who, body.item, body.unit, body.period, body.status, body.share_done,
                               body.narrative)
    return ok({"ok": True, "result": res if isinstance(res, dict | list | int | str) else None})


@router.get("/reports", summary="Generated report files", responses=answers(Open))
def reports(request: Request, who: Annotated[Principal, Depends(need("reports.read"))]) -> JSONResponse:
    return ok({"files": actions.report_files(request)})


class ReportIn(BaseModel):
    formats: list[Literal["html", "pdf", "docx", "xlsx"]] = Field(default=["html"], max_length=4)
    lang: Lang = "zh"


@router.post("/reports", summary="Generate the report", responses=answers(Open))
def reports_generate(request: Request, body: ReportIn,
                     who: Annotated[Principal, Depends(need("reports.generate"))]) -> JSONResponse:
    return ok({"files": actions.generate_report(request, who, list(body.formats), body.lang)})


@router.get("/reports/{name}", summary="Download one report file", responses=NOT_FOUND)
def report_file(request: Request, name: str, who: Annotated[Principal, Depends(need("reports.read"))]) -> Response:
    return FileResponse(actions.report_path(request, name), filename=name)


@router.get("/users", summary="Users (admin)", responses=answers(Open))
def users(request: Request, who: Annotated[Principal, Depends(need("users.manage"))]) -> JSONResponse:
    return ok({"rows": [u.to_dict() for u in list_users(request.app.state.store.engine)], "roles": list(ROLES)})


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200, description="≥ 12 characters, not a common password")
    role: Literal["admin", "coordinator", "reviewer", "reporter", "viewer"] = "viewer"
    scopes: list[str] = Field(default_factory=list, max_length=100)
    display_name: str = Field("", max_length=200)


class UserPatch(BaseModel):
    role: Literal["admin", "coordinator", "reviewer", "reporter", "viewer"] | None = None
    scopes: list[str] | None = Field(None, max_length=100)
    active: bool | None = None
    password: str | None = Field(None, min_length=1, max_length=200)


def _user_error(exc: UserError) -> problems.ApiProblem:
    en = exc.message.en
    status, code = 422, "user_refused"
    if en.startswith("no user"):
        status, code = 404, "user_not_found"
    elif "already exists" in en:
        status, code = 409, "user_exists"
    elif "last active administrator" in en:
        status, code = 409, "last_admin"
    return problems.ApiProblem(status, code, exc.message.zh, en)


@router.post("/users", summary="Add a user (admin)", status_code=201,
             responses={201: {"model": UserOut}, **problems.openapi_responses(409)})
def user_add(request: Request, body: UserIn, who: Annotated[Principal, Depends(need("users.manage"))]) -> JSONResponse:
    try:
        actions.check_units(request, body.scopes)
        user = add_user(request.app.state.store.engine, body.username, body.password, body.role, body.scopes,
                        actor=who.actor, display_name=body.display_name)
    except UserError as exc:
        raise _user_error(exc) from exc
    return JSONResponse(user.to_dict(), status_code=201)


@router.patch("/users/{username}", summary="Change a user's role, units, state or password (admin)",
              responses=answers(UserOut, 404, 409))
def user_patch(request: Request, username: str, body: UserPatch,
               who: Annotated[Principal, Depends(need("users.manage"))]) -> JSONResponse:
    try:
        if body.scopes is not None:
            actions.check_units(request, body.scopes)
        user = update_user(request.app.state.store.engine, username, who.actor, role=body.role, scopes=body.scopes,
                           active=body.active, password=body.password)
    except UserError as exc:
        raise _user_error(exc) from exc
    return ok(user.to_dict())


class TokenIn(BaseModel):
    name: str = Field("", max_length=100)


@router.post("/tokens", summary="Create an API token for yourself (shown once)", status_code=201,
             responses={201: {"model": TokenOut}})
def token(request: Request, body: TokenIn, who: Annotated[Principal, Depends(need("account.self"))]) -> JSONResponse:
    value = create_token(request.app.state.store.engine, who.user.username, body.name, actor=who.actor)
    return JSONResponse({"token": value, "username": who.user.username}, status_code=201)


@router.get("/tokens", summary="Your API tokens (names and dates; never the token itself)",
            responses=answers(PageOut))
def tokens_list(request: Request, who: Annotated[Principal, Depends(need("account.self"))]) -> JSONResponse:
    rows = list_tokens(request.app.state.store.engine, who.user.username)
    return ok({"rows": rows, "total": len(rows), "limit": len(rows), "offset": 0, "next": None})


@router.delete("/tokens/{token_id}", summary="Revoke one of your API tokens", responses=answers(Open, 404))
def token_revoke(request: Request, token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                 who: Annotated[Principal, Depends(need("account.self"))]) -> JSONResponse:
    if not revoke_token(request.app.state.store.engine, who.user.username, token_id, actor=who.actor):
        raise problems.ApiProblem(404, "token_not_found", "没有这个令牌（或已撤销）", "no such live token of yours")
    return ok({"revoked": token_id})


class PasswordIn(BaseModel):
    current: str = Field(min_length=1, max_length=200)
    new: str = Field(min_length=1, max_length=200, description="≥ 12 characters, not a common password")


@router.post("/me/password", summary="Change your own password (your other sessions end)", responses=answers(Open))
async def password_change(request: Request, body: PasswordIn,
                          who: Annotated[Principal, Depends(need("account.self"))]) -> JSONResponse:
    sid = session_of(request).sid if who.via == "session" else None
    try:
        await run_in_threadpool(functools.partial(change_password, request.app.state.store.engine,
                                                  who.user.username, body.current, body.new, keep_session=sid))
    except UserError as exc:
        raise _user_error(exc) from exc
    return ok({"changed": True})


@router.get("/audit", summary="The audit log, newest first (admin)", responses=answers(PageOut))
def audit_log(request: Request, who: Annotated[Principal, Depends(need("users.manage"))],
              entity: Annotated[str | None, Query(max_length=50)] = None,
              actor: Annotated[str | None, Query(max_length=100)] = None,
              limit: Annotated[int, Query(ge=1, le=5000)] = 200,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> JSONResponse:
    ae = audit_events
    cond = [c for c in (ae.c.entity == entity if entity else None, ae.c.actor == actor if actor else None)
            if c is not None]
    with request.app.state.store.engine.connect() as conn:
        rows = audit.list_events(conn, entity=entity, actor=actor, limit=limit, offset=offset)
        total = int(conn.execute(select(func.count()).select_from(ae).where(*cond)).scalar_one())
    return paged(request, rows, total, limit, offset)

