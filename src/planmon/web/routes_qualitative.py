"""Pages and API of the planning office's statuses for qualitative targets (issue 19).

Thin over :mod:`planmon.monitor.qualitative`: the form on the indicator page and ``POST
/api/v1/qualitative-statuses`` need ``qualitative.enter`` (coordinator, admin), checked on the server by
:func:`planmon.web.security.need` (CSRF for the form); the role is passed on to the library, which
refuses it again. Reading needs ``dashboard.read`` (every role).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request, Security
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from planmon.monitor.qualitative import QualitativeRefused, current_statuses, enter_status, status_history
from planmon.web import problems, views
from planmon.web.render import lang_of, page
from planmon.web.routes_api import bearer
from planmon.web.security import Principal, need
from planmon.web.views import clean

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"], dependencies=[Security(bearer)],
                responses=problems.openapi_responses(400, 401, 403, 422))
IndicatorId = Annotated[str, Path(max_length=50)]


class StatusIn(BaseModel):
    """One status of a qualitative indicator, in the scheme's terms, with its evidence."""

    indicator: str = Field(max_length=50, description="indicator id; its target form must be qualitative")
    period: str = Field(max_length=10, description="the year the status is for, e.g. 2023")
    status: str = Field(max_length=40, description="a status of the scheme: 提前实现, 快于预期, 基本符合预期, 滞后 "
                                                   "(or achieved, faster, as_expected, lagging)")
    evidence_zh: str = Field(max_length=4000, description="the facts the status rests on (Chinese)")
    evidence_en: str = Field("", max_length=4000)
    source: str = Field("", max_length=2000, description="the document: publisher, title, date")
    reason: str = Field("", max_length=2000, description="why: required when it revises an entry")
    unit: str = Field("CN", max_length=50)
    scheme: str = Field("ndrc", max_length=20)
    plan: str | None = Field(None, max_length=100, description="framework id; default: the app's plan")


class StatusOut(BaseModel):
    """The stored entry (``outcome``: added, revised or unchanged)."""

    model_config = ConfigDict(extra="allow")
    framework: str
    indicator: str
    unit: str
    period: str
    scheme: str
    status: str
    status_zh: str
    status_en: str
    evidence_zh: str
    evidence_en: str
    source: str
    revision: int
    outcome: str
    entered_by: str


class StatusRows(BaseModel):
    model_config = ConfigDict(extra="allow")
    plan: str
    rows: list[dict[str, Any]]


def _plan(request: Request, plan: str | None) -> str:
    fid = plan or request.app.state.framework.plan.id
    if fid not in request.app.state.store.framework_ids():
        raise HTTPException(404, detail={"code": "unknown_plan", "message_zh": f"没有规划“{fid}”",
                                         "message_en": f"no plan '{fid}'"})
    return fid


def _refused(exc: QualitativeRefused) -> problems.ApiProblem:
    status = {"forbidden": 403, "conflict": 409}.get(exc.code, 422)
    return problems.ApiProblem(status, exc.code, exc.text("zh"), exc.text("en"), reasons=exc.to_dict()["reasons"])


@router.post("/indicators/{indicator_id}/qualitative")
def qualitative_form(request: Request, indicator_id: IndicatorId,
                     who: Annotated[Principal, Depends(need("qualitative.enter"))],
                     period: Annotated[str, Form(max_length=10)], status: Annotated[str, Form(max_length=40)],
                     evidence_zh: Annotated[str, Form(max_length=4000)] = "",
                     evidence_en: Annotated[str, Form(max_length=4000)] = "",
                     source: Annotated[str, Form(max_length=2000)] = "",
                     reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """The coordinator's form on the indicator page: refused entries come back on the page with the reason."""
    state = request.app.state
    try:
        state.framework.indicator(indicator_id)
    except KeyError as exc:
        raise HTTPException(404, detail=str(exc)) from exc
    try:
        enter_status(state.store, indicator_id, period, status, evidence_zh, actor=who.actor, role=who.user.role,
                     evidence_en=evidence_en, source=source, reason=reason, framework_id=state.framework.plan.id)
    except QualitativeRefused as exc:
        if exc.code == "forbidden":
            raise _refused(exc) from exc
        lang = lang_of(request)
        data = views.indicator(state, indicator_id, lang)
        return page(request, "indicator.html", data, nav="overview", status_code=422,
                    qual_errors=exc.lines(lang), qual_form={"period": period, "status": status,
                                                            "evidence_zh": evidence_zh, "evidence_en": evidence_en,
                                                            "source": source, "reason": reason})
    return RedirectResponse(f"/indicators/{indicator_id}#qualitative", status_code=303)


@api.get("/qualitative-statuses", summary="Current statuses entered by the planning office (qualitative targets)",
         responses={200: {"model": StatusRows}, **problems.openapi_responses(404)})
def api_list(request: Request, who: Annotated[Principal, Depends(need("dashboard.read"))],
             indicator: Annotated[str | None, Query(max_length=50)] = None,
             unit: Annotated[str | None, Query(max_length=50)] = None,
             plan: Annotated[str | None, Query(max_length=100)] = None) -> JSONResponse:
    fid = _plan(request, plan)
    df = current_statuses(request.app.state.store, fid, indicator=indicator, unit=unit)
    return JSONResponse(clean({"plan": fid, "rows": df}))


@api.get("/qualitative-statuses/{indicator_id}/history",
         summary="Every entry and revision of a qualitative indicator's status, superseded ones included",
         responses={200: {"model": StatusRows}, **problems.openapi_responses(404)})
def api_history(request: Request, indicator_id: IndicatorId,
                who: Annotated[Principal, Depends(need("dashboard.read"))],
                unit: Annotated[str | None, Query(max_length=50)] = None,
                plan: Annotated[str | None, Query(max_length=100)] = None) -> JSONResponse:
    fid = _plan(request, plan)
    if indicator_id not in {i.id for i in request.app.state.store.framework(fid).indicators}:
        raise HTTPException(404, detail={"code": "unknown_indicator", "message_zh": f"规划中没有指标“{indicator_id}”",
                                         "message_en": f"the plan has no indicator '{indicator_id}'"})
    df = status_history(request.app.state.store, fid, indicator=indicator_id, unit=unit)
    return JSONResponse(clean({"plan": fid, "indicator": indicator_id, "rows": df}))


@api.post("/qualitative-statuses", status_code=201,
          summary="Enter or revise the status of a qualitative indicator (planning office: coordinator, admin)",
          responses={200: {"model": StatusOut, "description": "the same status and evidence again: unchanged"},
                     201: {"model": StatusOut}, **problems.openapi_responses(404, 409)})
def api_enter(request: Request, body: StatusIn,
              who: Annotated[Principal, Depends(need("qualitative.enter"))]) -> JSONResponse:
    fid = _plan(request, body.plan)
    try:
        rec = enter_status(request.app.state.store, body.indicator, body.period, body.status, body.evidence_zh,
                           actor=who.actor, role=who.user.role, unit=body.unit, evidence_en=body.evidence_en,
                           source=body.source, reason=body.reason, scheme=body.scheme, framework_id=fid)
    except QualitativeRefused as exc:
        raise _refused(exc) from exc
    return JSONResponse(clean(rec), status_code=201 if rec["outcome"] != "unchanged" else 200)
