"""The catalogue test: every code a face can show has a label in zh and in en (planmon.vocab)."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planmon import vocab
from planmon.auth.permissions import ROLES
from planmon.cli import app
from planmon.framework import load_framework
from planmon.framework.model import ItemKind, ObservationStatus
from planmon.monitor.risks import RULE_DEFAULTS, SEVERITIES
from planmon.monitor.schemes import STATUS_ORDER
from planmon.supervise.progress import STATUSES as PROGRESS_STATUSES
from planmon.supervise.supervision import KINDS as SUPERVISION_KINDS

CJK = re.compile(r"[\u4e00-\u9fff]")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def test_every_label_has_both_languages_and_no_code_in_its_words() -> None:
    for name, table in vocab.every_label().items():
        for code, label in table.items():
            assert label.zh.strip() and label.en.strip(), f"{name}.{code}"
            assert not SNAKE.search(label.zh) and not SNAKE.search(label.en), f"{name}.{code}: {label}"
            # the English label is English: no Chinese characters in it
            assert not CJK.search(label.en), f"{name}.{code}: {label.en}"


def test_engine_codes_all_have_labels() -> None:
    # status codes of every scheme, plus the rows without status (暂无法评估 everywhere)
    for scheme, codes in STATUS_ORDER.items():
        for c in (*codes, vocab.NOT_ASSESSED):
            assert vocab.status(c, "zh", scheme) and vocab.status(c, "en", scheme)
    assert vocab.status(None, "zh") == "暂无法评估" and vocab.status(float("nan"), "en") == "not assessed"
    for rule in RULE_DEFAULTS:
        assert vocab.rule(rule, "zh") != rule and vocab.rule(rule, "en") != rule
    for sev in SEVERITIES:
        assert vocab.severity(sev, "zh") and vocab.severity(sev, "en")
    for kind, values in {
        "observation_status": typing.get_args(ObservationStatus),
        "item_kind": typing.get_args(ItemKind),
        "progress_status": tuple(PROGRESS_STATUSES),
        "supervision_kind": tuple(SUPERVISION_KINDS),
        "role": ROLES,
        "submission_state": ("draft", "submitted", "accepted", "returned", "pending"),
    }.items():
        for v in values:
            assert vocab.code(kind, v, "zh") and vocab.code(kind, v, "en"), f"{kind}.{v}"


def test_target_bases_of_the_regional_assessment_have_the_agreed_words() -> None:
    # the five bases of issue 12, with the words the issue gives for three of them
    assert vocab.basis("national_pace", "zh") == "按全国目标增速推算"
    assert vocab.basis("national_target", "zh") == "对标全国目标"
    assert vocab.basis("own_plan", "zh") == "本省规划目标"
    for code in ("own_plan", "decomposed", "national_pace", "national_target", "none"):
        assert vocab.basis(code, "en") and not CJK.search(vocab.basis(code, "en"))


def test_every_builtin_indicator_has_its_measure_in_both_languages_and_a_declared_format() -> None:
    fw = load_framework("cn-informatization-14fyp")
    for ind in fw.indicators:
        assert ind.unit in vocab.MEASURES, f"{ind.id}: unit {ind.unit!r} has no declared format"
        en = vocab.measure(ind.unit, "en")
        assert en and not CJK.search(en), ind.id


def test_number_formats_are_fixed_per_unit_of_measure() -> None:
    # one map layer never mixes 35 and 36.0: every value of one unit has the same decimals
    assert [vocab.number(v, "%") for v in (35, 36.04, 0.0)] == ["35.0", "36.0", "0.0"]
    assert vocab.number(20300, "万户") == "20,300"            # thousands separators
    assert vocab.number(10.789, "亿人") == "10.79"
    assert vocab.number(-0.004, "%") == "0.0"                  # never "-0.0"
    assert vocab.number(None, "%") == "—" and vocab.number(float("nan"), "%") == "—"
    assert vocab.with_measure(36.5, "%", "en") == "36.5%"
    assert vocab.with_measure(10.79, "亿人", "zh") == "10.79亿人"
    assert vocab.with_measure(10.79, "亿人", "en") == "10.79 100 million persons"
    assert vocab.measure(None, "zh") == "" and vocab.measure("None", "en") == ""


def test_local_time_is_asia_shanghai() -> None:
    # 08:50 UTC is 16:50 in Beijing (UTC+8, no daylight saving)
    assert vocab.local_time("2026-11-30T08:50:22.882474") == "2026-11-30 16:50"
    assert vocab.local_time("2026-11-30T23:30:00+00:00") == "2026-12-01 07:30"


def test_an_unknown_code_is_an_error_not_a_silent_code() -> None:
    with pytest.raises(vocab.MissingLabel):
        vocab.header("no_such_column")
    with pytest.raises(vocab.MissingLabel):
        vocab.rule("no_such_rule")


#: Every table the command line prints (table format), run in both languages.
CLI_TABLES = [
    ["framework", "show"],
    ["progress", "--as-of", "2024"],
    ["progress", "--unit", "浙江", "--as-of", "2024"],
    ["risks", "--unit", "330000", "--as-of", "2024"],
    ["history", "I01", "CN"],
    ["submissions", "list"],
    ["audit", "--limit", "5"],
    ["supervise", "--as-of", "2024-12-31"],
    ["scorecard", "--as-of", "2024-12-31"],
    ["progress-report", "list"],
    ["index", "--period", "2024"],
    ["pilots", "programmes"],
    ["pilots", "list"],
    ["denominators", "list"],
    ["qualitative", "list"],
    ["qualitative", "history", "I01"],
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args", CLI_TABLES, ids=lambda a: "-".join(a[:2]))
def test_cli_tables_have_catalogue_headers(demo_db: Path, args: list[str], lang: str) -> None:
    from planmon.cli import context

    context.STRICT_HEADERS[0] = True  # a header missing from the catalogue fails here
    try:
        r = CliRunner().invoke(app, ["--db", str(demo_db), "--lang", lang, *args], env={"COLUMNS": "300"})
    finally:
        context.STRICT_HEADERS[0] = False
    assert r.exit_code == 0, r.output
    header_lines = [ln for ln in r.output.splitlines() if ln.startswith("┃")]
    for line in header_lines:
        assert not SNAKE.search(line), line   # no column code such as reports_on_time
        if lang == "en":
            assert not CJK.search(line) or args[0] == "index", line  # the index tree keeps its own names
    body = "\n".join(ln for ln in r.output.splitlines() if ln.startswith("│"))
    assert "None" not in body
    if lang == "en" and args[:2] == ["framework", "show"]:
        assert "万户" not in r.output and "10,000 subscribers" in r.output  # units follow --lang
    if lang == "zh" and args[0] == "progress":
        assert "暂无法评估" in r.output and "无法评价" not in r.output
