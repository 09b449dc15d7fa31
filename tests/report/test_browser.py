"""The HTML report in headless Chromium with the network blocked: no console error, and the map is drawn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found (scripts/test.sh installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    blocked: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", guard)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.planmonMap !== undefined")
    return page, errors, blocked


def test_html_has_no_console_errors_and_draws_the_map(browser: Any, report_dir: Path, tmp_path: Path) -> None:
    page, errors, blocked = _open(browser, report_dir / "report.html")
    assert errors == []
    assert blocked == []  # nothing even tried to reach a network
    # every one of the 34 tiles is a drawn shape in the map's SVG (ECharts SVG renderer)
    n_paths = page.eval_on_selector_all("#province-map svg path", "els => els.length")
    assert n_paths >= 34
    # the tiles are coloured: more than one fill among them (values differ), plus the grey of no-data tiles
    fills = set(page.eval_on_selector_all("#province-map svg path", "els => els.map(e => e.getAttribute('fill'))"))
    assert len(fills) > 5
    # the page's Chinese is drawn in the embedded font subset, not a system font the machine may lack
    assert page.evaluate("() => document.fonts.check('14px planmon-cjk', '黑龙江网民规模')")
    labels = page.inner_text("#province-map")
    assert "黑龙江" in labels and "台湾" in labels
    # the indicator charts are drawn too
    assert page.eval_on_selector_all(".chart svg", "els => els.length") == 14
    # switching the map layer redraws without error
    page.select_option("#map-layer", index=0)
    page.wait_for_timeout(200)
    assert errors == []
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    page.close()


def test_echarts_legend_and_axis_name_never_collide(browser: Any, report_dir: Path) -> None:
    """Measured in the rendered SVG: the y-axis name (the unit) and every legend label have disjoint boxes."""
    page, errors, _ = _open(browser, report_dir / "report.html")
    charts = page.evaluate("""() => Array.from(document.querySelectorAll('[data-option]')).map(el => {
        const opt = JSON.parse(document.getElementById(el.getAttribute('data-option')).textContent);
        const unit = opt.yAxis.name;
        const legend = opt.series.map(s => s.name);
        const title = opt.title ? opt.title.text : null;
        const boxes = Array.from(el.querySelectorAll('svg text')).map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
        });
        return {id: el.id, unit, legend, title, boxes};
    })""")
    assert len(charts) == 14 and errors == []
    checked = 0
    for c in charts:
        unit = [b for b in c["boxes"] if b["text"] == c["unit"]]
        legend = [b for b in c["boxes"] if b["text"] in c["legend"]]
        title = [b for b in c["boxes"] if c["title"] and b["text"] == c["title"]]
        assert unit and legend, c["id"]
        for u in unit:
            for other in legend + title:
                overlap = not (u["x1"] <= other["x0"] or other["x1"] <= u["x0"] or u["y1"] <= other["y0"]
                               or other["y1"] <= u["y0"])
                assert not overlap, (c["id"], u, other)
                checked += 1
    assert checked >= 14
