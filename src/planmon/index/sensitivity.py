"""Variance-based sensitivity analysis: first-order and total Sobol indices (methods.md §1.11).

Design (Saltelli): two independent N × d uniform matrices A and B, and for each input i
the matrix A_B^(i) = A with column i from B; the model runs on N(d + 2) rows.
Estimators, with ``V = var([y_A, y_B])`` (n − 1 denominator):

* first order (Saltelli 2010): ``S_i = mean(y_B · (y_ABi − y_A)) / V``
* total (Jansen 1999): ``ST_i = Σ (y_A − y_ABi)² / (2N·V)``

Intervals: bootstrap over the N rows (``nboot`` resamples), 5 % and 95 % quantiles.
For an index the output is COINr's mean absolute rank shift against the nominal ranks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planmon.index.errors import fail

if TYPE_CHECKING:
    from planmon.index.run import IndexRun


def saltelli_design(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """Rows [A; B; A_B^(1); …; A_B^(d)], shape (N(d + 2), d), uniform on [0, 1)."""
    a, b = rng.random((n, d)), rng.random((n, d))
    blocks = [a, b]
    for i in range(d):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    return np.concatenate(blocks, axis=0)


def sobol_indices(y: np.ndarray, n: int, d: int, nboot: int = 100,
                  rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Si, STi and their bootstrap 5–95 % intervals from outputs ``y`` of a Saltelli design."""
    y = np.asarray(y, dtype=float)
    if y.shape[0] != n * (d + 2):
        raise fail(f"输出个数应为 N(d+2) = {n * (d + 2)}", f"the number of outputs must be N(d+2) = {n * (d + 2)}")
    ya, yb = y[:n], y[n:2 * n]
    yab = y[2 * n:].reshape(d, n).T  # (N, d)
    rng = rng or np.random.default_rng(0)

    def est(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b, ab = ya[idx], yb[idx], yab[idx]
        v = np.var(np.concatenate([a, b], axis=-1), axis=-1, ddof=1)[..., None]
        with np.errstate(invalid="ignore", divide="ignore"):
            si = np.mean(b[..., None] * (ab - a[..., None]), axis=-2) / v
            sti = np.sum((a[..., None] - ab) ** 2, axis=-2) / (2 * a.shape[-1] * v)
        return np.where(v == 0, 0.0, si), np.where(v == 0, 0.0, sti)

    si, sti = est(np.arange(n))
    boots = rng.integers(0, n, size=(nboot, n))
    bs, bt = est(boots)  # (nboot, d) each
    q = lambda v, p: np.quantile(v, p, axis=0)  # noqa: E731
    return pd.DataFrame({"Si": si, "Si_q05": q(bs, 0.05), "Si_q95": q(bs, 0.95),
                         "STi": sti, "STi_q05": q(bt, 0.05), "STi_q95": q(bt, 0.95)})


def sobol(model: Callable[[np.ndarray], np.ndarray], d: int, n: int, seed: int = 0, nboot: int = 100) -> pd.DataFrame:
    """Sobol indices of a vectorised ``model`` (rows of U(0,1) inputs → outputs)."""
    rng = np.random.default_rng(seed)
    x = saltelli_design(n, d, rng)
    return sobol_indices(model(x), n, d, nboot, rng)


def run_sensitivity(run: IndexRun, n: int = 100, seed: int = 0, specs: dict[str, Any] | None = None,
                    nboot: int = 100) -> pd.DataFrame:
    """Sobol indices of each declared input on the mean absolute rank shift (COINr ``SA_type = "SA"``)."""
    from planmon.index.uncertainty import Evaluator, draw_uniform, parse_inputs

    specs = specs if specs is not None else run.parsed.uncertainty
    if not specs:
        raise fail("规格中没有声明 uncertainty 输入", "the spec declares no uncertainty inputs")
    if n < 2:
        raise fail("敏感性分析的 N 应至少为 2", "sensitivity analysis needs N ≥ 2")
    inputs = parse_inputs(specs, run)
    d = len(inputs)
    rng = np.random.default_rng(seed)
    u = saltelli_design(n, d, rng)
    choice = draw_uniform(inputs, u)
    ev = Evaluator(run, inputs)
    _, ranks = ev.evaluate(choice, ev.weights(choice, rng, per_rep=False))
    nominal = run.ranks[run.top].to_numpy(dtype=float)
    y = np.nanmean(np.abs(ranks - nominal[None, :]), axis=1)
    out = sobol_indices(y, n, d, nboot, rng)
    out.insert(0, "input", [i.name for i in inputs])
    return out


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami test function on U(−π, π)³ given U(0,1) inputs."""
    z = -np.pi + 2 * np.pi * x
    out: np.ndarray = np.sin(z[:, 0]) + a * np.sin(z[:, 1]) ** 2 + b * z[:, 2] ** 4 * np.sin(z[:, 0])
    return out
