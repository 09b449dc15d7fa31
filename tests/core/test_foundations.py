"""Cross-cutting foundations: the JSON-safe converter, the refusal type, the settings, the spreadsheet writer."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planmon import settings
from planmon.i18n import Message
from planmon.jsonsafe import dumps, jsonable
from planmon.periods import Period, PeriodError
from planmon.refusal import Refusal, refusal_of

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "planmon"


# ---- JSON-safe --------------------------------------------------------------------------------

@dataclass
class _Point:
    period: str
    value: float


def test_jsonable_covers_what_the_faces_hand_it() -> None:
    df = pd.DataFrame({"a": [1, 2], "b": [np.nan, 2.5], "c": pd.array([1, None], dtype="Int64"),
                       "d": [pd.Timestamp("2024-12-31"), pd.NaT]})
    out = jsonable({"df": df, "np": np.int64(3), "f": np.float32(0.5), "inf": float("inf"), "day": date(2024, 12, 31),
                    "when": datetime(2024, 1, 2, 3, 4, 5), "p": Period.parse("2024Q3"), "dc": _Point("2024", 1.0),
                    "msg": Message("中", "en"), "arr": np.array([1.0, np.nan]), 7: (1, 2), "set": {1}})
    assert out["df"] == [{"a": 1, "b": None, "c": 1, "d": "2024-12-31T00:00:00"},
                         {"a": 2, "b": 2.5, "c": None, "d": None}]
    assert out["np"] == 3 and type(out["np"]) is int and out["f"] == 0.5 and out["inf"] is None
    assert out["day"] == "2024-12-31" and out["when"] == "2024-01-02T03:04:05" and out["p"] == "2024Q3"
    assert out["dc"] == {"period": "2024", "value": 1.0} and out["msg"] == {"zh": "中", "en": "en"}
    assert out["arr"] == [1.0, None] and out["7"] == [1, 2] and out["set"] == [1]
    json.dumps(out, allow_nan=False)  # strictly valid JSON
    assert dumps({"名": 1}) == '{"名":1}'


def test_one_converter_left() -> None:
    # the former hand-written converters are gone: nothing else walks values for NaN and .item()
    offenders = []
    for f in SRC.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        if f.name != "jsonsafe.py" and re.search(r"hasattr\(\w+, \"item\"\)", text):
            offenders.append(str(f.relative_to(SRC)))
    assert offenders == []


# ---- Refusal -----------------------------------------------------------------------------------

def _library_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in the library outside the web and CLI faces."""
    import importlib

    found = []
    for f in sorted(SRC.rglob("*.py")):
        rel = f.relative_to(SRC.parent).with_suffix("")
        if rel.parts[1] in ("web", "cli") or "migrations" in rel.parts:
            continue
        tree = ast.parse(f.read_text(encoding="utf-8"))
        names = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        if not names:
            continue
        mod = importlib.import_module(".".join(p for p in rel.parts if p != "__init__"))
        found += [c for n in names if isinstance(c := getattr(mod, n), type) and issubclass(c, BaseException)]
    return found


def test_every_library_exception_is_a_refusal() -> None:
    excs = _library_exceptions()
    assert len(excs) >= 10  # PeriodError, IndexInputError, InputError, ParamError, FrameworkInvalid, …
    assert [e.__name__ for e in excs if not issubclass(e, Refusal)] == []
    codes = [e.code for e in excs if issubclass(e, Refusal)]
    assert all(re.fullmatch(r"[a-z_]+", c) for c in codes)


def test_refusal_speaks_both_languages_with_a_stable_code() -> None:
    with pytest.raises(PeriodError) as info:
        Period.parse("2024Q5")
    r = info.value
    assert isinstance(r, Refusal) and isinstance(r, ValueError) and r.code == "period_invalid"
    assert r.lines("zh") == ["无法识别的期别“2024Q5”：应为 2024、2024Q3 或 2024-10"]
    assert r.text("en") == "unrecognised period '2024Q5': expected 2024, 2024Q3 or 2024-10"
    assert r.to_dict()["code"] == "period_invalid" and "期别" in r.to_dict()["message_zh"]
    two = Refusal([Message("甲", "a"), Message("乙", "b")], code="x_y")
    assert two.text("zh") == "甲；乙" and two.text("en") == "a; b" and str(two) == "a; b"
    try:
        try:
            Period.parse("x")
        except PeriodError as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as outer:
        found = refusal_of(outer)
        assert found is not None and found.code == "period_invalid"
    assert refusal_of(KeyError("k")) is None


