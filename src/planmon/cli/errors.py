"""One line, not a traceback: how the command line turns a failure into a message.

Why here: the commands cannot foresee every way the world refuses them (a database
server that is down, a folder that is read-only, a disk that is full). The entry
point catches what escapes a command and prints one sentence in the reader's
language, exit 1; ``--debug`` (or ``PLANMON_DEBUG=1``) shows the traceback instead.
"""

from __future__ import annotations

import errno
import sys
from typing import Any

from planmon import settings

_OS_REASONS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("没有写入或读取权限", "permission denied"),
    errno.EPERM: ("不允许此操作（只读位置）", "operation not permitted (read-only place)"),
    errno.EROFS: ("文件系统为只读", "read-only file system"),
    errno.ENOENT: ("文件或文件夹不存在", "no such file or folder"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    errno.EISDIR: ("这是一个文件夹，不是文件", "this is a folder, not a file"),
    errno.ENOSPC: ("磁盘空间不足", "no space left on the disk"),
    errno.EEXIST: ("已存在同名文件", "a file of that name exists"),
}


def argv_lang(argv: list[str]) -> str:
    """The language asked for on the command line or in ``PLANMON_LANG`` (before typer has parsed anything)."""
    lang = settings.lang()
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif a.startswith("--lang="):
            lang = a.split("=", 1)[1]
    return "en" if lang.lower().startswith("en") else "zh"


def debug_requested(argv: list[str]) -> bool:
    return "--debug" in argv or settings.flag("PLANMON_DEBUG")


def _bilingual(exc: BaseException, lang: str) -> str | None:
    """A library exception that carries both languages (Refusal, Message, message_zh/en, zh/en)."""
    en = lang == "en"
    get = getattr(exc, "get", None)
    if callable(get):
        try:
            text = get(lang)
        except TypeError:
            text = None
        if isinstance(text, str) and text:
            return text
    for zh_attr, en_attr in (("message_zh", "message_en"), ("zh", "en")):
        zh_v, en_v = getattr(exc, zh_attr, None), getattr(exc, en_attr, None)
        if isinstance(zh_v, str) and isinstance(en_v, str):
            return en_v if en else zh_v
    msg: Any = getattr(exc, "message", None)
    if msg is not None and hasattr(msg, "zh") and hasattr(msg, "en"):
        return str(msg.en if en else msg.zh)
    return None


def explain(exc: BaseException, lang: str) -> str:
    """One sentence for the reader; never a stack."""
    en = lang == "en"
    text = _bilingual(exc, lang)
    if text:
        return " ".join(text.split())
    if isinstance(exc, OSError):
        reason = _OS_REASONS.get(exc.errno or -1)
        why = (reason[1] if en else reason[0]) if reason else (exc.strerror or type(exc).__name__)
        where = exc.filename or ""
        if where:
            return f"cannot use {where}: {why}" if en else f"无法使用 {where}：{why}"
        return f"system error: {why}" if en else f"系统错误：{why}"
    try:
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError
    except ImportError:  # pragma: no cover - sqlalchemy is a dependency
        DBAPIError = SQLAlchemyError = ()  # type: ignore[misc,assignment]
    if isinstance(exc, DBAPIError):
        first = (str(exc.orig).strip().splitlines() or [""])[0] if exc.orig is not None else ""
        return f"database error: {first}" if en else f"数据库错误：{first}"
    if isinstance(exc, SQLAlchemyError):
        first = (str(exc).strip().splitlines() or [""])[0]
        return f"database error: {first}" if en else f"数据库错误：{first}"
    first = (str(exc).strip().splitlines() or [""])[0]
    return (f"unexpected error ({type(exc).__name__}: {first}); run again with --debug for details" if en else
            f"意外错误（{type(exc).__name__}：{first}）；加 --debug 重新运行可查看详细信息")


def print_line(text: str) -> None:
    """Write one message to standard error, never wrapped."""
    sys.stderr.write(f"planmon: {text}\n")
    sys.stderr.flush()
