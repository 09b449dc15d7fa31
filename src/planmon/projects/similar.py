"""Likely duplicated construction (重复建设): which existing projects a new one resembles, how much, and why.

How a pair is scored (every part is reported with the pair):

* **text** — cosine similarity of TF-IDF vectors (scikit-learn, sublinear tf, l2 norm) over
  jieba words and character bigrams of name + description. Words catch the same terms,
  bigrams catch abbreviations and reworded compounds (一体化政务服务平台 / 政务服务一体化平台).
* **functions** — Jaccard overlap of the declared function tags.
* **scope** — the areas: the same area (1.0), one inside the other or a national project
  (0.9), unknown (0.8), different areas (0.35): a city copying another province's system is
  replication, not duplication; a city rebuilding what its province already runs is.
* **time** — the construction periods overlap or are unknown (1.0), or not (0.8).
* **budget** — both known: 0.95 + 0.05 × smaller/larger.

``score = (0.8·text + 0.2·functions) × scope × time × budget`` (without functions on either
side, ``content = text``). The default threshold :data:`THRESHOLD` was set on the labelled
evaluation set in ``tests/projects/dupset`` (docs/pilots.md gives its precision and recall).

The index answers a query by one sparse product with the transposed matrix, which touches only
the columns of the query's features, then scores the best text matches fully.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from planmon.pilots.areas import area_name, province_of
from planmon.projects.model import Project
from planmon.projects.text import features, word_set

THRESHOLD = 0.4
TEXT_FLOOR = 0.2  # text matches below this are never candidates
SCOPE = {"same": 1.0, "nested": 0.9, "unknown": 0.8, "different": 0.35}
W_TEXT, W_FUNC = 0.8, 0.2


@dataclass
class Candidate:
    """One likely duplicate of a project, with the score, its parts and the reasons in words."""

    project: Project
    other: Project
    score: float
    parts: dict[str, float]
    phrases: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)
    reasons: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"project": self.project.id, "other": self.other.id, "other_name": self.other.name,
                "score": round(self.score, 4), "parts": {k: round(v, 4) for k, v in self.parts.items()},
                "phrases": self.phrases, "functions": self.functions, "reasons": self.reasons}


def scope_of(a: Project, b: Project) -> str:
    if a.level == "national" or b.level == "national":
        return "nested"
    if not a.area_code or not b.area_code:
        return "unknown"
    if a.area_code == b.area_code:
        return "same"
    pa, pb = province_of(a.area_code), province_of(b.area_code)
    if pa and pa == pb and (a.area_code == pa or b.area_code == pa or a.area_code[:4] == b.area_code[:4]):
        return "nested"
    return "different"


def _overlap(a: Project, b: Project) -> tuple[bool | None, tuple[int, int] | None]:
    ya, yb = a.years(), b.years()
    if ya is None or yb is None:
        return None, None
    lo, hi = max(ya[0], yb[0]), min(ya[1], yb[1])
    return lo <= hi, ((lo, hi) if lo <= hi else None)


def combine(text: float, a: Project, b: Project) -> tuple[float, dict[str, float]]:
    """The pair's score from its text similarity and its other attributes (see the module docstring)."""
    fa, fb = set(a.functions), set(b.functions)
    func = len(fa & fb) / len(fa | fb) if fa and fb else float("nan")
    content = text if np.isnan(func) else W_TEXT * text + W_FUNC * func
    scope = SCOPE[scope_of(a, b)]
    over, _ = _overlap(a, b)
    time = 1.0 if over is None or over else 0.8
    budget = 1.0
    if a.budget and b.budget and a.budget > 0 and b.budget > 0:
        budget = 0.95 + 0.05 * min(a.budget, b.budget) / max(a.budget, b.budget)
    score = content * scope * time * budget
    return float(score), {"text": float(text), "functions": float(func) if not np.isnan(func) else -1.0,
                          "scope": scope, "time": time, "budget": budget}


