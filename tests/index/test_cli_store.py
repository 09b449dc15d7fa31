"""``planmon index`` end to end (subprocess) and ``from_store`` on a real SQLite store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from planmon.cli import app
from planmon.index import from_store, run_index
from planmon.store import NewObservation, Store
from tests.cli_helpers import run_planmon
from tests.index.conftest import ASEM_SPEC, ASEM_UA_SPEC


def test_cli_csv_asem(asem_paths: tuple[Path, Path]) -> None:
    r = run_planmon("index", "--data", str(asem_paths[0]), "--meta", str(asem_paths[1]), "--spec", str(ASEM_SPEC),
                    "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == ["uCode", "Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ", "Social",
                             "SusEcFin", "Conn", "Sust", "Index", "rank"]
    che = next(x for x in rows if x["uCode"] == "CHE")
    assert che["rank"] == "1" and round(float(che["Index"]), 2) == 68.38  # COINr ASEM result


def test_cli_json_with_uncertainty_and_sensitivity(asem_paths: tuple[Path, Path]) -> None:
    r = run_planmon("index", "--data", str(asem_paths[0]), "--meta", str(asem_paths[1]), "--spec", str(ASEM_UA_SPEC),
                    "--uncertainty", "100", "--sensitivity", "10", "--seed", "1", "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert {"scores", "spec", "data_hash", "uncertainty", "sensitivity"} <= set(d)
    assert d["uncertainty"]["n"] == 100 and d["uncertainty"]["seed"] == 1
    assert set(d["uncertainty"]["ranks"][0]) == {"uCode", "nominal", "median", "q05", "q95"}
    che = next(x for x in d["uncertainty"]["ranks"] if x["uCode"] == "CHE")
    assert (che["nominal"], che["median"], che["q05"], che["q95"]) == (1, 1, 1, 1)
    assert [s["input"] for s in d["sensitivity"]] == ["weights", "treat.winmax", "normalise", "aggregate"]
    assert set(d["sensitivity"][0]) == {"input", "Si", "Si_q05", "Si_q95", "STi", "STi_q05", "STi_q95"}
    assert set(d["scores"][0]) == {"uCode", "Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ", "Social",
                                   "SusEcFin", "Conn", "Sust", "Index", "rank"}
    assert d["spec"]["impute"]["group"] == "EurAsia_group" and len(d["data_hash"]) == 64


@pytest.mark.parametrize(("lang", "words"), [("zh", "几何平均要求正值：单位 AUT 的 Ship"), ("en", "unit AUT, Ship is 0")])
def test_cli_geometric_over_zero_is_a_clear_error(asem_paths: tuple[Path, Path], tmp_path: Path, lang: str, words: str) -> None:
    spec = tmp_path / "g.yaml"
    spec.write_text(ASEM_SPEC.read_text().replace("aggregate: {method: arithmetic}", "aggregate: {method: geometric}"),
                    encoding="utf-8")
    r = CliRunner().invoke(app, ["--lang", lang, "index", "--data", str(asem_paths[0]), "--meta", str(asem_paths[1]),
                                 "--spec", str(spec), "--format", "csv"])
    assert r.exit_code == 1 and "uCode" not in r.stdout
    assert words.replace(" ", "") in "".join(r.output.split())


def test_cli_bad_spec_and_misuse(asem_paths: tuple[Path, Path], tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("normalise: {method: minmax, rnage: [0, 100]}\nweights: {method: nonsense}\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["--lang", "en", "index", "--data", str(asem_paths[0]), "--meta", str(asem_paths[1]),
                                 "--spec", str(spec)])
    assert r.exit_code == 1
    out = " ".join(r.output.split())
    assert "unknown parameter rnage" in out and "nonsense" in out  # every problem at once
    r = CliRunner().invoke(app, ["index", "--data", str(asem_paths[0])])
    assert r.exit_code == 2


def _store_with_provinces(url: str) -> Store:
    store = Store.open(url)
    store.init()
    fw = store.framework()
    provs = [u.id for u in fw.provinces()][:6]
    rows = []
    for k, p in enumerate(provs):  # province k scores k on every indicator: the last is best everywhere
        for ind in ("I01", "I02", "I05", "I09", "I13"):
            rows.append(NewObservation(ind, p, "2023", float(k + 1)))
            rows.append(NewObservation(ind, p, "2024", float(k + 2)))
    store.write_observations(rows, actor="test")
    return store


def test_from_store_default_tree(sqlite_url: str) -> None:
    store = _store_with_provinces(sqlite_url)
    idata, imeta = from_store(store, period="2024")
    agg = imeta[imeta["Type"] == "Aggregate"]
    assert set(agg.loc[agg["Level"] == 2, "iCode"]) == {"数字设施", "创新能力", "产业转型", "政务服务"}
    assert agg.loc[agg["Level"] == 3, "iCode"].tolist() == ["INDEX"]
    assert imeta.loc[imeta["iCode"] == "I05", "Parent"].item() == "创新能力"
    assert len(idata) == 6 and set(idata["Time"]) == {2024.0}
    run = run_index(idata, imeta, None)  # the default spec
    s = run.result_table().set_index("uCode")
    # hand calculation: min–max puts the last province at 100 and the first at 0 on every indicator
    best, worst = idata["uCode"].iloc[-1], idata["uCode"].iloc[0]
    assert s.loc[best, "INDEX"] == pytest.approx(100) and s.loc[worst, "INDEX"] == pytest.approx(0)
    assert s.loc[best, "rank"] == 1 and s.loc[worst, "rank"] == 6


def test_from_store_panel_and_cli_period(sqlite_url: str) -> None:
    store = _store_with_provinces(sqlite_url)
    idata, imeta = from_store(store)
    assert set(idata["Time"]) == {2023.0, 2024.0}
    # pooled min–max over both years: the best province of 2024 reaches 100, the worst of 2023 is 0
    run = run_index(idata, imeta, None, period=2023.0)
    assert np.nanmin(run.scores["INDEX"]) == pytest.approx(0)
    assert np.nanmax(run.scores["INDEX"]) == pytest.approx(100 * 5 / 6)
    # with a spec, ``index --period`` runs it on the stored panel (COINr's defaults, pooled over the years)
    spec = Path(sqlite_url.removeprefix("sqlite:///")).with_name("coinr.yaml")
    spec.write_text("normalise: {method: minmax, range: [0, 100]}\n", encoding="utf-8")
    r = run_planmon("--db", sqlite_url, "index", "--period", "2024", "--spec", str(spec), "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["period"] == 2024.0 and max(x["INDEX"] for x in d["scores"]) == pytest.approx(100)
    # without one it prints the snapshot's ranking (issue 13): the published evaluation in the comparison period
    r = run_planmon("--db", sqlite_url, "index", "--period", "2024", "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["period"] == 2024.0 and d["comparison"]["period"] == "2024" and d["comparison"]["units"] == 6
    assert sorted(x["rank"] for x in d["scores"]) == [1, 2, 3, 4, 5, 6]


def test_framework_index_tree_is_used() -> None:
    """A framework with its own index tree: indicators' index places and nodes become iMeta levels."""
    from planmon import load_framework
    from planmon.framework.model import IndexNode, IndexPlace
    from planmon.index.store_input import framework_meta
    from planmon.index.tree import build_tree

    fw = load_framework()
    inds = [i.model_copy(update={"index": IndexPlace(parent="INFRA" if i.id in ("I01", "I02") else "INNOV", weight=2.0)})
            if i.id in ("I01", "I02", "I05") else i for i in fw.indicators]
    tree_nodes = [IndexNode(id="DCI", name_zh="数字中国"), IndexNode(id="INFRA", name_zh="设施", parent="DCI"),
                  IndexNode(id="INNOV", name_zh="创新", parent="DCI", weight=3.0)]
    fw2 = fw.model_copy(update={"indicators": inds, "index_tree": tree_nodes})
    meta = framework_meta(fw2, ["I01", "I02", "I05", "I09"])
    tree = build_tree(meta)
    assert tree.levels == {1: ["I01", "I02", "I05"], 2: ["INFRA", "INNOV"], 3: ["DCI"]}  # I09 has no index place
    assert tree.weight["INNOV"] == 3.0 and tree.weight["I01"] == 2.0 and tree.parent["I05"] == "INNOV"


def test_transform_domain_error_names_unit_and_indicator(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    from planmon.index import IndexInputError

    with pytest.raises(IndexInputError) as exc:
        run_index(*asem, {"transform": {"indicators": {"Ship": "log"}}})
    assert "AUT" in str(exc.value) and "Ship" in str(exc.value)
    r = run_index(*asem, {"transform": {"indicators": {"Ship": "log1p"}}, "normalise": "minmax"})
    raw = asem[0].set_index("uCode")["Ship"]
    assert r.stages["Transformed"].set_index("uCode")["Ship"].to_numpy() == pytest.approx(np.log1p(raw.to_numpy()))
