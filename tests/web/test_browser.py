"""End to end in headless chromium against a real uvicorn server, network blocked.

Screenshots go to a temporary folder (printed); they were looked at while writing this.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.web.browser import SHOTS, Watched, browser_context, serve, shot
from tests.web.conftest import PASSWORD, REPORTER_UNIT, WebEnv

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"),
                                                       reason="Debian chromium is not installed")]

def test_login_and_pages_render_without_console_errors(web: WebEnv) -> None:
    with serve(web.app) as base, browser_context() as ctx:
        w = Watched(ctx)
        w.page.goto(base + "/")
        assert "/login" in w.page.url
        shot(w, "01-login")
        w.login(base, "coordinator", "wrong-password")
        assert w.page.locator("#login-error").is_visible()
        # the refused login answers 401, which chromium reports on the console: expected, nothing else is
        assert [e for e in w.errors if "401" not in e] == []
        w.errors.clear()
        w.login(base, "coordinator", PASSWORD)
        assert w.page.url.rstrip("/") == base
        # the overview: indicator cards with their sparkline drawn by ECharts (SVG), the tile map
        assert w.page.locator("#indicator-cards .card").count() >= 14
        w.page.wait_for_selector("#indicator-cards .spark svg")
        assert w.page.locator(".tilegrid .tile").count() == 34
        assert "规划实施监测评估系统" in w.page.content()
        shot(w, "02-overview-zh")
        w.page.click("#lang-switch")
        w.page.wait_for_load_state("networkidle")
        assert "Plan Implementation Monitoring" in w.page.content()
        shot(w, "03-overview-en")
        w.page.goto(base + "/indicators/I01")
        w.page.wait_for_selector(".chart svg")
        # the latest national value is CNNIC's end-2025 figure in ../shared/reference/outcomes-2021-2025.csv
        latest = next(r for r in csv.DictReader((SHARED / "reference" / "outcomes-2021-2025.csv").open(encoding="utf-8"))
                      if r["indicator_id"] == "I01" and r["period"] == "2025")
        assert w.page.locator("#latest-value").inner_text() == f"{float(latest['value']):.2f}"
        shot(w, "04-indicator")
        for path, name in [(f"/regions/{REPORTER_UNIT}", "05-region"), ("/plan", "06-plan"),
                           ("/submissions", "07-submissions"), ("/review", "08-review"),
                           ("/reports", "09-reports")]:
            w.page.goto(base + path)
            w.page.wait_for_load_state("networkidle")
            shot(w, name)
        w.logout()
        assert "/login" in w.page.url
        assert w.errors == [], w.errors
    print(f"screenshots in {SHOTS}")


def test_admin_adds_a_user_in_the_browser(web: WebEnv) -> None:
    with serve(web.app) as base, browser_context() as ctx:
        w = Watched(ctx)
        w.login(base, "admin", PASSWORD)
        w.page.goto(base + "/admin/users")
        form = w.page.locator("form[action='/admin/users']")
        form.locator("input[name=username]").fill("hz")
        form.locator("input[name=password]").fill("hangzhou-pass-1")
        form.locator("select[name=role]").select_option("reporter")
        form.locator("input[name=scopes]").fill("330000")
        form.locator("button[type=submit]").click()
        w.page.wait_for_load_state("networkidle")
        assert w.page.locator("#users td", has_text="hz").count() == 1
        shot(w, "10-admin")
        assert w.errors == [], w.errors
    from planmon.auth import get_user

    user = get_user(web.store.engine, "hz")
    assert user is not None and user.role == "reporter" and user.scopes == ["330000"]


def _fill(src: Path, dst: Path, value: str) -> bool:
    """Put ``value`` into the input cell of the I13 row of a downloaded template: the unlocked cell
    of the row naming the indicator. Returns False when no such cell is found."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            if not any(c.value == "I13" for c in row):
                continue
            for c in row:
                if c.protection is not None and not c.protection.locked and c.value in (None, ""):
                    c.value = value
                    wb.save(dst)
                    return True
    return False


def _csv(dst: Path, value: str) -> None:
    dst.write_text(f"indicator,unit,period,value\nI13,{REPORTER_UNIT},2024,{value}\n", encoding="utf-8")


@pytest.mark.skipif(importlib.util.find_spec("planmon.collect") is None, reason="planmon.collect not merged yet")
def test_full_flow_reporter_reviewer_coordinator(web: WebEnv, tmp_path: Path) -> None:
    with serve(web.app) as base, browser_context() as ctx:
        # a reporter of Zhejiang downloads its template
        w = Watched(ctx)
        w.login(base, "reporter", PASSWORD)
        w.page.goto(base + "/submissions")
        w.page.fill("#template-period", "2024")
        with w.page.expect_download() as dl:
            w.page.click("#download-template")
        template = tmp_path / "template.xlsx"
        dl.value.save_as(template)
        assert template.stat().st_size > 0
        # ... fills it with a mistake (not a number), uploads, sees the finding inline
        bad = tmp_path / "zj-2024.xlsx"
        if not _fill(template, bad, "9O.5"):
            bad = tmp_path / "zj-2024.csv"
            _csv(bad, "9O.5")
        w.page.set_input_files("#upload-file", str(bad))
        w.page.click("#upload-submit")
        w.page.wait_for_selector("#findings")
        assert "9O.5" in w.page.locator("#findings").inner_text()
        shot(w, "20-finding")
        # ... fixes it and submits
        good = tmp_path / ("zj-2024-fixed" + bad.suffix)
        if bad.suffix == ".xlsx":
            assert _fill(template, good, "96.5")
        else:
            _csv(good, "96.5")
        w.page.set_input_files("#upload-file", str(good))
        w.page.click("#upload-submit")
        w.page.wait_for_selector("#upload-ok")
        sid = re.search(r"#(\d+)", w.page.locator("#upload-ok").inner_text())
        assert sid
        shot(w, "21-submitted")
        w.logout()
        # a reviewer accepts it
        w.login(base, "reviewer", PASSWORD)
        w.page.goto(base + "/review")
        row = w.page.locator(f"tr[data-submission='{sid.group(1)}']")
        row.locator("input[name=comment]").fill("核对无误")
        shot(w, "22-review")
        row.locator("button.accept").click()
        w.page.wait_for_load_state("networkidle")
        w.logout()
        # the coordinator's overview shows the new value on the map
        w.login(base, "coordinator", PASSWORD)
        w.page.goto(base + "/?map_indicator=I13")
        tile = w.page.locator(f".tile[href='/regions/{REPORTER_UNIT}']")
        assert "96.5" in tile.inner_text()
        shot(w, "23-coordinator-overview")
        # chromium reports the navigation that became a download as an aborted request: expected
        assert [e for e in w.errors if "/submissions/template" not in e] == [], w.errors
