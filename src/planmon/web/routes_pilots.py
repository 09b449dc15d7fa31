"""Pages and API of pilots (试点示范) and of the duplicate-review queue (重复建设审核).

Thin: data from :mod:`planmon.web.views_pilots` and the library; every route names its permission
(:mod:`planmon.auth.permissions`), checked on the server by :func:`planmon.web.security.need`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Form, HTTPException, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from planmon.pilots import TransitionRefused, transition
from planmon.projects import ReviewRefused, decide
from planmon.web import problems
from planmon.web import views_pilots as views
from planmon.web.render import lang_of, page
from planmon.web.security import Principal, need
from planmon.web.views import clean

router = APIRouter(include_in_schema=False)
# every error of these routes is a problem document (docs/web.md), declared for the OpenAPI document
api = APIRouter(prefix="/api/v1", responses=problems.openapi_responses(400, 401, 403, 404, 409, 422))
PairId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _refused(request: Request, exc: TransitionRefused | ReviewRefused, status: int = 422) -> HTTPException:
    return HTTPException(getattr(exc, "status", status), detail={
        "code": "refused", "message_zh": exc.message_zh, "message_en": exc.message_en})


@router.get("/pilots")
def pilots_page(request: Request, who: Annotated[Principal, Depends(need("pilots.read"))]) -> Response:
    return page(request, "pilots.html", views.index(request.app.state, lang_of(request)), nav="pilots")


@router.get("/pilots/programmes/{programme_id}")
def programme_page(request: Request, programme_id: str,
                   who: Annotated[Principal, Depends(need("pilots.read"))]) -> Response:
    try:
        data = views.programme(request.app.state, programme_id, lang_of(request))
    except KeyError as exc:
        raise HTTPException(404, detail=f"no programme {programme_id}") from exc
    return page(request, "pilot_programme.html", data, nav="pilots")


@router.get("/pilots/{pilot_id}")
def pilot_page(request: Request, pilot_id: str, who: Annotated[Principal, Depends(need("pilots.read"))]) -> Response:
    try:
        data = views.pilot(request.app.state, pilot_id, lang_of(request))
    except KeyError as exc:
        raise HTTPException(404, detail=f"no pilot {pilot_id}") from exc
    return page(request, "pilot.html", data, nav="pilots", can_manage=who.user.role in ("admin", "coordinator"))


@router.post("/pilots/{pilot_id}/transition")
def pilot_transition(request: Request, pilot_id: str, who: Annotated[Principal, Depends(need("pilots.manage"))],
                     to: Annotated[str, Form()], reason: Annotated[str, Form()] = "",
                     on: Annotated[str, Form()] = "") -> Response:
    try:
        day = date.fromisoformat(on) if on else None
        transition(request.app.state.store, pilot_id, to, who.actor, reason, on=day)
    except ValueError as exc:
        if isinstance(exc, TransitionRefused):
            raise _refused(request, exc) from exc
        raise HTTPException(422, detail={"code": "refused", "message_zh": f"日期“{on}”无效",
                                         "message_en": f"'{on}' is not a date"}) from exc
    return RedirectResponse(f"/pilots/{pilot_id}", status_code=303)


@router.get("/projects/review")
def duplicates_page(request: Request, who: Annotated[Principal, Depends(need("projects.read"))]) -> Response:
    return page(request, "duplicates.html", views.duplicates(request.app.state, lang_of(request)), nav="duplicates",
                can_review=who.user.role in ("admin", "coordinator", "reviewer"))


@router.post("/projects/review/{pair_id}")
def duplicates_decide(request: Request, pair_id: PairId, who: Annotated[Principal, Depends(need("projects.review"))],
                      decision: Annotated[str, Form()], reason: Annotated[str, Form()] = "") -> Response:
    try:
        decide(request.app.state.store, pair_id, decision, reason, who.actor)
    except ReviewRefused as exc:
        raise _refused(request, exc) from exc
    return RedirectResponse("/projects/review", status_code=303)


@api.get("/pilots")
def api_pilots(request: Request, who: Annotated[Principal, Depends(need("pilots.read"))]) -> Any:
    return JSONResponse(clean(views.index(request.app.state, lang_of(request))))


@api.get("/pilots/programmes/{programme_id}")
def api_programme(request: Request, programme_id: str, who: Annotated[Principal, Depends(need("pilots.read"))]) -> Any:
    try:
        return JSONResponse(clean(views.programme(request.app.state, programme_id, lang_of(request))))
    except KeyError as exc:
        raise HTTPException(404, detail=f"no programme {programme_id}") from exc


@api.get("/pilots/{pilot_id}")
def api_pilot(request: Request, pilot_id: str, who: Annotated[Principal, Depends(need("pilots.read"))]) -> Any:
    try:
        return JSONResponse(clean(views.pilot(request.app.state, pilot_id, lang_of(request))))
    except KeyError as exc:
        raise HTTPException(404, detail=f"no pilot {pilot_id}") from exc


@api.post("/pilots/{pilot_id}/transition")
def api_transition(request: Request, pilot_id: str, who: Annotated[Principal, Depends(need("pilots.manage"))],
                   body: Annotated[dict[str, Any], Body()]) -> Any:
    try:
        day = date.fromisoformat(str(body["on"])) if body.get("on") else None
        rec = transition(request.app.state.store, pilot_id, str(body.get("to", "")), who.actor,
                         str(body.get("reason", "")), on=day)
    except TransitionRefused as exc:
        raise _refused(request, exc) from exc
    except ValueError as exc:
        raise HTTPException(422, detail={"code": "refused", "message_zh": "日期无效",
                                         "message_en": "not a date"}) from exc
    return JSONResponse(clean(rec))


@api.get("/projects/duplicates")
def api_duplicates(request: Request, who: Annotated[Principal, Depends(need("projects.read"))]) -> Any:
    return JSONResponse(clean(views.duplicates(request.app.state, lang_of(request))))


@api.post("/projects/duplicates/{pair_id}")
def api_decide(request: Request, pair_id: PairId, who: Annotated[Principal, Depends(need("projects.review"))],
               body: Annotated[dict[str, Any], Body()]) -> Any:
    try:
        rec = decide(request.app.state.store, pair_id, str(body.get("decision", "")), str(body.get("reason", "")),
                     who.actor)
    except ReviewRefused as exc:
        raise _refused(request, exc) from exc
    return JSONResponse(clean(rec))
