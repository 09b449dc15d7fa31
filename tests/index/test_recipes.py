"""The literature recipes of docs/index/recipes.md run on the real provincial panel from the CLI (issue #16).

Data: ../shared/data/provinces/digital_panel_2013_2022.csv (31 provinces × 10 years, 22 indicators),
read in place with --unit-column/--time-column; the tree is docs/index/examples/digital_panel_iMeta.csv.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from planmon.cli import app
from planmon.index import read_coinr, run_index

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "index" / "examples"
RECIPES = ["jrc_coinr_default", "entropy_topsis", "pca_composite", "critic", "ahp"]


@pytest.fixture(scope="module")
def panel_paths(shared: Path) -> tuple[Path, Path]:
    return shared / "data" / "provinces" / "digital_panel_2013_2022.csv", EXAMPLES / "digital_panel_iMeta.csv"


@pytest.fixture(scope="module")
def panel(panel_paths: tuple[Path, Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_coinr(*panel_paths, unit_column="province_code", time_column="year")


def test_every_recipe_is_documented() -> None:
    text = (EXAMPLES.parent / "recipes.md").read_text(encoding="utf-8")
    for r in RECIPES:
        assert f"examples/{r}.yaml" in text


@pytest.mark.parametrize("recipe", RECIPES)
def test_recipe_runs_from_the_cli_with_0_100_scores_and_every_choice_logged(recipe: str, panel_paths: tuple[Path, Path]) -> None:
    r = CliRunner().invoke(app, ["--lang", "en", "index", "--data", str(panel_paths[0]), "--meta", str(panel_paths[1]),
                                 "--unit-column", "province_code", "--time-column", "year",
                                 "--spec", str(EXAMPLES / f"{recipe}.yaml"), "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["period"] == 2022 and len(out["scores"]) == 31
    top = np.array([s["INDEX"] for s in out["scores"]], dtype=float)
    assert np.isfinite(top).all() and (top >= 0).all() and (top <= 100).all()
    assert sorted(s["rank"] for s in out["scores"]) == list(range(1, 32))
    # every step that ran is in the log with all its parameters, defaults included
    log = {e["step"]: e for e in out["log"]}
    spec_steps = [k for k in out["spec"] if k not in ("name", "weights", "aggregate")]
    for step in [*spec_steps, "weights", "aggregate"]:
        assert "resolved" in log[step], step
    assert set(log["weights"]["resolved"]) == {"1", "2"} and set(log["aggregate"]["resolved"]) == {"2", "3"}


def test_entropy_topsis_recipe_logs_its_variant(panel: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    run = run_index(*panel, EXAMPLES / "entropy_topsis.yaml")
    log = {e["step"]: e for e in run.log}
    v = log["weights"]["info"]["1"]["variant"]
    assert v == {"standardise": "minmax", "epsilon": 0.0001, "epsilon_at": "value", "n": "units",
                 "k": pytest.approx(1 / np.log(310)), "periods": "pooled", "scope": "global"}
    assert log["weights"]["resolved"]["2"] == {"method": "sum of children (global scope)"}
    assert log["scorer"]["resolved"] == {"method": "topsis", "level": 1, "vector": False}
    # the printed index is the TOPSIS closeness × 100 (hand check from the stage data)
    x = run.stages["Normalised"][run.tree.indicators].to_numpy()
    w = np.array([run.effective_weights()[c] for c in run.tree.indicators])
    v_ = x * w / w.sum()
    dp = np.sqrt(((v_ - v_.max(axis=0)) ** 2).sum(axis=1))
    dm = np.sqrt(((v_ - v_.min(axis=0)) ** 2).sum(axis=1))
    assert np.allclose(run.scores["INDEX"], 100 * (dm / (dp + dm))[run.rows], rtol=1e-12)


def test_pca_recipe_states_k_and_why_and_rescales_over_the_pooled_panel(panel: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    run = run_index(*panel, EXAMPLES / "pca_composite.yaml")
    info = next(e for e in run.log if e["step"] == "scorer")["info"]
    vals = np.array(info["eigenvalues"])
    kaiser = int((vals >= 1).sum())
    cum = np.cumsum(vals) / vals.sum()
    cumulative = int(np.argmax(cum >= 0.85)) + 1
    assert info["retained"] == max(kaiser, cumulative)
    assert "the larger of" in info["why"]["en"] and "较大者" in info["why"]["zh"]
    top = run.stages["Aggregated"]["INDEX"]
    assert top.min() == pytest.approx(0) and top.max() == pytest.approx(100)  # pooled over all 310 rows


def test_ahp_recipe_weights_and_consistency(panel: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    run = run_index(*panel, EXAMPLES / "ahp.yaml")
    info = next(e for e in run.log if e["step"] == "weights")["info"]["2"]
    assert info["cr"]["INDEX"] < 0.1 and info["ri"] == "saaty1980"
    # twice as important (judgement 2) → about twice the weight; the matrix is nearly consistent
    assert run.weights["INDUS"] / run.weights["INFRA"] == pytest.approx(1.908, abs=0.01)


def test_cli_names_a_missing_unit_column(panel_paths: tuple[Path, Path]) -> None:
    r = CliRunner().invoke(app, ["--lang", "en", "index", "--data", str(panel_paths[0]), "--meta", str(panel_paths[1]),
                                 "--unit-column", "province", "--time-column", "year"])
    assert r.exit_code == 1 and "no column province" in " ".join(r.output.split())


def test_cli_table_states_every_choice_and_why_k(panel_paths: tuple[Path, Path]) -> None:
    r = CliRunner().invoke(app, ["--lang", "en", "index", "--data", str(panel_paths[0]), "--meta", str(panel_paths[1]),
                                 "--unit-column", "province_code", "--time-column", "year",
                                 "--spec", str(EXAMPLES / "pca_composite.yaml"), "--format", "table"],
                           env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Run log: every choice" in out and '"rule": "max"' in out and '"sign": "correlations"' in out
    assert "→ k = " in out and "the larger of: Kaiser" in out
