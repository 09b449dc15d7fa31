"""Notes attached to assessment rows: every hard case is stated, in zh and en, with a stable code.

Notes are collected per code as a boolean mask over all series (constant text)
or, where the text quotes a row's numbers, as per-row texts for the flagged
rows only; so the common case (clean data) costs a few vectorised operations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray


class NoteBook:
    def __init__(self, n: int) -> None:
        self.n = n
        self._entries: list[tuple[str, NDArray[np.bool_], str | dict[int, str], str | dict[int, str]]] = []

    def add(self, code: str, mask: NDArray[Any], zh: str, en: str) -> None:
        m = np.asarray(mask, dtype=bool)
        if m.any():
            self._entries.append((code, m, zh, en))

    def add_rows(self, code: str, mask: NDArray[Any], text: Callable[[int], tuple[str, str]]) -> None:
        m = np.asarray(mask, dtype=bool)
        if not m.any():
            return
        zh: dict[int, str] = {}
        en: dict[int, str] = {}
        for i in np.flatnonzero(m):
            zh[int(i)], en[int(i)] = text(int(i))
        self._entries.append((code, m, zh, en))

    def add_one(self, code: str, i: int, zh: str, en: str) -> None:
        m = np.zeros(self.n, dtype=bool)
        m[i] = True
        self._entries.append((code, m, {i: zh}, {i: en}))

    def text(self, lang: str) -> list[str]:
        out = np.full(self.n, "", dtype=object)
        sep = "；" if lang == "zh" else "; "
        for _code, mask, zh, en in self._entries:
            t = zh if lang == "zh" else en
            idx = np.flatnonzero(mask)
            if isinstance(t, str):
                cur = out[idx]
                out[idx] = np.where(cur == "", t, cur + sep + t)
            else:
                for i in idx:
                    out[i] = t[int(i)] if out[i] == "" else out[i] + sep + t[int(i)]
        return list(out)

    def codes(self) -> NDArray[Any]:
        """A tuple of note codes per row (one shared empty tuple for the clean rows)."""
        out = np.empty(self.n, dtype=object)
        out.fill(())
        for code, mask, _zh, _en in self._entries:
            for i in np.flatnonzero(mask):
                out[i] = (*out[i], code)
        return out
