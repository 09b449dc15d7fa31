"""Fixtures of the qualitative-target tests (issue 19): the built-in plan with one qualitative indicator added.

The indicator is the 14th FYP outline's GDP growth target as the outline prints it in its table of main
indicators (《国民经济和社会发展第十四个五年规划和2035年远景目标纲要》, 表1: 国内生产总值（GDP）增长（%），
"保持在合理区间、各年度视情提出"): a target without a number, whose status the office enters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planmon.framework import Framework, load_framework
from planmon.framework.build import framework_hash
from planmon.store import Store

QUAL = "Q01"
GDP_WORDS = "保持在合理区间、各年度视情提出"


def plan_with_qualitative() -> Framework:
    fw = load_framework()
    data = fw.model_dump(exclude={"source_path", "content_hash"})
    data["indicators"].append({
        "id": QUAL, "name_zh": "国内生产总值（GDP）增长", "name_en": "GDP growth", "unit": "%", "kind": "rate",
        "attribute": "expected", "target_form": "qualitative",
        "target_rule": {"text_zh": GDP_WORDS, "text_en": "kept within a reasonable range, set year by year"},
    })
    out = Framework.model_validate(data)
    out.content_hash = framework_hash(out)
    return out


def qual_store(url: str) -> Store:
    store = Store.open(url)
    store.init(plan_with_qualitative())
    return store


@pytest.fixture
def qstore(tmp_path: Path) -> Store:
    return qual_store(f"sqlite:///{tmp_path / 'q.db'}")
