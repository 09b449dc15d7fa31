"""The index tree read from a COINr-format iMeta table, and the COINr file reader.

Level 1 holds the indicators; each higher level holds aggregates whose children are
the nodes of the level below naming them as ``Parent``. The tree is checked whole and
every problem is reported with the iMeta row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planmon.i18n import Message
from planmon.index.errors import IndexInputError, fail

IMETA_REQUIRED = ["Level", "iCode", "Direction", "Weight", "Parent", "Type"]


def read_coinr(idata_path: str | Path, imeta_path: str | Path, unit_column: str | None = None,
               time_column: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read COINr ``iData`` and ``iMeta`` CSV files as they are (codes kept as text).

    ``unit_column`` / ``time_column`` name the iData columns to use as ``uCode`` / ``Time`` when a
    panel file has its own names (e.g. ``province_code`` and ``year``), so it is read in place.

    >>> idata, imeta = read_coinr("ASEM_iData.csv", "ASEM_iMeta.csv")      # doctest: +SKIP
    >>> idata.shape, imeta.shape                                            # doctest: +SKIP
    ((51, 60), (68, 10))
    """
    out = []
    for p in (idata_path, imeta_path):
        path = Path(p)
        if not path.exists():
            raise fail(f"文件不存在：{path}", f"file not found: {path}")
        try:
            df = pd.read_csv(path, dtype={"uCode": str, "iCode": str, "Parent": str, **({unit_column: str} if unit_column else {})})
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise fail(f"{path}：无法读取 CSV（{exc}）", f"{path}: cannot read CSV ({exc})") from exc
        out.append(df)
    idata = out[0]
    for col, role in ((unit_column, "uCode"), (time_column, "Time")):
        if col is None:
            continue
        if col not in idata.columns:
            raise fail(f"{idata_path}：没有列 {col}（可用：{', '.join(map(str, idata.columns))}）",
                       f"{idata_path}: no column {col} (available: {', '.join(map(str, idata.columns))})")
        if role in idata.columns and col != role:
            raise fail(f"{idata_path}：已有 {role} 列，不能再把 {col} 作为 {role}",
                       f"{idata_path}: already has a {role} column; {col} cannot be used as {role}")
        idata = idata.rename(columns={col: role})
    return idata, out[1]


@dataclass
class Tree:
    """Nodes by level, parents, weights and directions; level 1 = indicators."""

    levels: dict[int, list[str]]
    parent: dict[str, str | None]
    weight: dict[str, float]
    direction: dict[str, int]
    denominator: dict[str, str | None]
    names: dict[str, str] = field(default_factory=dict)
    target: dict[str, float] = field(default_factory=dict)
    goalposts: dict[str, tuple[float, float, float, bool]] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)
    denominators: list[str] = field(default_factory=list)

    @property
    def maxlev(self) -> int:
        return max(self.levels)

    @property
    def indicators(self) -> list[str]:
        return self.levels[1]

    @property
    def aggregates(self) -> list[str]:
        return [c for lev in sorted(self.levels) if lev > 1 for c in self.levels[lev]]

    @property
    def top(self) -> str:
        return self.levels[self.maxlev][0]

    def level_of(self, code: str) -> int:
        for lev, codes in self.levels.items():
            if code in codes:
                return lev
        raise KeyError(code)

    def membership(self, level: int) -> np.ndarray:
        """0/1 matrix (children at ``level - 1`` × nodes at ``level``)."""
        kids, nodes = self.levels[level - 1], self.levels[level]
        pos = {c: j for j, c in enumerate(nodes)}
        m = np.zeros((len(kids), len(nodes)))
        for i, k in enumerate(kids):
            m[i, pos[self.parent[k]]] = 1.0  # type: ignore[index]
        return m

    def weights_of(self, level: int) -> np.ndarray:
        return np.array([self.weight[c] for c in self.levels[level]], dtype=float)

    def children(self, code: str) -> list[str]:
        return [c for c, p in self.parent.items() if p == code]

    def indicators_under(self, code: str) -> list[str]:
        if code in self.levels[1]:
            return [code]
        return [i for k in self.children(code) for i in self.indicators_under(k)]

    def with_weights(self, weights: dict[str, float]) -> Tree:
        w = dict(self.weight)
        w.update(weights)
        return Tree(self.levels, self.parent, w, self.direction, self.denominator, self.names, self.target,
                    self.goalposts, self.groups, self.denominators)

    def to_imeta(self) -> pd.DataFrame:
        rows = []
        for lev in sorted(self.levels):
            for c in self.levels[lev]:
                rows.append({"Level": lev, "iCode": c, "iName": self.names.get(c, c),
                             "Direction": self.direction.get(c, 1), "Weight": self.weight[c],
                             "Parent": self.parent[c], "Type": "Indicator" if lev == 1 else "Aggregate"})
        return pd.DataFrame(rows)


def _num(v: object) -> float | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else f


