"""Shared helpers of the benchmarks: best-of-N wall time and ratio printing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """The best wall time of ``repeat`` runs, in seconds (the least disturbed one)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def report(name: str, seconds: float, baseline_name: str, baseline_seconds: float) -> None:
    ratio = baseline_seconds / seconds if seconds > 0 else float("inf")
    print(f"{name}: {seconds:.4f} s | {baseline_name}: {baseline_seconds:.4f} s | speed-up ×{ratio:.1f}")
