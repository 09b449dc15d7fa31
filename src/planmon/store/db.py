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

from planmon import settings

DEFAULT_FILE = "planmon.db"


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