def build_tree(imeta: pd.DataFrame, idata_columns: list[str] | None = None) -> Tree:
    """Check an iMeta table and build the tree; every problem is reported at once."""
    problems: list[Message] = []
    missing = [c for c in IMETA_REQUIRED if c not in imeta.columns]
    if missing:
        raise fail(f"iMeta 缺少列：{', '.join(missing)}", f"iMeta lacks columns: {', '.join(missing)}")
    levels: dict[int, list[str]] = {}
    parent: dict[str, str | None] = {}
    weight: dict[str, float] = {}
    direction: dict[str, int] = {}
    denom: dict[str, str | None] = {}
    names: dict[str, str] = {}
    target: dict[str, float] = {}
    gp: dict[str, tuple[float, float, float, bool]] = {}
    groups: list[str] = []
    denoms: list[str] = []
    mcols = set(imeta.columns)
    numeric = ("Level", "Weight", "Direction", "Target", "goalpost_lower", "goalpost_upper", "goalpost_scale")
    nums = {c: pd.to_numeric(imeta[c], errors="coerce").to_numpy(dtype=float) for c in numeric if c in mcols}
    texts = {c: imeta[c].tolist() for c in ("iCode", "Type", "Parent", "iName", "Denominator", "goalpost_trunc2posts")
             if c in mcols}

    def num(col: str, i: int) -> float | None:
        if col not in nums:
            return None
        v = nums[col][i]
        return None if np.isnan(v) else float(v)

    for i in range(len(imeta)):
        row = {c: v[i] for c, v in texts.items()}
        r = i + 2  # CSV row (header is row 1)
        code = str(row["iCode"]).strip()
        typ = str(row["Type"]).strip()
        if typ == "Group":
            groups.append(code)
            continue
        if typ == "Denominator":
            denoms.append(code)
            continue
        if typ not in ("Indicator", "Aggregate"):
            if typ != "Other":
                problems.append(Message(f"iMeta 第 {r} 行 Type：未知类型 “{typ}”",
                                        f"iMeta row {r} Type: unknown type '{typ}'"))
            continue
        lev = num("Level", i)
        if lev is None or lev < 1 or lev != int(lev):
            problems.append(Message(f"iMeta 第 {r} 行 Level：{code} 的层级应为 ≥1 的整数",
                                    f"iMeta row {r} Level: level of {code} must be an integer ≥ 1"))
            continue
        if code in parent:
            problems.append(Message(f"iMeta 第 {r} 行 iCode：代码 {code} 重复", f"iMeta row {r} iCode: duplicate code {code}"))
            continue
        levels.setdefault(int(lev), []).append(code)
        p = row["Parent"]
        parent[code] = None if p is None or (isinstance(p, float) and np.isnan(p)) or str(p).strip() == "" else str(p).strip()
        w = num("Weight", i)
        weight[code] = 1.0 if w is None else w
        d = num("Direction", i)
        direction[code] = 1 if d is None else int(d)
        if direction[code] not in (1, -1):
            problems.append(Message(f"iMeta 第 {r} 行 Direction：{code} 的方向应为 1 或 -1",
                                    f"iMeta row {r} Direction: direction of {code} must be 1 or -1"))
        names[code] = str(row.get("iName", code))
        dn = row.get("Denominator") if "Denominator" in mcols else None
        denom[code] = None if dn is None or (isinstance(dn, float) and np.isnan(dn)) or str(dn).strip() == "" else str(dn).strip()
        t = num("Target", i)
        if t is not None:
            target[code] = t
        if "goalpost_lower" in mcols:
            lo, hi = num("goalpost_lower", i), num("goalpost_upper", i)
            if lo is not None and hi is not None:
                sc = num("goalpost_scale", i) or 1.0
                tr = row.get("goalpost_trunc2posts")
                trunc = True if tr is None or (isinstance(tr, float) and np.isnan(tr)) else str(tr).upper() in ("TRUE", "1", "1.0")
                gp[code] = (lo, hi, sc, trunc)
    if 1 not in levels:
        problems.append(Message("iMeta 没有第 1 层指标", "iMeta has no level-1 indicators"))
    for code, p in parent.items():
        lev = next(lv for lv, cs in levels.items() if code in cs)
        if lev == max(levels or {1: []}):
            continue
        if p is None:
            problems.append(Message(f"iMeta：{code}（第 {lev} 层）没有 Parent", f"iMeta: {code} (level {lev}) has no Parent"))
        elif p not in levels.get(lev + 1, []):
            problems.append(Message(f"iMeta：{code} 的 Parent “{p}” 不在第 {lev + 1} 层",
                                    f"iMeta: Parent '{p}' of {code} is not a level-{lev + 1} node"))
    if levels and len(levels[max(levels)]) != 1:
        problems.append(Message("iMeta：最高层应只有一个节点", "iMeta: the top level must hold exactly one node"))
    if levels and sorted(levels) != list(range(1, max(levels) + 1)):
        problems.append(Message("iMeta：层级不连续", "iMeta: levels are not consecutive"))
    for lev in levels:
        if lev > 1:
            for c in levels[lev]:
                if not any(parent[k] == c for k in levels.get(lev - 1, [])):
                    problems.append(Message(f"iMeta：汇总节点 {c} 没有子节点", f"iMeta: aggregate {c} has no children"))
    if idata_columns is not None:
        cols = set(idata_columns)
        for c in levels.get(1, []):
            if c not in cols:
                problems.append(Message(f"iData 缺少指标列 {c}", f"iData lacks indicator column {c}"))
            if denom.get(c) and denom[c] not in cols:
                problems.append(Message(f"iData 缺少 {c} 的分母列 {denom[c]}", f"iData lacks denominator column {denom[c]} of {c}"))
    if problems:
        raise IndexInputError(problems)
    return Tree(levels, parent, weight, direction, denom, names, target, gp, groups, denoms)
