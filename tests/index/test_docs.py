"""docs/index documents every registered method, and its examples run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from planmon.index import run_index
from planmon.index.registry import steps
from tests.index.conftest import ASEM_SPEC

DOCS = Path(__file__).resolve().parents[2] / "docs" / "index"


def test_every_method_is_documented() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    aliases = {"a_amean", "a_gmean", "a_hmean", "a_genmean", "a_copeland", "amean", "gmean", "hmean", "generalised", "meta",
               "divide", "per_indicator"}
    missing = [f"{s}:{m}" for s, ms in steps().items() for m in ms if m not in aliases and f"`{m}`" not in text and f" {m}" not in text]
    assert not missing, missing
    pages = sorted(p.name for p in DOCS.glob("[0-9][0-9]-*.md"))
    assert pages[0].startswith("01-input") and pages[-1].startswith("14-cli") and len(pages) == 14


def test_documented_uncertainty_example_runs(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    text = (DOCS / "13-uncertainty.md").read_text(encoding="utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    specs = yaml.safe_load(block)["uncertainty"]
    spec = {**yaml.safe_load(ASEM_SPEC.read_text()), "normalise": {"method": "minmax", "range": [1, 100]}}
    run = run_index(*asem, spec)
    s = run.uncertainty(300, seed=4, specs=specs).set_index("uCode")
    assert s.loc["CHE", "median"] <= 2 and (s["q05"] <= s["median"]).all() and (s["median"] <= s["q95"]).all()
    out = run.sensitivity(10, seed=4, specs=specs, nboot=10)
    assert list(out["input"]) == ["weights", "treat.winmax", "normalise", "aggregate", "impute", "exclude"]
