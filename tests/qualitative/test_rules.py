"""What the library refuses (issue 19): an entry for a computed target, a status outside the scheme, a
reporter; and what it shows: the entered status with its evidence, marked, and 待规划办公室评定 without one."""

from __future__ import annotations

import pytest

from planmon.monitor import assess_store, risks_store
from planmon.monitor.qualitative import QualitativeRefused, apply_entered_statuses, current_statuses, enter_status
from planmon.snapshot import Snapshot
from planmon.store import Store
from tests.qualitative.conftest import GDP_WORDS, QUAL

EVIDENCE = "2023年GDP增长5.2%，高于5%左右的年度预期目标（国家统计局2023年统计公报）"


def _refused(store: Store, **kw: object) -> QualitativeRefused:
    args = {"indicator": QUAL, "period": "2023", "status": "基本符合预期", "evidence_zh": EVIDENCE, "actor": "t"}
    args.update(kw)
    with pytest.raises(QualitativeRefused) as exc:
        enter_status(store, **args)  # type: ignore[arg-type]
    return exc.value


def test_a_level_indicator_is_refused_naming_it_and_its_form(qstore: Store) -> None:
    exc = _refused(qstore, indicator="I01")
    assert exc.code == "not_qualitative"
    zh, en = exc.text("zh"), exc.text("en")
    assert "I01" in zh and "网民规模" in zh and "水平值" in zh and "定性目标" in zh
    assert "I01" in en and "level" in en and "qualitative" in en
    assert current_statuses(qstore).empty  # nothing written


def test_a_status_outside_the_scheme_is_refused(qstore: Store) -> None:
    exc = _refused(qstore, status="良好")
    assert exc.code == "unknown_status"
    assert "良好" in exc.text("zh") and "基本符合预期" in exc.text("zh") and "as expected" in exc.text("en")
    # a status of another scheme is not one of ndrc's
    assert _refused(qstore, status="on_track").code == "unknown_status"
    # the codes and both languages' labels are accepted
    for text, code in (("滞后", "lagging"), ("faster", "faster"), ("As expected", "as_expected")):
        rec = enter_status(qstore, QUAL, "2023", text, EVIDENCE, actor="t", reason="test")
        assert rec["status"] == code


def test_a_reporter_and_a_viewer_are_refused_the_office_is_not(qstore: Store) -> None:
    for role in ("reporter", "viewer", "reviewer"):
        exc = _refused(qstore, role=role)
        assert exc.code == "forbidden" and role in exc.text("zh") and "may not" in exc.text("en")
    assert current_statuses(qstore).empty
    for role in ("coordinator", "admin"):
        assert enter_status(qstore, QUAL, "2023", "基本符合预期", EVIDENCE, actor=f"web:{role}", role=role,
                            reason="again")["revision"] >= 1


def test_other_refusals_say_where_and_why(qstore: Store) -> None:
    assert _refused(qstore, evidence_zh="  ").code == "evidence_missing"
    assert _refused(qstore, period="2019").code == "period_outside_plan"  # the plan runs 2021–2025
    assert _refused(qstore, period="20x3").code == "period_invalid"
    assert _refused(qstore, unit="999999").code == "unknown_unit"
    assert _refused(qstore, indicator="NOPE").code == "unknown_indicator"
    assert _refused(qstore, scheme="nope").code == "unknown_scheme"


def test_no_entry_reads_awaiting_the_office_not_not_assessed(qstore: Store) -> None:
    df = assess_store(qstore, as_of="2023")
    row = df[df["indicator"] == QUAL].iloc[0]
    assert row["status"] == "to_be_entered" and row["status_zh"] == "待规划办公室评定"
    assert row["status_zh"] != "暂无法评估" and not row["entered"]
    # one note, quoting the plan's words; no "not assessed" note of a computed row beside an entered status
    assert row["notes_zh"] == f"定性目标（{GDP_WORDS}）：状态由规划办依据证据认定，尚未录入"
    assert "planning office" in row["notes"] and "not assessed" not in row["notes"]
    snap = Snapshot(qstore, as_of="2023")
    srow = snap.assessments[snap.assessments["indicator"] == QUAL].iloc[0]
    assert srow["status"] == "to_be_entered"
    # every other indicator is assessed by the rules as before (entered is False everywhere)
    assert not df.loc[df["indicator"] != QUAL, "entered"].any()


def test_the_assessment_and_snapshot_show_the_entered_status_with_evidence(qstore: Store) -> None:
    before = assess_store(qstore, as_of="2023")
    enter_status(qstore, QUAL, "2023", "基本符合预期", EVIDENCE, actor="web:office",
                 evidence_en="GDP grew 5.2 % in 2023, above the annual aim of about 5 %", source="国家统计局")
    df = assess_store(qstore, as_of="2023")
    row = df[df["indicator"] == QUAL].iloc[0]
    assert (row["status"], row["status_zh"], row["status_en"]) == ("as_expected", "基本符合预期", "as expected")
    assert bool(row["entered"]) and row["entered_period"] == "2023" and row["entered_by"] == "web:office"
    assert row["notes_zh"] == f"由规划办认定：{EVIDENCE}（依据：国家统计局）"
    assert row["notes"].startswith("entered by the planning office: GDP grew 5.2 %")
    # the rows of the computed indicators did not change
    others = df["indicator"] != QUAL
    assert df.loc[others, "status"].tolist() == before.loc[before["indicator"] != QUAL, "status"].tolist()

    snap = Snapshot(qstore, as_of="2023")
    srow = snap.assessments[snap.assessments["indicator"] == QUAL].iloc[0]
    assert srow["status"] == "as_expected" and bool(srow["entered"]) and srow["entered_evidence_zh"] == EVIDENCE
    assert snap.to_dict()["assessments"][list(snap.assessments["indicator"]).index(QUAL)]["entered"] is True
    # as of 2022 the 2023 entry does not exist yet: the indicator awaits the office
    early = Snapshot(qstore, as_of="2022").assessments
    assert early.loc[early["indicator"] == QUAL, "status"].item() == "to_be_entered"
    # the risk rules read the same assessments without failing on an entered row
    risks_store(qstore, as_of="2023")


def test_apply_is_for_qualitative_rows_only(qstore: Store) -> None:
    enter_status(qstore, QUAL, "2023", "滞后", EVIDENCE, actor="t")
    df = assess_store(qstore, as_of="2023").drop(columns=["entered"])
    entries = current_statuses(qstore)
    # an entry forged for a level indicator (the store does not check) is ignored by the assessment
    forged = entries.assign(indicator="I01")
    df2 = apply_entered_statuses(df.assign(target_form=["qualitative" if i == QUAL else "level"
                                                        for i in df["indicator"]]),
                                 __import__("pandas").concat([entries, forged]))
    assert df2.loc[df2["indicator"] == "I01", "entered"].tolist() == [False] * int((df2["indicator"] == "I01").sum())
    assert df2.loc[df2["indicator"] == QUAL, "status"].item() == "lagging"
