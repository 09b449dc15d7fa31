"""``planmon report`` and ``planmon demo`` as a user runs them (subprocess, real SQLite database)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.cli_helpers import run_planmon


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``planmon demo`` once: sets up the DB, loads plan and demo data, writes the report (no web app)."""
    cwd = tmp_path_factory.mktemp("demo")
    r = run_planmon("demo", "--no-serve", "--format", "html,xlsx", cwd=cwd)
    assert r.returncode == 0, r.stderr
    assert "2410" in r.stdout  # rows of illustrative data added
    return cwd


def test_demo_writes_the_report_into_report_folder(demo_dir: Path) -> None:
    assert (demo_dir / "planmon.db").exists()
    assert (demo_dir / "report" / "report.html").stat().st_size > 1_000_000  # ECharts is inlined
    assert (demo_dir / "report" / "report.xlsx").exists()


def test_demo_twice_changes_nothing(demo_dir: Path) -> None:
    before = (demo_dir / "report" / "report.html").read_bytes()
    r = run_planmon("demo", "--no-serve", "--format", "html", cwd=demo_dir)
    assert r.returncode == 0, r.stderr
    assert "新增 0 条" in " ".join(r.stdout.split())
    assert (demo_dir / "report" / "report.html").read_bytes() == before


def test_report_as_of_and_lang(demo_dir: Path) -> None:
    r = run_planmon("report", "-o", "out2023", "--format", "xlsx", "--as-of", "2023", "--lang", "en", cwd=demo_dir)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(demo_dir / "out2023" / "report.xlsx")
    assert wb.sheetnames[0] == "about"
    assert wb["about"]["A1"].value == "Plan implementation report (as of 2023)"
    # as of 2023 the provincial table is the 2023 one, and no 2024 value is in the data sheet
    assert any(c.value == "provinces: Provincial values, 2023" for c in wb["about"]["A"])
    periods = {row[2] for row in wb["data"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert "2024" not in periods and "2023" in periods


def test_report_rejects_an_unknown_format_and_a_bad_period(demo_dir: Path) -> None:
    r = run_planmon("report", "-o", "x", "--format", "html,odt", cwd=demo_dir)
    assert r.returncode == 2 and "odt" in r.stderr
    r = run_planmon("report", "-o", "x", "--as-of", "2024Q5", cwd=demo_dir)
    assert r.returncode == 2 and "2024Q5" in r.stderr
    assert not (demo_dir / "x").exists()  # nothing half-written


def test_report_rejects_a_bad_boundary_file_naming_the_feature(demo_dir: Path) -> None:
    bad = demo_dir / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "浙江"},'
                   ' "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}]}', encoding="utf-8")
    r = run_planmon("report", "-o", "y", "--format", "html", "--boundary", str(bad), cwd=demo_dir)
    assert r.returncode == 1
    assert "features[0]" in r.stderr and "GB/T 2260" in r.stderr
    assert not (demo_dir / "y").exists()


def test_report_on_an_empty_database_says_to_init(tmp_path: Path) -> None:
    r = run_planmon("report", "-o", "out", "--format", "html", cwd=tmp_path)
    assert r.returncode == 1
    assert "planmon init" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_demo_writes_the_final_evaluation_and_the_next_plans_first_page(demo_dir: Path) -> None:
    """Issue 15: the demo's report folder holds the 14th plan's final evaluation in every format asked for,
    with the provincial figures labelled illustrative, and the 15th plan's first monitoring page."""
    rep = demo_dir / "report"
    for fmt in ("html", "xlsx"):  # the formats the fixture asks for (all four: tests/report/test_final_report.py)
        assert (rep / f"final-evaluation.{fmt}").stat().st_size > 10_000, fmt
    assert not (rep / "final-evaluation.pdf").exists()
    html = (rep / "final-evaluation.html").read_text(encoding="utf-8")
    assert "总结评估" in html and "示意数据" in html and "生成的文字" in html
    start = (rep / "plan-start.html").read_text(encoding="utf-8")
    assert "实施监测（起步）" in start and "12.5" in start
