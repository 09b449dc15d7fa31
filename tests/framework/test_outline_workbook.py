"""The outline's 20 indicators load from the authoring workbook form and from YAML, identically (issue 19).

The workbook is generated from the printed table (docs/examples/cn-outline-14fyp/printed-table.tsv, typed as
the outline prints it: "> 7", "〔13.5〕", "< 5.5", "高于国内生产总值增长" …) by planmon.framework.printed; the
printed cells are the only source of the category, name, unit, baseline, target, form and attribute there,
so the comparison checks that the workbook reader turns the printed text into the YAML's target forms.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from planmon.framework import FrameworkInvalid, load_framework
from planmon.framework.printed import printed_workbook, read_printed

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "cn-outline-14fyp"


def _content(fw) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return fw.model_dump(exclude={"source_path", "content_hash"})


@pytest.fixture(scope="module")
def yaml_fw():  # type: ignore[no-untyped-def]
    return load_framework("cn-outline-14fyp")


def test_the_workbook_from_the_printed_table_is_the_yaml_framework(yaml_fw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = printed_workbook(EXAMPLES / "printed-table.tsv", yaml_fw, tmp_path / "outline.xlsx")
    wb_fw = load_framework(path)
    a = {x.id: x.model_dump() for x in yaml_fw.indicators}
    b = {x.id: x.model_dump() for x in wb_fw.indicators}
    assert list(a) == list(b) and len(a) == 20
    for ind in a:  # field by field, so that a difference names the indicator and the field
        for field in a[ind]:
            assert a[ind][field] == b[ind][field], (ind, field)
    assert _content(wb_fw) == _content(yaml_fw)  # and everything else: plan, items, units, values, evaluation

    ws = load_workbook(path)["主要指标"]
    head = {ws.cell(row=1, column=j).value: j for j in range(1, ws.max_column + 1)}
    row = {ws.cell(row=r, column=head["编号"]).value: r for r in range(3, ws.max_row + 1)}

    def cell(ind: str, col: str) -> object:
        return ws.cell(row=row[ind], column=head[col]).value

    # the printed cells, as the outline prints them
    assert (cell("O08", "目标值"), cell("O19", "目标值"), cell("O20", "目标值")) == ("<5.5", ">6.5", ">46")
    assert (cell("O14", "年均增长或累计"), cell("O15", "年均增长或累计"), cell("O13", "年均增长或累计")) == (
        "〔13.5〕", "〔18〕", "〔1〕")
    assert cell("O04", "年均增长或累计") == ">7"
    assert (cell("O02", "目标值"), cell("O07", "目标值")) == ("高于国内生产总值增长", "与国内生产总值增长基本同步")
    assert cell("O01", "目标值") == "保持在合理区间、各年度视情提出"
    assert (cell("O03", "基期值"), cell("O03", "目标值"), cell("O03", "属性")) == (60.6, 65, "预期性")


def test_the_shipped_workbook_loads_to_the_same_framework(yaml_fw) -> None:  # type: ignore[no-untyped-def]
    assert _content(load_framework(EXAMPLES / "cn-outline-14fyp.xlsx")) == _content(yaml_fw)


def test_the_printed_table_reads_as_printed() -> None:
    rows, base, target = read_printed(EXAMPLES / "printed-table.tsv")
    assert (base, target, len(rows)) == ("2020", "2025", 20)
    # the category is printed once per group and filled down; the unit is the name's last parentheses
    assert [r.area for r in rows].count("民生福祉") == 7
    assert (rows[9].name, rows[9].unit) == ("每千人口拥有执业（助理）医师数", "人")


def test_a_printed_mistake_is_refused_at_its_row_and_column(yaml_fw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (EXAMPLES / "printed-table.tsv").read_text(encoding="utf-8").replace("〔13.5〕", "〔降低13.5〕")
    bad = tmp_path / "bad.tsv"
    bad.write_text(text, encoding="utf-8")
    path = printed_workbook(bad, yaml_fw, tmp_path / "bad.xlsx")
    with pytest.raises(FrameworkInvalid) as exc:
        load_framework(path)
    issue = exc.value.issues[0]
    # the sheet, the row (O14 is the 14th indicator: row 16 below the two header rows) and the column
    assert issue.file == "主要指标" and "16" in issue.path and "年均增长或累计" in issue.path
    assert issue.code == "bad_growth"
    assert "〔降低13.5〕" in issue.message_zh
    nounit = tmp_path / "nounit.tsv"
    nounit.write_text(text.replace("森林覆盖率（%）", "森林覆盖率"), encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as exc2:
        read_printed(nounit)
    assert exc2.value.issues[0].code == "no_unit" and "森林覆盖率" in exc2.value.issues[0].message_zh
