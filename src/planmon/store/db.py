"""Engines and schema upgrades.

SQLite (WAL) is the embedded default; PostgreSQL through a ``postgresql+psycopg://``
URL. The schema is only ever changed by the Alembic migrations shipped in the
package, so ``planmon init`` upgrades an older database in place.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from planmon import settings
from planmon.i18n import Message
from planmon.refusal import Refusal

DEFAULT_FILE = "planmon.db"
#: The database kinds planmon runs on (the others are refused with a message, not a traceback).
SUPPORTED_DIALECTS = ("sqlite", "postgresql")


class DatabaseUnavailable(Refusal):
    """The database named by a URL cannot be used: unknown kind, missing folder, unreachable server.

    One sentence in each language, never the driver's traceback; the password is never shown.
    """

    code = "database_unavailable"

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(Message(zh, en))

    def get(self, lang: str | None = "zh") -> str:
        return self.en if (lang or "").lower().startswith("en") else self.zh


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def check_url(url: str) -> None:
    """Refuse a URL planmon cannot use before any driver is loaded (``mysql://…``, a file in a missing folder)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(f"无法识别的数据库地址：{url}", f"not a database URL: {url}") from None
    dialect = parsed.get_backend_name()
    if dialect not in SUPPORTED_DIALECTS:
        raise DatabaseUnavailable(
            f"不支持的数据库类型“{dialect}”（{_shown(url)}）：请使用 SQLite 文件或 postgresql+psycopg:// 地址",
            f"unsupported database kind '{dialect}' ({_shown(url)}): use an SQLite file or a postgresql+psycopg:// URL")
    if dialect == "postgresql" and parsed.get_driver_name() not in ("psycopg", "postgresql"):
        raise DatabaseUnavailable(
            f"不支持的 PostgreSQL 驱动“{parsed.get_driver_name()}”：请使用 postgresql+psycopg://",
            f"unsupported PostgreSQL driver '{parsed.get_driver_name()}': use postgresql+psycopg://")
    if dialect == "sqlite" and parsed.database and parsed.database != ":memory:" \
            and not parsed.database.startswith("file:"):
        folder = Path(parsed.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise DatabaseUnavailable(f"数据库文件所在的文件夹不存在：{folder}",
                                      f"the folder of the database file does not exist: {folder}")


def probe(engine: Engine) -> None:
    """Connect once; an unreachable server or an unopenable file becomes :class:`DatabaseUnavailable`."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
        shown = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailable(f"无法连接数据库 {shown}：{first}",
                                  f"cannot connect to the database {shown}: {first}") from None


def default_url() -> str:
    """``PLANMON_DB`` if set, else an SQLite file in the working folder."""
    env = settings.db_url()
    if env:
        return normalise_url(env)
    return f"sqlite:///{Path.cwd() / DEFAULT_FILE}"


def normalise_url(url: str) -> str:
    """Accept a bare file path or ``postgresql://`` and give SQLAlchemy's full form."""
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str | None = None) -> Engine:
    url = normalise_url(url) if url else default_url()
    check_url(url)
    kwargs: dict[str, Any] = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("planmon.store") / "migrations"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Bring the schema to ``revision``; return whether anything changed."""
    before = current_revision(engine)
    target = head_revision() if revision == "head" else revision
    if before == target:
        return False
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return True
