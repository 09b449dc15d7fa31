"""Every page as each role, in Chinese, at 1366 × 768 in headless Chromium (issue 14):

- nothing wider than the window (``document.documentElement.scrollWidth ≤ 1366``);
- no visible program text: no ``snake_case`` word and no ``None`` (a small allow-list of real identifiers);
- no table column so narrow that its text stands one character per line;
- a screenshot of each page kept as a test artefact (``PLANMON_SCREENSHOTS`` or a temporary folder).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planmon.auth import ROLES, add_user
from planmon.demo import load_demo
from planmon.store import Store
from planmon.web.app import create_app
from tests.web.browser import browser_context, serve

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"),
                                                       reason="Debian chromium is not installed")]

PASSWORD = "correct-horse-battery-1"
SHOTS = Path(os.environ.get("PLANMON_SCREENSHOTS") or tempfile.mkdtemp(prefix="planmon-layout-"))
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
NONE = re.compile(r"\bNone\b")
#: Real identifiers that may look like code: file names users upload, the plan's id.
ALLOW = {"cn-informatization-14fyp"}

PAGES = ["/", "/plan", "/indicators/I01", "/indicators/I06", "/regions/330000", "/submissions", "/review",
         "/reports", "/account", "/admin", "/no-such-page"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("layout") / "web.db"
    store = Store.open(f"sqlite:///{path}")
    store.init()
    load_demo(store)
    for role in ROLES:
        add_user(store.engine, role, PASSWORD, role, ["330000"] if role == "reporter" else [], actor="test")
    app = create_app(store, reports_dir=path.parent / "reports")
    with serve(app) as base:
        yield base


MEASURE = """() => {
  const visible = el => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
                          return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0; };
  const narrow = [];
  document.querySelectorAll('td, th').forEach(c => {
    if (!visible(c)) return;
    const text = c.innerText.trim();
    if (text.length < 3) return;
    const lh = parseFloat(getComputedStyle(c).lineHeight) || 20;
    const r = c.getBoundingClientRect();
    // one character per line: at least as many lines as characters (3 or more)
    if (r.height / lh >= text.length - 0.5 && r.width < 40) narrow.push(text.slice(0, 20));
  });
  return {scrollWidth: document.documentElement.scrollWidth, text: document.body.innerText, narrow};
}"""


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_and_speaks_chinese(site: str, role: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with browser_context() as ctx:
        page = ctx.new_page()
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(f"{site}/login")
        page.fill("input[name=username]", role)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for path in PAGES:
            page.goto(site + path)
            page.wait_for_load_state("networkidle")
            m: dict[str, Any] = page.evaluate(MEASURE)
            name = f"{role}{path.replace('/', '_') or '_home'}"
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
            if m["scrollWidth"] > 1366:
                problems.append(f"{path}: scrollWidth {m['scrollWidth']}")
            words = {w for w in SNAKE.findall(m["text"]) if w not in ALLOW}
            if words:
                problems.append(f"{path}: code words {sorted(words)[:5]}")
            if NONE.search(m["text"]):
                problems.append(f"{path}: 'None' shown")
            if m["narrow"]:
                problems.append(f"{path}: one character per line in {m['narrow'][:3]}")
    print(f"screenshots in {SHOTS}")
    assert problems == [], problems
