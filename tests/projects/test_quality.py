"""Duplicate detection quality on the labelled evaluation set (tests/projects/dupset, ≥ 300 pairs).

The set: 40 base projects written after the plan's 17 key projects, 10 tasks, 10 priority actions and
the published pilot themes, their rewrites (paraphrase, reordered, abbreviated, the province's capital
rebuilding the same system, 15 rewritten by hand) as duplicates, and as non-duplicates the same system
in another province, projects of the same field (also moved into one area and period), neighbouring
fields, 10 hand-written same-field systems and unrelated projects. The issue asks for precision ≥ 0.9
and recall ≥ 0.8 at the default threshold.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from planmon.projects.model import Project
from planmon.projects.similar import THRESHOLD, SimilarityIndex

HERE = Path(__file__).parent / "dupset"


@pytest.fixture(scope="module")
def scored() -> list[tuple[float, int, str]]:
    projects = {r["id"]: Project.from_row({**r, "budget": float(r["budget"])})
                for r in csv.DictReader((HERE / "projects.csv").open(encoding="utf-8"))}
    pairs = list(csv.DictReader((HERE / "pairs.csv").open(encoding="utf-8")))
    index = SimilarityIndex(list(projects.values()))
    return [(index.candidate(projects[p["a"]], projects[p["b"]]).score, int(p["label"]), p["kind"]) for p in pairs]


def test_the_set_is_large_enough_and_labelled_both_ways(scored: list[tuple[float, int, str]]) -> None:
    assert len(scored) >= 300
    labels = Counter(label for _, label, _ in scored)
    assert labels[1] >= 150 and labels[0] >= 150


def test_precision_and_recall_at_the_default_threshold(scored: list[tuple[float, int, str]]) -> None:
    tp = sum(1 for s, label, _ in scored if s >= THRESHOLD and label)
    fp = sum(1 for s, label, _ in scored if s >= THRESHOLD and not label)
    fn = sum(1 for s, label, _ in scored if s < THRESHOLD and label)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    # measured 2026-11-30: precision 0.995, recall 0.990 (193 of 195 found, 1 false alarm) — docs/pilots.md
    assert precision >= 0.9 and recall >= 0.8, (precision, recall)


def test_hand_written_rewrites_are_mostly_found(scored: list[tuple[float, int, str]]) -> None:
    """The hardest positives: reworded by hand. A detector that only matched copied text would miss them."""
    hand = [s for s, label, kind in scored if kind == "handwritten"]
    assert sum(s >= THRESHOLD for s in hand) / len(hand) >= 0.8


def test_the_same_system_in_another_province_is_not_a_duplicate(scored: list[tuple[float, int, str]]) -> None:
    diff = [s for s, _, kind in scored if kind == "different_area"]
    assert len(diff) == 40 and max(diff) < THRESHOLD


def test_query_scores_are_the_pair_scores_and_exact() -> None:
    """The vectorised query gives the same numbers as scoring each pair alone, and misses none above
    the threshold (the brute-force comparison of bench/similar_bench.py, on the set itself)."""
    import numpy as np

    from planmon.projects.similar import brute_force_query, combine

    projects = [Project.from_row({**r, "budget": float(r["budget"])})
                for r in csv.DictReader((HERE / "projects.csv").open(encoding="utf-8"))]
    index = SimilarityIndex(projects)
    for p in projects[::25]:
        rows = np.arange(len(projects))
        text = index.text_scores(p)
        vec = index.scores(p, rows, text)
        one = np.array([combine(float(text[i]), p, projects[i])[0] for i in rows])
        assert np.allclose(vec, one)
        assert [c.other.id for c in index.query(p, k=10)] == [i for i, _ in brute_force_query(projects, index, p, k=10)]
