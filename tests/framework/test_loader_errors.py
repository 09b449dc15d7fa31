"""Broken framework folders (tests/framework/broken/*), each with the exact errors it must give."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from planmon import FrameworkInvalid, load_framework
from planmon.cli import app

HERE = Path(__file__).parent
BROKEN = HERE / "broken"

# folder -> the (file, path, code) of every problem it holds
EXPECTED: dict[str, set[tuple[str, str, str]]] = {
    "five_mistakes": {
        ("items.yaml", "items[1].parent", "unknown_parent"),
        ("items.yaml", "items[2].id", "duplicate_id"),
        ("indicators.yaml", "indicators[0].target.period", "target_before_baseline"),
        ("indicators.yaml", "indicators[1].index.weight", "weight_not_positive"),
        ("indicators.yaml", "indicators[2].goalposts", "goalposts_order"),
    },
    "cycle": {("units.yaml", "units[3].parent", "cycle")},
    "unknown_unit": {("indicators.yaml", "responsibilities[0].unit", "unknown_unit")},
    "period_frequency": {
        ("indicators.yaml", "indicators[0].target.period", "period_frequency"),
    },
    "not_a_number": {("indicators.yaml", "indicators[1].target.value", "float_parsing")},
    # the unreadable file's units are missing, so the reference to MIIT fails too
    "yaml_syntax": {
        ("units.yaml", "line 4", "yaml_syntax"),
        ("indicators.yaml", "responsibilities[0].unit", "unknown_unit"),
    },
}


def test_minimal_is_valid() -> None:
    fw = load_framework(HERE / "minimal")
    assert fw.plan.id == "test-plan" and len(fw.indicators) == 2


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_folder_reports_exactly_its_errors(case: str) -> None:
    with pytest.raises(FrameworkInvalid) as exc:
        load_framework(BROKEN / case)
    got = {(i.file, i.path, i.code) for i in exc.value.issues}
    assert got == EXPECTED[case]
    for issue in exc.value.issues:  # every reason in both languages
        assert issue.message_zh and issue.message_en and issue.message_zh != issue.message_en


def test_cli_validate_lists_all_five_and_exits_1() -> None:
    result = CliRunner().invoke(app, ["--lang", "en", "framework", "validate", str(BROKEN / "five_mistakes")])
    assert result.exit_code == 1
    text = result.output
    for needle in ["items[1].parent", "items[2].id", "indicators[0].target.period",
                   "indicators[1].index.weight", "indicators[2].goalposts"]:
        assert needle in text
    assert "5 problem(s)" in text


def test_cli_validate_json_and_zh() -> None:
    import json

    result = CliRunner().invoke(app, ["framework", "validate", str(BROKEN / "five_mistakes"), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False and len(data["issues"]) == 5
    assert any("未知的上级条目“T9”" in i["message_zh"] for i in data["issues"])


def test_init_with_broken_framework_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = CliRunner().invoke(app, ["--db", str(db), "init", "--framework", str(BROKEN / "five_mistakes")])
    assert result.exit_code == 1
    assert not db.exists()


def test_misuse_exits_2() -> None:
    result = CliRunner().invoke(app, ["framework", "show", "--format", "yaml"])
    assert result.exit_code == 2
