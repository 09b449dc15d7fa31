"""Duplicate search at scale: index 100,000 project descriptions, answer queries, compare with brute force.

``python bench/similar_bench.py [--n 100000] [--queries 20] [--brute 2]``

The descriptions are generated from the templates of the labelled evaluation set
(tests/projects/dupset/projects.csv): clauses of projects of one field recombined, reworded with
the set's synonyms, placed in a random province or capital city, year and budget. The brute-force
baseline computes the same score pair by pair (sparse dot product and the same combination) for
every indexed project, in the same run; both must return the same top candidates.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.timing import report  # noqa: E402
from tests.projects.dupset.build import clauses, paraphrase  # noqa: E402

from planmon.pilots.areas import PROVINCES  # noqa: E402
from planmon.projects.model import Project  # noqa: E402
from planmon.projects.similar import SimilarityIndex, brute_force_query  # noqa: E402


def generate(n: int, seed: int = 17) -> list[Project]:
    rng = random.Random(seed)
    rows = list(csv.DictReader((ROOT / "tests/projects/dupset/projects.csv").open(encoding="utf-8")))
    by_field: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_field.setdefault(r["field"], []).append(r)
    fields = list(by_field)
    provinces = [c for c in PROVINCES if c not in ("710000", "810000", "820000")]
    out = []
    for i in range(n):
        group = by_field[rng.choice(fields)]
        a, b = rng.choice(group), rng.choice(group)
        parts = clauses(a["description"])[: rng.randint(1, 3)] + clauses(b["description"])[: rng.randint(0, 2)]
        rng.shuffle(parts)
        prov = rng.choice(provinces)
        area = prov if rng.random() < 0.4 else prov[:2] + f"{rng.randint(1, 12):02d}00"
        start = rng.randint(2019, 2026)
        out.append(Project(
            id=f"G{i:06d}", name=paraphrase(a["name"], rng, 0.5), description=paraphrase("，".join(parts), rng, 0.4) + "。",
            owner_unit=f"{area} 单位{i % 997}", area_code=area, level="province" if area == prov else "city",
            functions=tuple(rng.sample(a["functions"].split("、"), k=min(2, len(a["functions"].split("、"))))),
            budget=float(rng.randint(100, 20000)), start=str(start), end=str(start + rng.randint(0, 3))))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--brute", type=int, default=2)
    args = ap.parse_args()
    t0 = time.perf_counter()
    projects = generate(args.n)
    t1 = time.perf_counter()
    index = SimilarityIndex(projects)
    t2 = time.perf_counter()
    print(f"generated {len(projects):,} descriptions in {t1 - t0:.1f} s; indexed in {t2 - t1:.1f} s "
          f"({index.matrix.shape[1]:,} features, {index.matrix.nnz:,} non-zeros)")
    rng = random.Random(1)
    queries = rng.sample(projects, args.queries)
    times = []
    for q in queries:
        s = time.perf_counter()
        index.query(q, k=10)
        times.append(time.perf_counter() - s)
    med = statistics.median(times)
    print(f"indexed query: median {med * 1000:.1f} ms, max {max(times) * 1000:.1f} ms over {len(times)} queries")
    brute = []
    for q in queries[: args.brute]:
        s = time.perf_counter()
        got = brute_force_query(projects, index, q, k=10)
        brute.append(time.perf_counter() - s)
        fast = [c.other.id for c in index.query(q, k=10)]
        same = [g[0] for g in got] == fast
        print(f"  query {q.id}: brute force {brute[-1]:.2f} s; same top-10 as the index: {same}")
    report("indexed query (median)", med, "brute-force pairwise scan", statistics.median(brute))


if __name__ == "__main__":
    main()
