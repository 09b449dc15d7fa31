"""The office's status on the indicator page in chromium (issue 19): the coordinator enters and revises it
through the form; a reporter sees it, its evidence and its history, and no form. Screenshots go to the
browser tests' folder (q1… q4)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planmon.monitor.qualitative import status_history
from planmon.web.app import create_app
from tests.qualitative.conftest import QUAL, qual_store
from tests.web.browser import Watched, browser_context, serve
from tests.web.conftest import PASSWORD, WebEnv, make_users
from tests.web.test_browser import shot

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"),
                                                       reason="Debian chromium is not installed")]

EVIDENCE = "2023年国内生产总值比上年增长5.2%，高于5%左右的年度预期目标（国家统计局《2023年国民经济和社会发展统计公报》）"


def test_coordinator_enters_and_revises_reporter_reads(tmp_path: Path) -> None:
    store = qual_store(f"sqlite:///{tmp_path / 'web.db'}")
    env = WebEnv(store, create_app(store, reports_dir=tmp_path / "reports"), make_users(store), tmp_path)
    with serve(env.app) as base, browser_context() as ctx:
        w = Watched(ctx)
        w.login(base, "coordinator", PASSWORD)
        w.page.goto(f"{base}/indicators/{QUAL}")
        assert "待规划办公室评定" in w.page.locator("#status-card").inner_text()
        shot(w, "q1-qualitative-coordinator-empty")
        form = w.page.locator("#qual-form")
        form.locator("select[name=period]").select_option("2023")
        form.locator("select[name=status]").select_option("as_expected")
        form.locator("textarea[name=evidence_zh]").fill(EVIDENCE)
        form.locator("input[name=source]").fill("国家统计局，2024-02-29")
        form.locator("button[type=submit]").click()
        w.page.wait_for_load_state("networkidle")
        assert "基本符合预期" in w.page.locator("#status-card").inner_text()
        form = w.page.locator("#qual-form")
        form.locator("select[name=period]").select_option("2023")
        form.locator("select[name=status]").select_option("faster")
        form.locator("textarea[name=evidence_zh]").fill("复核：全年增长5.2%，高于预期目标0.2个百分点，快于预期")
        form.locator("input[name=reason]").fill("统计公报发布后复核")
        form.locator("button[type=submit]").click()
        w.page.wait_for_load_state("networkidle")
        card = w.page.locator("#status-card").inner_text()
        assert "快于预期" in card and "规划办认定" in card
        assert w.page.locator("#qual-history tbody tr").count() == 2
        shot(w, "q2-qualitative-coordinator-revised")
        w.logout()
        w.login(base, "reporter", PASSWORD)
        w.page.goto(f"{base}/indicators/{QUAL}")
        assert w.page.locator("#qual-form").count() == 0
        assert "复核：全年增长5.2%" in w.page.locator("#qual-current").inner_text()
        assert w.page.locator("#qual-history tbody tr.superseded").count() == 1
        shot(w, "q3-qualitative-reporter")
        w.page.goto(f"{base}/indicators/{QUAL}?lang=en")
        assert "entered by the planning office" in w.page.locator("#status-card").inner_text()
        shot(w, "q4-qualitative-reporter-en")
        assert w.errors == []
    hist = status_history(store, indicator=QUAL)
    assert hist["entered_by"].tolist() == ["web:coordinator", "web:coordinator"]
    assert hist["reason"].tolist() == ["", "统计公报发布后复核"]
