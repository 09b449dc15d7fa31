"""``planmon user add|list|set`` and ``planmon token create`` through the real command."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from planmon.auth import authenticate, user_for_token
from planmon.cli import app
from planmon.store import Store
from tests.cli_helpers import run_planmon


def test_first_admin_then_users_and_tokens(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    r = run_planmon("--db", db, "user", "add", "chief", "--role", "admin", "--password-stdin",
                    input="a-long-password\n")
    assert r.returncode == 0, r.stderr
    cli = CliRunner()
    r2 = cli.invoke(app, ["--db", db, "user", "add", "zj", "--role", "reporter", "--unit", "330000",
                          "--password-stdin"], input="another-password\n")
    assert r2.exit_code == 0, r2.output
    # refused: a reporter without a unit, an unknown unit, a duplicate, a short password, an unknown role
    for args, stdin in [(["nounit", "--role", "reporter"], "long-enough-pw\n"),
                        (["bad", "--role", "reporter", "--unit", "999999"], "long-enough-pw\n"),
                        (["zj", "--role", "viewer"], "long-enough-pw\n"),
                        (["shorty", "--role", "viewer"], "short\n"),
                        (["who", "--role", "boss"], "long-enough-pw\n")]:
        r2 = cli.invoke(app, ["--db", db, "--lang", "en", "user", "add", *args, "--password-stdin"], input=stdin)
        assert r2.exit_code == 1, (args, r2.output)
    r = run_planmon("--db", db, "user", "list", "--format", "json")
    users = {u["username"]: u for u in json.loads(r.stdout)}
    assert set(users) == {"chief", "zj"}
    assert users["zj"]["scopes"] == ["330000"] and users["chief"]["role"] == "admin"
    assert "password" not in r.stdout and "argon2" not in r.stdout
    r = run_planmon("--db", db, "token", "create", "zj", "--name", "script")
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    store = Store.open(f"sqlite:///{db}")
    found = user_for_token(store.engine, token)
    assert found is not None and found.username == "zj"
    assert authenticate(store.engine, "chief", "a-long-password") is not None
    assert authenticate(store.engine, "chief", "wrong") is None
    r2 = cli.invoke(app, ["--db", db, "token", "revoke", "zj"])
    assert r2.exit_code == 0 and user_for_token(store.engine, token) is None, r2.output
    token = run_planmon("--db", db, "token", "create", "zj").stdout.strip()
    assert user_for_token(store.engine, token) is not None
    r2 = cli.invoke(app, ["--db", db, "user", "set", "zj", "--inactive"])
    assert r2.exit_code == 0, r2.output
    assert user_for_token(store.engine, token) is None
    events = [e["action"] for e in store.audit_events(entity="users")]
    assert events.count("user.add") == 2 and "user.update" in events


def test_serve_starts_a_server_that_answers(tmp_path: Path) -> None:
    """``planmon serve`` on a free loopback port: the login page and the OpenAPI document answer."""
    import os
    import subprocess
    import sys
    import time

    import httpx

    from tests.cli_helpers import SRC
    from tests.web.browser import free_port

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-m", "planmon", "--db", str(tmp_path / "s.db"), "serve", "--host",
                             "127.0.0.1", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert r.status_code == 200 and "planmon_session" in r.headers["set-cookie"]
        doc = httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()
        assert "/api/v1/overview" in doc["paths"]
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/overview").status_code == 401
    finally:
        proc.terminate()
        proc.wait(20)
