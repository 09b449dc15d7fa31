"""The correction flow in headless chromium (issue 11): a reporter corrects an accepted value, gives the
reason the warning asks for, and submits; the reviewer sees the old and the new value side by side and
accepts. Screenshots go to PLANMON_SCREENSHOTS or a temporary folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from planmon.store import NewObservation
from tests.web.browser import Watched, browser_context, serve, shot
from tests.web.conftest import PASSWORD, REPORTER_UNIT, WebEnv

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"),
                                                       reason="Debian chromium is not installed")]

def test_correction_with_reason_then_review_side_by_side(web: WebEnv, tmp_path: Path) -> None:
    web.store.write_observations([NewObservation("I13", REPORTER_UNIT, "2024", 95.0, source="省统计局")], actor="t")
    corrected = tmp_path / "zj-2024-correction.csv"
    corrected.write_text(f"indicator,unit,period,value\nI13,{REPORTER_UNIT},2024,96.5\n", encoding="utf-8")
    with serve(web.app) as base, browser_context() as ctx:
        w = Watched(ctx)
        w.login(base, "reporter", PASSWORD)
        w.page.goto(base + "/submissions")
        w.page.set_input_files("#upload-file", str(corrected))
        w.page.click("#upload-submit")
        w.page.wait_for_selector("#reasons-form")
        assert "95" in w.page.locator("#findings").inner_text()  # the warning names the accepted value
        reason = w.page.locator(f"input[name='reason:I13/{REPORTER_UNIT}/2024']")
        reason.fill("省统计局 2025 年 3 月更正公报")
        shot(w, "30-correction-reason")
        w.page.click("#reasons-submit")
        w.page.wait_for_selector("#upload-ok")
        sid = re.search(r"#(\d+)", w.page.locator("#upload-ok").inner_text())
        assert sid
        shot(w, "31-correction-submitted")
        w.logout()
        # nothing is current before review
        assert web.store.current_observations(indicator="I13", unit=REPORTER_UNIT)["value"].tolist() == [95.0]
        w.login(base, "reviewer", PASSWORD)
        w.page.goto(f"{base}/submissions/{sid.group(1)}")
        row = w.page.locator(f"#review-rows tr[data-key='I13/{REPORTER_UNIT}/2024']")
        assert row.locator("td.old").inner_text().strip() == "95"
        assert row.locator("td.new").inner_text().strip() == "96.5"
        text = row.inner_text()
        assert "+1.5" in text and "更正公报" in text
        assert w.page.locator("#submission-file").inner_text() == corrected.name
        shot(w, "32-review-side-by-side")
        w.page.locator("#review-form input[name=comment]").fill("与公报一致")
        w.page.locator("#review-form button.accept").click()
        w.page.wait_for_load_state("networkidle")
        assert w.page.locator("#submission-state").inner_text() == "已接收"
        shot(w, "33-accepted")
        assert w.errors == [], w.errors
    assert web.store.current_observations(indicator="I13", unit=REPORTER_UNIT)["value"].tolist() == [96.5]
