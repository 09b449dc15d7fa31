"""Render a page, or its JSON twin when ``?format=json`` is asked for."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from planmon.web.messages import translator
from planmon.web.security import principal, session_of
from planmon.web.views import clean


def lang_of(request: Request) -> str:
    return str(getattr(request.state, "lang", "zh"))


def page(request: Request, template: str, data: dict[str, Any], nav: str = "", status_code: int = 200,
         **extra: Any) -> Response:
    if request.query_params.get("format") == "json":
        return JSONResponse(clean(data), status_code=status_code)
    lang = lang_of(request)
    who = principal(request)
    ctx = {
        "data": data, "lang": lang, "t": translator(lang), "csrf": session_of(request).csrf, "nav": nav,
        "user": who.user.to_dict() if who else None, **extra,
    }
    return request.app.state.templates.TemplateResponse(request, template, ctx, status_code=status_code)


def partial(request: Request, template: str, **ctx: Any) -> Response:
    lang = lang_of(request)
    return request.app.state.templates.TemplateResponse(
        request, template, {"lang": lang, "t": translator(lang), "csrf": session_of(request).csrf, **ctx})