def test_collect_refusals_keep_the_finding_code() -> None:
    from planmon.collect.readers import ReadError
    from planmon.collect.rules import Finding

    f = Finding("a.xlsx", "数据", 3, "C", "value", "x", "unreadable", "无法读取", "cannot read")
    exc = ReadError(f)
    assert exc.code == "unreadable" and exc.finding is f and str(exc) == "cannot read"
    assert exc.text("zh").startswith("a.xlsx") and "无法读取" in exc.text("zh")


# ---- settings ----------------------------------------------------------------------------------

def _env_names_used() -> set[str]:
    names: set[str] = set()
    for folder in ("src", "tests", "bench", "scripts"):
        for f in (ROOT / folder).rglob("*"):
            if f.suffix in (".py", ".sh", ".md") and f.is_file():
                names |= set(re.findall(r"\bPLANMON_[A-Z][A-Z0-9_]*[A-Z0-9]", f.read_text(encoding="utf-8")))
    return names


def test_every_planmon_variable_is_declared_and_documented() -> None:
    used = _env_names_used() - {"PLANMON_"}
    assert used - set(settings.SETTINGS) == set(), "declare these in planmon/settings.py"
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert doc == settings.markdown(), "regenerate: python -m planmon.settings > docs/settings.md"
    for s in settings.SETTINGS.values():
        assert f"`{s.name}`" in doc and s.help_zh and s.help_en


def test_only_settings_reads_the_environment() -> None:
    # i18n reads PLANMON_LANG itself: the settings speak in i18n's Message, so i18n sits below them
    readers = sorted(str(f.relative_to(SRC)) for f in SRC.rglob("*.py")
                     if re.search(r"os\.environ\.get\(\"PLANMON_|getenv\(\"PLANMON_", f.read_text(encoding="utf-8")))
    assert readers == ["i18n/__init__.py", "settings.py"]


def test_one_upload_ceiling(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from planmon.collect.safety import Limits
    from planmon.store import Store
    from planmon.web.app import create_app

    assert settings.max_upload_bytes() == 20 * 1024 * 1024  # documented default 20 MB
    monkeypatch.setenv("PLANMON_MAX_UPLOAD_MB", "3")
    store = Store.open(f"sqlite:///{tmp_path / 'p.db'}")
    store.init()
    assert Limits.from_env().max_bytes == create_app(store).state.max_upload == 3 * 1024 * 1024
    monkeypatch.setenv("PLANMON_MAX_UPLOAD_MB", "lots")
    with pytest.raises(settings.SettingInvalid) as info:
        settings.max_upload_bytes()
    assert "PLANMON_MAX_UPLOAD_MB" in info.value.text("zh") and info.value.code == "setting_invalid"


def test_bad_reporting_frequency_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from planmon.supervise.progress import ReportingCycle

    monkeypatch.setenv("PLANMON_REPORTING_FREQUENCY", "weekly")
    with pytest.raises(settings.SettingInvalid) as info:
        ReportingCycle.from_env()
    assert "annual | quarterly | monthly" in info.value.text("en")


# ---- spreadsheet writer ------------------------------------------------------------------------

def test_write_table_lives_in_spreadsheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from planmon.spreadsheet import csv_text, write_table
    from planmon.supervise.reminders import write_table as old_name

    assert old_name is write_table
    write_table(tmp_path / "t.xlsx", ["单位", "值"], [["=1+1", 2], ["北京", None]], sheet_title="表")
    ws = load_workbook(tmp_path / "t.xlsx")["表"]
    assert ws["A2"].value == "'=1+1" and ws["B2"].value == 2 and ws["A3"].value == "北京"
    text = csv_text([{"a": "@SUM(A1)", "b": 1.5}, {"a": None, "b": None}], ["a", "b"])
    assert text == "\ufeffa,b\r\n'@SUM(A1),1.5\r\n,\r\n"
