"""The duplicate-review queue in chromium: confirm one pair with a reason, dismiss another; the audit
log has both. Screenshots of the pilot pages go to the same folder as the other browser tests."""

from __future__ import annotations

import os

import pytest

from planmon.pilots.illustrative import generate_illustrative
from tests.web.browser import Watched, browser_context, serve
from tests.web.conftest import PASSWORD, WebEnv
from tests.web.test_browser import shot
from tests.web.test_pilots_pages import seed_projects

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"),
                                                       reason="Debian chromium is not installed")]


def test_review_queue_confirm_and_dismiss_in_the_browser(web: WebEnv) -> None:
    seed_projects(web)
    generate_illustrative(web.store)
    with serve(web.app) as base, browser_context() as ctx:
        w = Watched(ctx)
        w.login(base, "reviewer", PASSWORD)
        w.page.goto(base + "/projects/review")
        pairs = w.page.locator("section.pair")
        assert pairs.count() == 2
        assert w.page.locator("section.pair mark").count() > 0  # shared key phrases highlighted
        shot(w, "p1-duplicates-open")
        first, second = (pairs.nth(i).get_attribute("data-pair") for i in range(2))
        box = w.page.locator(f"#pair-{first}")
        box.locator("input[name=reason]").fill("市级平台与省平台功能重叠，应接入省平台")
        box.locator("button.confirm").click()
        w.page.wait_for_load_state("networkidle")
        box = w.page.locator(f"#pair-{second}")
        box.locator("input[name=reason]").fill("同一项目的变更申报")
        box.locator("button.dismiss").click()
        w.page.wait_for_load_state("networkidle")
        assert w.page.locator("#no-open-pairs").is_visible()
        assert w.page.locator("#decided-pairs tbody tr").count() == 2
        shot(w, "p2-duplicates-decided")
        for path, name in [("/pilots", "p3-pilots"), ("/pilots/programmes/SMEDX", "p4-programme"),
                           ("/pilots/SMEDX-90-140100", "p5-pilot")]:
            w.page.goto(base + path)
            w.page.wait_for_load_state("networkidle")
            shot(w, name)
        w.page.goto(base + "/pilots/programmes/SMEDX?lang=en")
        w.page.wait_for_load_state("networkidle")
        shot(w, "p6-programme-en")
        assert w.errors == []
    events = {e["action"]: e for e in web.store.audit_events(entity="duplicate_pairs")}
    assert events["duplicate.confirm"]["entity_id"] == first and events["duplicate.confirm"]["actor"] == "web:reviewer"
    assert events["duplicate.confirm"]["detail"] == "市级平台与省平台功能重叠，应接入省平台"
    assert events["duplicate.dismiss"]["entity_id"] == second and events["duplicate.dismiss"]["detail"] == "同一项目的变更申报"
