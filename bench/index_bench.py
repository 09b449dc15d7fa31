"""Benchmark of the composite-index engine (issue #5).

Prints, each against a baseline measured in the same run:
1. the ASEM build (denominate, impute, screen, treat, normalise, aggregate) vs COINr's
   anchor (~150 ms on this kind of machine; goal ≥ 30× faster);
2. the ASEM uncertainty analysis per replication (COINr's vignette inputs, 10,000
   replications) vs COINr's anchor (~157 ms/rep) and vs a straightforward loop that
   rebuilds the index once per replication with ``run_index``;
3. a scale run: 2,844 units × 100 indicators, 4 levels, 10,000 replications (time and
   peak memory), with the same loop ratio.

Run: ``/work/venv/bin/python bench/index_bench.py [--quick]`` from the repository root
(needs ../shared/data/asem).
"""

from __future__ import annotations

import os

# One BLAS thread: the matrices here are medium-sized, and on a shared 2-core machine OpenBLAS's
# threads spin against each other (measured: a 2844×100 @ 100×20 product 13× slower with 2 threads
# under load). Set before numpy is imported; the plain-loop baseline runs under the same setting.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import copy
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from planmon.index import read_coinr, run_index  # noqa: E402
from planmon.index.run import IndexRun  # noqa: E402
from planmon.index.spec import load_spec  # noqa: E402
from planmon.index.uncertainty import UAResult, run_uncertainty  # noqa: E402
from timing import best_of, report  # noqa: E402

# ../shared from the repository root; a git worktree one level deeper (wt/NAME) finds it one more level up
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent / "shared")
ASEM = SHARED / "data" / "asem"
SPEC = ROOT / "docs" / "index" / "examples" / "asem_uncertainty.yaml"
COINR_BUILD_S = 0.150
COINR_REP_S = 0.157


def report_rep(name: str, seconds: float, baseline_name: str, baseline_seconds: float) -> None:
    """Like timing.report, in milliseconds (per-replication times are far below a millisecond)."""
    print(f"{name}: {seconds * 1e3:.4f} ms | {baseline_name}: {baseline_seconds * 1e3:.3f} ms | "
          f"speed-up ×{baseline_seconds / seconds:.1f}")


def loop_replication(idata: pd.DataFrame, imeta: pd.DataFrame, run: IndexRun, res: UAResult, r: int,
                     weights: dict[int, np.ndarray]) -> np.ndarray:
    """The straightforward way: rebuild the whole index for replication r with its choices."""
    spec: dict[str, Any] = copy.deepcopy(run.spec)
    spec.pop("uncertainty", None)
    for inp, c in zip(res.inputs, res.choices[r], strict=True):
        if inp.kind == "param":
            step, param = inp.name.split(".", 1)
            spec[step] = {**spec[step], param: inp.alternatives[int(c)]}
        elif inp.kind == "data":
            spec[inp.name] = inp.alternatives[int(c)]
        elif inp.kind == "aggregate":
            spec["aggregate"] = {str(k) if k != "all" else "method": v for k, v in inp.alternatives[int(c)].items()}
            spec["aggregate"] = inp.alternatives[int(c)]["all"]
    spec["weights"] = {lev: {"method": "manual", "values": dict(zip(run.tree.levels[lev], w[r].tolist(), strict=True))}
                       for lev, w in weights.items()}
    out: np.ndarray = run_index(idata, imeta, spec).ranks[run.top].to_numpy()
    return out


def bench_loop(idata: pd.DataFrame, imeta: pd.DataFrame, run: IndexRun, nloop: int, seed: int) -> float:
    """Seconds per replication of the plain loop (same choices as the batched engine)."""
    from planmon.index.uncertainty import Evaluator, draw_uniform, parse_inputs

    inputs = parse_inputs(run.parsed.uncertainty, run)
    rng = np.random.default_rng(seed)
    choice = draw_uniform(inputs, rng.random((nloop, len(inputs))))
    ev = Evaluator(run, inputs)
    w = ev.weights(choice, rng, per_rep=True)
    res = UAResult(pd.DataFrame(), np.empty(0), np.empty(0), choice, inputs)
    t0 = time.perf_counter()
    for r in range(nloop):
        loop_replication(idata, imeta, run, res, r, w)
    return (time.perf_counter() - t0) / nloop


def plain_build(idata: pd.DataFrame, imeta: pd.DataFrame) -> pd.Series:
    """The ASEM build written the straightforward way (pandas, one indicator and one node at a time).

    Same steps and formulas as the engine (denominate, group-mean impute, screen, winsorise/log_CT,
    min-max, arithmetic means up the tree); a same-run baseline for the build timing.
    """
    from planmon.index.moments import passes
    from planmon.index.treat import log_ct, winsorise

    meta = imeta[imeta["Type"].isin(["Indicator", "Aggregate"])]
    inds = meta.loc[meta["Level"] == 1, "iCode"].tolist()
    df = idata.set_index("uCode")
    data = {}
    for c in inds:
        col = df[c].astype(float)
        den = meta.loc[meta["iCode"] == c, "Denominator"].iloc[0]
        if isinstance(den, str):
            col = col / df[den]
        col = col.fillna(col.groupby(df["EurAsia_group"]).transform("mean"))
        data[c] = col
    x = pd.DataFrame(data)
    x = x[x.notna().mean(axis=1) >= 0.9]
    for c in inds:
        v = x[[c]].to_numpy()
        if not passes(v)[0]:
            w, _ = winsorise(v, 5)
            v = w if passes(w)[0] else log_ct(v)
        d = float(meta.loc[meta["iCode"] == c, "Direction"].iloc[0])
        v = v[:, 0] * d
        x[c] = (v - v.min()) / (v.max() - v.min()) * 100
    for lev in sorted(meta["Level"].unique())[1:]:
        for node in meta.loc[meta["Level"] == lev, "iCode"]:
            kids = meta.loc[meta["Parent"] == node, ["iCode", "Weight"]]
            w = kids["Weight"].to_numpy()
            x[node] = x[kids["iCode"].tolist()].apply(lambda r, w=w: float(np.nansum(r.to_numpy() * w) / w.sum()), axis=1)
    return x["Index"]


