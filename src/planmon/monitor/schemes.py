"""Status schemes: published rules that turn progress measures into a status class.

Each scheme is a vectorised function of the measures computed in
:mod:`planmon.monitor.assess` (arrays over all series at once). The codes are a
contract (machine output); the labels are for people, in zh and en.

- ``ndrc`` — China's Five-Year-Plan evaluation practice (methods.md §3.6):
  progress share p against time share τ with a tolerance δ.
- ``opensdg`` — Statistics Canada / Open SDG (§3.2): ratio of actual to
  required compound growth; without a target, classes of the growth itself.
- ``unsd`` — UNSD SDG Progress Chart (§3.3): projected progress share at the
  target period; without a target, classes of the growth itself.
- ``sdsn`` — SDSN trend arrows (§3.4): observed against required linear gain in
  normalised space. With one series there is no country distribution, so the
  lower bound is the baseline (score 0) and the optimum the target (score 100);
  the observed score is truncated at 100 as in the SDR, not below 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Status codes of each scheme, best first (the order used by the property tests).
STATUS_ORDER: dict[str, tuple[str, ...]] = {
    "ndrc": ("achieved", "faster", "as_expected", "lagging"),
    "opensdg": ("achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration"),
    "unsd": ("achieved", "on_track", "fair_progress", "stagnation"),
    "sdsn": ("on_track", "moderately_improving", "stagnating", "decreasing"),
}

#: ``STATUS_LABELS[scheme][code] -> (zh, en)``.
STATUS_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "ndrc": {
        "achieved": ("提前实现", "achieved"),
        "faster": ("快于预期", "faster than expected"),
        "as_expected": ("基本符合预期", "as expected"),
        "lagging": ("滞后", "lagging"),
    },
    "opensdg": {
        "achieved": ("已实现目标", "target achieved"),
        "on_track": ("进展顺利", "on track"),
        "acceleration_needed": ("有进展但需加快", "progress made, acceleration needed"),
        "limited_progress": ("进展有限", "limited progress"),
        "deterioration": ("倒退", "deterioration"),
    },
    "unsd": {
        "achieved": ("已实现目标", "target achieved"),
        "on_track": ("可如期实现", "target met or on track"),
        "fair_progress": ("有一定进展但需加快", "fair progress, acceleration needed"),
        "stagnation": ("停滞或倒退", "stagnation or regression"),
    },
    "sdsn": {
        "on_track": ("进展顺利或保持达标", "on track or maintaining achievement"),
        "moderately_improving": ("适度改善", "moderately improving"),
        "stagnating": ("停滞", "stagnating"),
        "decreasing": ("下降", "decreasing"),
    },
}


#: The status of a ``qualitative`` target (issue 19) until the office enters one: a status of every
#: scheme, but no rank (not in ``STATUS_ORDER``), since it says nothing about progress. qual19's
#: ``apply_entered_statuses`` replaces it by the entered status (a code of the scheme).
TO_BE_ENTERED = "to_be_entered"
#: ``OFFICE_STATUS_LABELS[code] -> (zh, en)``: statuses of every scheme outside its ranked classes.
OFFICE_STATUS_LABELS: dict[str, tuple[str, str]] = {
    TO_BE_ENTERED: ("待规划办公室评定", "to be entered by the office"),
}


@dataclass
class Coded:
    """A categorical column: ``index`` into ``codes`` per series, −1 for none (None)."""

    index: NDArray[np.int8]
    codes: tuple[str, ...]

    def take(self, labels: dict[str, Any] | None = None) -> NDArray[Any]:
        """The object column of the codes (or of ``labels[code]``), None where the index is −1."""
        table = np.empty(len(self.codes) + 1, dtype=object)
        table[:-1] = [labels[c] if labels is not None else c for c in self.codes]
        table[-1] = None
        return table[self.index]


@dataclass
class Measures:
    """The inputs of every scheme, one array element per series.

    ``assessable`` is False where the measures cannot support a status (the
    note says why); ``held_short`` marks a target equal to (or already beaten by)
    the baseline that the latest value no longer meets: the worst class.
    """

    achieved: BoolArray
    has_target: BoolArray
    assessable: BoolArray
    held_short: BoolArray
    progress_share: FloatArray
    time_share: FloatArray
    growth_ratio: FloatArray
    projected_share: FloatArray
    growth: FloatArray  # direction-signed actual growth per year (CAGR, or linear when CAGR undefined)
    #: Open SDG's natural-limit factor C ∈ [0, 1] for the positive no-target thresholds (None: no limit).
    scale: FloatArray | None = None


def _pick(conditions: list[BoolArray], codes: list[str], n: int) -> Coded:
    """First matching condition wins; index −1 (no status) where none matches.

    Returned as small integer indices into the scheme's distinct codes, so the
    hot path never builds an object column (:func:`classify` does, at the edge).
    """
    distinct = tuple(dict.fromkeys(codes))
    out = np.full(n, -1, dtype=np.int8)
    # Assigning in reverse order lets the first matching condition overwrite the later ones;
    # as integer arithmetic (out += cond·(k − out)), since a masked assignment over
    # conditions that change from row to row costs ten times more (branch mispredictions).
    for cond, code in zip(reversed(conditions), reversed(codes), strict=True):
        out += np.asarray(cond, dtype=bool).view(np.int8) * (np.int8(distinct.index(code)) - out)
    return Coded(out, distinct)


#: Comparisons at a class boundary tolerate this relative rounding error, so that a value
#: exactly on a published threshold (p = τ·(1+δ) = 0.55) lands in the class the rule names.
EPS = 1e-9


def _ge(a: FloatArray, b: FloatArray | float) -> BoolArray:
    with np.errstate(invalid="ignore"):
        return np.asarray(a >= b - EPS * np.maximum(1.0, np.abs(b)), dtype=bool)


def _valid(*arrays: FloatArray) -> BoolArray:
    ok = np.ones(arrays[0].shape, dtype=bool)
    for a in arrays:
        ok &= np.isfinite(a)
    return ok


def ndrc(m: Measures, sp: dict[str, Any]) -> Coded:
    """提前实现 / 快于预期 p ≥ τ(1+δ) / 基本符合预期 τ(1−δ) ≤ p < τ(1+δ) / 滞后 p < τ(1−δ)."""
    d = float(sp["delta"])
    p, tau = m.progress_share, m.time_share
    ok = m.assessable & m.has_target & _valid(p, tau)
    base = m.assessable & m.has_target
    return _pick(
        [base & m.achieved, base & m.held_short, ok & _ge(p, tau * (1 + d)), ok & _ge(p, tau * (1 - d)), ok],
        ["achieved", "lagging", "faster", "as_expected", "lagging"],
        len(p),
    )


def _scaled(threshold: float, scale: FloatArray | None) -> FloatArray | float:
    """A positive threshold times the natural-limit factor; thresholds ≤ 0 are never scaled (Open SDG)."""
    return threshold * scale if scale is not None and threshold > 0 else threshold


def opensdg(m: Measures, sp: dict[str, Any]) -> Coded:
    """Target achieved, else R = CAGR_a/CAGR_r ≥ 0.95 / ≥ 0.60 / ≥ 0 / < 0; without a target, d·CAGR_a ≥ 1.5% / 0.5% / 0.

    Without a target the positive thresholds are multiplied by the natural-limit factor C (1 without a
    limit); at the limit (C = 0) any growth ≥ 0 is on track, as the method states.
    """
    r, g = m.growth_ratio, m.growth
    t = m.assessable & m.has_target
    nt = m.assessable & ~m.has_target & _valid(g)
    tr = t & _valid(r)
    c = m.scale
    return _pick(
        [t & m.achieved, t & m.held_short,
         tr & _ge(r, sp["on_track"]), tr & _ge(r, sp["acceleration"]), tr & _ge(r, sp["limited"]), tr,
         nt & _ge(g, _scaled(sp["no_target_on_track"], c)), nt & _ge(g, _scaled(sp["no_target_acceleration"], c)),
         nt & _ge(g, _scaled(sp["no_target_limited"], c)), nt],
        ["achieved", "deterioration",
         "on_track", "acceleration_needed", "limited_progress", "deterioration",
         "on_track", "acceleration_needed", "limited_progress", "deterioration"],
        len(r),
    )


#: Open SDG's score anchors (progress-methodology, "Aggregated progress status", figures 1 and 2):
#: with a target, R = −60% → −5, 60% → 0, 130% → +5; without, CAGR −2% → −5, 0 → −2.5,
#: 0.5%·C → 0, 1.5%·C → 2.5, 2%·C → +5 (C the natural-limit factor); linear between, flat outside.
SCORE_WITH_TARGET = ((-0.60, -5.0), (0.60, 0.0), (1.30, 5.0))
SCORE_NO_TARGET_NEG = ((-0.02, -5.0), (0.0, -2.5))
SCORE_NO_TARGET_POS = ((0.0, -2.5), (0.005, 0.0), (0.015, 2.5), (0.02, 5.0))


def _interp(x: FloatArray, anchors: tuple[tuple[float, float], ...]) -> FloatArray:
    xs, ys = zip(*anchors, strict=True)
    with np.errstate(invalid="ignore"):
        out: FloatArray = np.where(np.isnan(x), np.nan, np.interp(np.nan_to_num(x, nan=0.0), xs, ys))
    return out


def opensdg_score(m: Measures, status: Coded) -> FloatArray:
    """Each series' Open SDG score −5…+5 (NaN where it has no status); target achieved scores 5."""
    n = len(m.growth)
    c = m.scale if m.scale is not None else np.ones(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        g_norm = np.where(c > 0, m.growth / c, np.where(m.growth >= 0, np.inf, np.nan))
    no_target = np.where(m.growth < 0, _interp(m.growth, SCORE_NO_TARGET_NEG), _interp(g_norm, SCORE_NO_TARGET_POS))
    score = np.where(m.has_target, _interp(m.growth_ratio, SCORE_WITH_TARGET), no_target)
    rated = status.index >= 0
    score = np.where(m.achieved & m.has_target, 5.0, score)
    # A rated series without a usable ratio (the level to hold is missed: R = −∞) scores −5.
    score = np.where(rated & np.isnan(score), -5.0, score)
    out: FloatArray = np.where(rated, score, np.nan)
    return out


def band_of_score(score: float) -> str | None:
    """The Open SDG class of a (mean) score: [2.5, 5] on track, [0, 2.5) acceleration needed,
    [−2.5, 0) limited progress, [−5, −2.5) deterioration."""
    if not np.isfinite(score):
        return None
    if score >= 2.5 - EPS:
        return "on_track"
    if score >= 0 - EPS:
        return "acceleration_needed"
    if score >= -2.5 - EPS:
        return "limited_progress"
    return "deterioration"


def unsd(m: Measures, sp: dict[str, Any]) -> Coded:
    """Achieved, else projected share P ≥ 0.95 / ≥ 0.10 / below; without a target, d·CAGR_a ≥ 2% / 0.5% / below."""
    pp, g = m.projected_share, m.growth
    t = m.assessable & m.has_target
    nt = m.assessable & ~m.has_target & _valid(g)
    tp = t & _valid(pp)
    return _pick(
        [t & m.achieved, t & m.held_short,
         tp & _ge(pp, sp["on_track"]), tp & _ge(pp, sp["fair"]), tp,
         nt & _ge(g, sp["no_target_on_track"]), nt & _ge(g, sp["no_target_fair"]), nt],
        ["achieved", "stagnation",
         "on_track", "fair_progress", "stagnation",
         "on_track", "fair_progress", "stagnation"],
        len(pp),
    )


def sdsn_ratio(progress_share: FloatArray, time_share: FloatArray) -> FloatArray:
    """g_obs / g_req with s = 100·(x − v_b)/(v* − v_b) truncated at 100.

    g_req = (100 − s_b)/(T − b) = 100/(T − b); g_obs = (s_t − s_b)/(t − b) = min(100, 100 p)/(t − b);
    so g_obs/g_req = min(1, p)/τ.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.minimum(progress_share, 1.0) / time_share
    return out


def sdsn(m: Measures, sp: dict[str, Any]) -> Coded:
    """Achieved or g_obs ≥ g_req on track; ≥ 0.5 g_req moderately improving; ≥ 0 stagnating; < 0 decreasing."""
    r = sdsn_ratio(m.progress_share, m.time_share)
    t = m.assessable & m.has_target
    tr = t & _valid(r)
    return _pick(
        [t & m.achieved, t & m.held_short, tr & _ge(r, sp["on_track"]), tr & _ge(r, sp["moderate"]),
         tr & _ge(r, sp["stagnating"]), tr],
        ["on_track", "decreasing", "on_track", "moderately_improving", "stagnating", "decreasing"],
        len(r),
    )


CLASSIFIERS = {"ndrc": ndrc, "opensdg": opensdg, "unsd": unsd, "sdsn": sdsn}

#: Statuses that count as "on track" for the risk rules.
ON_TRACK: dict[str, frozenset[str]] = {
    "ndrc": frozenset({"achieved", "faster", "as_expected"}),
    "opensdg": frozenset({"achieved", "on_track"}),
    "unsd": frozenset({"achieved", "on_track"}),
    "sdsn": frozenset({"on_track"}),
}


def classify_codes(scheme: str, m: Measures, sp: dict[str, Any]) -> Coded:
    """The statuses as integer indices (−1 = none) into ``Coded.codes``: the numeric form."""
    return CLASSIFIERS[scheme](m, sp)


def classify(scheme: str, m: Measures, sp: dict[str, Any]) -> NDArray[Any]:
    """The status codes as an object column (None where no status)."""
    return classify_codes(scheme, m, sp).take()


def label(scheme: str, code: Any, lang: str = "zh") -> str:
    if not isinstance(code, str):
        return "暂无法评估" if lang != "en" else "not assessed"  # as planmon.vocab.NOT_ASSESSED_LABEL
    zh, en = STATUS_LABELS[scheme][code] if code in STATUS_LABELS[scheme] else OFFICE_STATUS_LABELS[code]
    return en if lang == "en" else zh
