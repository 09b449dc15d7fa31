"""One error shape for every error of the API: RFC 9457 ``application/problem+json``.

Every refusal — a library refusal, a permission, a missing record, a conflict, an invalid request,
an unknown route — becomes :class:`Problem`: ``type``, ``title``, ``status``, ``detail`` (the English
message, as the RFC asks for a human-readable explanation), ``instance`` (the path), and our
extension members ``code`` (stable, for programs), ``message_zh`` and ``message_en`` (for people),
plus what the case adds (``findings``, ``errors``, ``limit``, ``permission``). Browsers get the same
content as an HTML page instead.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

MEDIA_TYPE = "application/problem+json"

#: stable code, zh and en of each status when the raiser gave none
DEFAULTS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "请求格式错误", "the request is malformed"),
    401: ("unauthenticated", "请先登录", "log in or send a Bearer token"),
    403: ("forbidden", "无权执行此操作", "you may not do this"),
    404: ("not_found", "没有找到", "not found"),
    405: ("method_not_allowed", "不支持此请求方法", "this method is not allowed here"),
    409: ("conflict", "与当前状态冲突", "conflicts with the current state"),
    413: ("too_large", "上传内容过大", "upload too large"),
    422: ("invalid_input", "输入内容不符合要求", "the input was refused"),
    429: ("too_many_attempts", "尝试次数过多，请稍后再试", "too many attempts: try again later"),
    500: ("server_error", "服务器内部错误，已记录", "internal server error (logged)"),
}


class ApiProblem(Exception):
    """Raise anywhere in the web layer to answer with a problem (status, stable code, zh and en)."""

    def __init__(self, status: int, code: str, zh: str, en: str, **extra: Any) -> None:
        super().__init__(en)
        self.status = status
        self.code = code
        self.message_zh = zh
        self.message_en = en
        self.extra = extra


class Problem(BaseModel):
    """The error body of every API error (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field("about:blank", description="always about:blank: the status and code say what happened")
    title: str = Field(description="the HTTP status phrase")
    status: int
    detail: str = Field(description="what went wrong, in English")
    instance: str = Field("", description="the path of the request")
    code: str = Field(description="stable machine-readable code, e.g. submission_conflict, outside_scope")
    message_zh: str
    message_en: str


def body(status: int, code: str | None = None, zh: str | None = None, en: str | None = None,
         instance: str = "", **extra: Any) -> dict[str, Any]:
    d_code, d_zh, d_en = DEFAULTS.get(status, DEFAULTS[500] if status >= 500 else DEFAULTS[400])
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    en = en or d_en
    return {"type": "about:blank", "title": title, "status": status, "detail": en, "instance": instance,
            "code": code or d_code, "message_zh": zh or d_zh, "message_en": en, **extra}


def from_detail(status: int, detail: Any, instance: str = "") -> dict[str, Any]:
    """A problem from an ``HTTPException``'s detail (a dict with code/message_zh/message_en, or a text)."""
    if isinstance(detail, dict):
        extra = {k: v for k, v in detail.items() if k not in ("code", "message_zh", "message_en", "detail")}
        return body(status, detail.get("code"), detail.get("message_zh"), detail.get("message_en"), instance, **extra)
    return body(status, instance=instance)


def response(problem: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(problem, status_code=int(problem["status"]), headers=headers, media_type=MEDIA_TYPE)


def openapi_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: each error status documented with the problem schema
    (moved under ``application/problem+json`` by :func:`problem_media_type`)."""
    return {s: {"model": Problem, "description": DEFAULTS[s][2]} for s in statuses}


def problem_media_type(doc: dict[str, Any]) -> dict[str, Any]:
    """Document every error answer under its real media type, ``application/problem+json``
    (FastAPI files a response model under ``application/json``)."""
    for item in doc.get("paths", {}).values():
        for op in item.values():
            for status, resp in (op.get("responses") or {}).items():
                content = resp.get("content") or {}
                if str(status)[:1] in ("4", "5") and "application/json" in content:
                    resp["content"] = {MEDIA_TYPE: content.pop("application/json")}
    return doc