def synthetic(n_units: int = 2844, n_ind: int = 100, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counties × indicators: 100 indicators → 20 sub-pillars → 5 pillars → index (4 levels)."""
    rng = np.random.default_rng(seed)
    x = rng.lognormal(0, 1, (n_units, n_ind)) * rng.uniform(1, 100, n_ind)
    x[rng.random(x.shape) < 0.02] = np.nan
    codes = [f"X{j:03d}" for j in range(n_ind)]
    idata = pd.DataFrame(x, columns=codes)
    idata.insert(0, "uCode", [f"C{i:04d}" for i in range(n_units)])
    rows = [{"Level": 1, "iCode": c, "Direction": 1 if j % 7 else -1, "Weight": 1.0, "Parent": f"S{j // 5:02d}",
             "Type": "Indicator"} for j, c in enumerate(codes)]
    rows += [{"Level": 2, "iCode": f"S{s:02d}", "Direction": 1, "Weight": 1.0, "Parent": f"P{s // 4}", "Type": "Aggregate"}
             for s in range(n_ind // 5)]
    rows += [{"Level": 3, "iCode": f"P{p}", "Direction": 1, "Weight": 1.0, "Parent": "INDEX", "Type": "Aggregate"}
             for p in range(n_ind // 20)]
    rows += [{"Level": 4, "iCode": "INDEX", "Direction": 1, "Weight": 1.0, "Parent": None, "Type": "Aggregate"}]
    return idata, pd.DataFrame(rows)


SCALE_SPEC: dict[str, Any] = {
    "impute": {"method": "mean"},
    "treat": {"method": "winsorise", "winmax": 5, "skew": 2.0, "kurtosis": 3.5, "fallback": "log_ct"},
    "normalise": {"method": "minmax", "range": [1, 100]},
    "weights": {"method": "meta"},
    "aggregate": {"method": "arithmetic"},
    "uncertainty": {
        "weights": {"noise": {2: 0.25, 3: 0.25}},
        "treat.winmax": [1, 3, 5],
        "normalise": [{"method": "minmax", "range": [1, 100]}, {"method": "zscore", "mean": 100, "sd": 10}],
        "aggregate": ["arithmetic", "geometric"],
    },
}


def main() -> None:
    quick = "--quick" in sys.argv
    nrep = 1000 if quick else 10_000
    idata, imeta = read_coinr(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")
    print(f"(BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}; the spec is read from YAML once, outside the timing)")
    print("== 1. ASEM build (denominate, impute, screen, treat, normalise, aggregate)")
    spec = load_spec(SPEC)
    t_build = best_of(lambda: run_index(idata, imeta, spec), repeat=200)
    report("planmon build", t_build, "COINr anchor", COINR_BUILD_S)
    plain = plain_build(idata, imeta)
    ours = run_index(idata, imeta, spec).scores.set_index("uCode")["Index"]
    assert np.allclose(plain.loc[ours.index], ours), "the plain build must give the same index"
    t_plain = best_of(lambda: plain_build(idata, imeta), repeat=5)
    report("planmon build", t_build, "plain pandas build (same run)", t_plain)
    print(f"   goal ≥ 30× (≤ {COINR_BUILD_S / 30 * 1000:.1f} ms): {'met' if COINR_BUILD_S / t_build >= 30 else 'NOT met'}")

    print(f"== 2. ASEM uncertainty, {nrep:,} replications (weights ±25% L2/L3, winmax 1–5, 2 normalisations, 2 aggregations)")
    run = run_index(idata, imeta, spec)
    t_ua = best_of(lambda: run_uncertainty(run, nrep, seed=1), repeat=3)
    per_rep = t_ua / nrep
    print(f"   total {t_ua:.3f} s, {per_rep * 1e6:.1f} µs per replication; goal 10,000 in < 1.6 s: "
          f"{'met' if per_rep * 10_000 < 1.6 else 'NOT met'}")
    report_rep("planmon per replication", per_rep, "COINr anchor per replication", COINR_REP_S)
    nloop = 20 if quick else 100
    t_loop = bench_loop(idata, imeta, run, nloop, seed=1)
    report_rep("planmon per replication", per_rep, f"plain loop of run_index ({nloop} reps) per replication", t_loop)

    print(f"== 3. Scale: 2,844 units × 100 indicators, 4 levels, {nrep:,} replications")
    sd, sm = synthetic()
    t0 = time.perf_counter()
    srun = run_index(sd, sm, SCALE_SPEC)
    t_sbuild = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = run_uncertainty(srun, nrep, seed=2)
    t_sua = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"   build {t_sbuild:.3f} s; uncertainty {t_sua:.2f} s ({t_sua / nrep * 1e3:.3f} ms/rep); "
          f"ranks array {res.ranks.shape}; peak RSS {peak:,.0f} MB")
    t_sloop = bench_loop(sd, sm, srun, 3 if quick else 10, seed=2)
    report_rep("planmon per replication (scale)", t_sua / nrep, "plain loop of run_index per replication (scale)", t_sloop)
    print(f"   a plain loop would take ≈ {t_sloop * nrep / 60:.1f} min for {nrep:,} replications")


if __name__ == "__main__":
    main()
