"""Fixtures of the web tests: a real SQLite store with the built-in plan, one user per role,
an app over it, and helpers to log in through the real login form."""

from __future__ import annotations

import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from planmon.auth import add_user, create_token  # noqa: E402
from planmon.auth.permissions import ROLES  # noqa: E402
from planmon.framework import BUILTIN_DEFAULT  # noqa: E402
from planmon.store import Store  # noqa: E402
from planmon.store.tables import responsibilities  # noqa: E402
from planmon.web.app import create_app  # noqa: E402

PASSWORD = "correct-horse-1"
REPORTER_UNIT = "330000"  # Zhejiang


@dataclass
class WebEnv:
    store: Store
    app: FastAPI
    tokens: dict[str, str]
    tmp: Path

    def client(self, **kw: object) -> TestClient:
        return TestClient(self.app, follow_redirects=False, **kw)  # type: ignore[arg-type]


def make_users(store: Store) -> dict[str, str]:
    tokens = {}
    for role in ROLES:
        scopes = [REPORTER_UNIT] if role == "reporter" else []
        add_user(store.engine, role, PASSWORD, role, scopes, actor="test")
        tokens[role] = create_token(store.engine, role, "test", actor="test")
    return tokens


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One initialised database with the users, built once per worker and copied for each test."""
    path = tmp_path_factory.mktemp("seed") / "web.db"
    store = Store.open(f"sqlite:///{path}")
    store.init()
    tokens = make_users(store)
    with store.engine.begin() as conn:  # Zhejiang joins T1, so its reporter may report progress on it
        conn.execute(responsibilities.insert().values(framework_id=BUILTIN_DEFAULT, item_id="T1",
                                                      unit_id=REPORTER_UNIT, role="participant", inferred=False,
                                                      origin="import"))
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.engine.dispose()
    return path, tokens


@pytest.fixture
def web(tmp_path: Path, seed_db: tuple[Path, dict[str, str]]) -> WebEnv:
    path = tmp_path / "web.db"
    shutil.copy(seed_db[0], path)
    store = Store.open(f"sqlite:///{path}")
    app = create_app(store, reports_dir=tmp_path / "reports")
    return WebEnv(store, app, dict(seed_db[1]), tmp_path)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field in the page"
    return m.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; return the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": token, "next": "/"})
    assert r.status_code == 303, r.text[:300]
    return csrf_of(client.get("/account").text)


def denied_events(store: Store) -> list[dict[str, object]]:
    return [e for e in store.audit_events(limit=100000) if e["action"] == "access.denied"]