def reasons(a: Project, b: Project, phrases: list[str]) -> list[dict[str, str]]:
    """The pair's evidence in words (zh and en)."""
    out: list[dict[str, str]] = []
    if phrases:
        out.append({"code": "phrases", "zh": "共同关键词：" + "、".join(phrases),
                    "en": "shared key phrases: " + ", ".join(phrases)})
    same = sorted(set(a.functions) & set(b.functions))
    if same:
        out.append({"code": "functions", "zh": "相同功能：" + "、".join(same), "en": "same functions: " + ", ".join(same)})
    sc = scope_of(a, b)
    na, nb = area_name(a.area_code) or "—", area_name(b.area_code) or "—"
    out.append({
        "same": {"code": "area", "zh": f"同一地区（{na}）", "en": f"same area ({a.area_code})"},
        "nested": {"code": "area", "zh": f"地域范围重叠（{na} 与 {nb}）", "en": f"overlapping areas ({a.area_code or 'national'} and {b.area_code or 'national'})"},
        "unknown": {"code": "area", "zh": "地区未知", "en": "area unknown"},
        "different": {"code": "area", "zh": f"不同地区（{na} 与 {nb}）", "en": f"different areas ({a.area_code} and {b.area_code})"},
    }[sc])
    if a.level and a.level == b.level:
        out.append({"code": "level", "zh": "同一层级", "en": f"same level ({a.level})"})
    over, span = _overlap(a, b)
    if over and span:
        out.append({"code": "period", "zh": f"建设期重叠（{span[0]}–{span[1]}年）", "en": f"overlapping period ({span[0]}–{span[1]})"})
    elif over is False:
        out.append({"code": "period", "zh": "建设期不重叠", "en": "periods do not overlap"})
    if a.budget and b.budget:
        r = min(a.budget, b.budget) / max(a.budget, b.budget)
        if r >= 0.5:
            out.append({"code": "budget", "zh": f"投资规模相近（{a.budget:g} 与 {b.budget:g} 万元）",
                        "en": f"similar budgets ({a.budget:g} and {b.budget:g} 万元)"})
    return out


class SimilarityIndex:
    """A TF-IDF index over projects; :meth:`query` gives a project's likely duplicates."""

    def __init__(self, projects: Sequence[Project]) -> None:
        self.projects = list(projects)
        self.ids = {p.id: i for i, p in enumerate(self.projects)}
        self.vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, norm="l2", dtype=np.float32)
        if self.projects:
            self.matrix = self.vectorizer.fit_transform([p.text for p in self.projects]).tocsr()
        else:
            self.matrix = sparse.csr_matrix((0, 0), dtype=np.float32)
        self.by_feature = self.matrix.T.tocsr()  # feature → projects, for queries
        self._idf = dict(zip(self.vectorizer.get_feature_names_out(), self.vectorizer.idf_, strict=True)) \
            if self.projects else {}
        # the other parts of the score as arrays, so a query scores every text match at once
        ps = self.projects
        self._area = np.array([p.area_code or "" for p in ps], dtype=object)
        self._prov = np.array([province_of(p.area_code) or "" for p in ps], dtype=object)
        self._city4 = np.array([(p.area_code or "")[:4] for p in ps], dtype=object)
        self._national = np.array([p.level == "national" for p in ps], dtype=bool)
        yrs = [p.years() for p in ps]
        self._y0 = np.array([y[0] if y else np.nan for y in yrs], dtype=float)
        self._y1 = np.array([y[1] if y else np.nan for y in yrs], dtype=float)
        self._budget = np.array([p.budget if p.budget and p.budget > 0 else np.nan for p in ps], dtype=float)
        self._funcs = [frozenset(p.functions) for p in ps]

    def __len__(self) -> int:
        return len(self.projects)

    def vector(self, p: Project) -> sparse.csr_matrix:
        i = self.ids.get(p.id)
        if i is not None and self.projects[i] == p:
            return self.matrix[i]
        return self.vectorizer.transform([p.text]).tocsr()

    def text_similarity(self, a: Project, b: Project) -> float:
        return float(self.vector(a).multiply(self.vector(b)).sum())

    def text_scores(self, p: Project) -> np.ndarray:
        """Cosine text similarity of ``p`` with every indexed project (one sparse product)."""
        q = self.vector(p)
        out: np.ndarray = (q @ self.by_feature).toarray().ravel()
        return out

    def key_phrases(self, a: Project, b: Project, n: int = 6) -> list[str]:
        """Shared jieba words, rarest first (the words that say most about a duplicate)."""
        shared = word_set(a.text) & word_set(b.text)
        return sorted(shared, key=lambda w: (-self._idf.get(f"w:{w}", 0.0), w))[:n]

    def candidate(self, a: Project, b: Project, text: float | None = None) -> Candidate:
        t = self.text_similarity(a, b) if text is None else text
        score, parts = combine(t, a, b)
        phrases = self.key_phrases(a, b)
        return Candidate(a, b, score, parts, phrases, sorted(set(a.functions) & set(b.functions)),
                         reasons(a, b, phrases))

    def scores(self, p: Project, rows: np.ndarray, text: np.ndarray) -> np.ndarray:
        """:func:`combine` for ``p`` against the indexed ``rows`` at once (same numbers, vectorised)."""
        fa = frozenset(p.functions)
        func = np.array([len(fa & self._funcs[i]) / len(fa | self._funcs[i]) if fa and self._funcs[i] else np.nan
                         for i in rows], dtype=float)
        content = np.where(np.isnan(func), text, W_TEXT * text + W_FUNC * np.nan_to_num(func))
        area, prov = self._area[rows], self._prov[rows]
        pa, pp = p.area_code or "", province_of(p.area_code) or ""
        national = self._national[rows] | (p.level == "national")
        unknown = (area == "") | (pa == "")
        same = area == pa
        nested = (prov == pp) & (pp != "") & ((area == prov) | (pa == pp) | (self._city4[rows] == pa[:4]))
        scope = np.select([national, unknown, same, nested],
                          [SCOPE["nested"], SCOPE["unknown"], SCOPE["same"], SCOPE["nested"]], SCOPE["different"])
        y = p.years()
        if y is None:
            time = np.ones(len(rows))
        else:
            lo, hi = np.maximum(self._y0[rows], y[0]), np.minimum(self._y1[rows], y[1])
            time = np.where(np.isnan(self._y0[rows]) | (lo <= hi), 1.0, 0.8)
        budget = np.ones(len(rows))
        if p.budget and p.budget > 0:
            b = self._budget[rows]
            budget = np.where(np.isnan(b), 1.0, 0.95 + 0.05 * np.fmin(b, p.budget) / np.fmax(b, p.budget))
        out: np.ndarray = content * scope * time * budget
        return out

    def query(self, p: Project, k: int = 10, threshold: float = THRESHOLD) -> list[Candidate]:
        """The likely duplicates of ``p`` among the indexed projects, best first (ties by id).

        Exact, not approximate: every project whose text similarity could still reach the threshold
        (even with full function overlap) is scored, all at once.
        """
        if not self.projects:
            return []
        sims = self.text_scores(p)
        self_i = self.ids.get(p.id)
        if self_i is not None:
            sims[self_i] = -1.0
        floor = max(TEXT_FLOOR, (threshold - W_FUNC) / W_TEXT)
        hits = np.flatnonzero(sims >= floor)
        sc = self.scores(p, hits, sims[hits])
        keep = sc >= threshold
        hits, sc = hits[keep], sc[keep]
        ids = np.array([self.projects[i].id for i in hits], dtype=object)
        order = np.lexsort((ids, -sc))[:k]
        return [self.candidate(p, self.projects[int(hits[j])], float(sims[hits[j]])) for j in order]

    def all_pairs(self, threshold: float = THRESHOLD) -> list[Candidate]:
        """Every pair of indexed projects at or above ``threshold`` (one sparse self-product)."""
        if len(self.projects) < 2:
            return []
        s = sparse.triu(self.matrix @ self.matrix.T, k=1).tocoo()
        keep = s.data >= TEXT_FLOOR
        out = []
        for i, j, t in zip(s.row[keep], s.col[keep], s.data[keep], strict=True):
            c = self.candidate(self.projects[int(i)], self.projects[int(j)], float(t))
            if c.score >= threshold:
                out.append(c)
        out.sort(key=lambda c: -c.score)
        return out


def brute_force_query(projects: Sequence[Project], index: SimilarityIndex, p: Project, k: int = 10,
                      threshold: float = THRESHOLD) -> list[tuple[str, float]]:
    """The baseline of the benchmark: the same score, computed pair by pair without the index."""
    q = index.vector(p)
    qi = dict(zip(q.indices.tolist(), q.data.tolist(), strict=True))
    m = index.matrix
    out = []
    for i, other in enumerate(projects):
        if other.id == p.id:
            continue
        lo, hi = m.indptr[i], m.indptr[i + 1]
        t = sum(qi.get(int(c), 0.0) * float(v) for c, v in zip(m.indices[lo:hi], m.data[lo:hi], strict=True))
        score, _ = combine(t, p, other)
        if score >= threshold:
            out.append((other.id, score))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out[:k]
