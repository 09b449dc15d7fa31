"""Notes attached to assessment rows: every hard case is stated, in zh and en, with a stable code.

Notes are collected per code as a boolean mask over all series (constant text)
or, where the text quotes a row's numbers, as a function giving the texts of a
flagged row. Nothing is formatted while the measures are computed: the texts
are built at the edge (:meth:`NoteBook.text`, :meth:`NoteBook.codes`), once per
distinct combination of constant notes, and per row only for the rows whose
note quotes their own numbers; so the common case (clean data) costs a few
vectorised operations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

RowText = Callable[[int], tuple[str, str]]


class NoteBook:
    def __init__(self, n: int) -> None:
        self.n = n
        self._entries: list[tuple[str, NDArray[np.bool_], str | RowText, str]] = []
        self._cache: tuple[NDArray[np.intp], NDArray[np.bool_], NDArray[np.bool_]] | None = None

    def add(self, code: str, mask: NDArray[Any], zh: str, en: str) -> None:
        m = np.asarray(mask, dtype=bool)
        if m.any():
            self._entries.append((code, m, zh, en))
            self._cache = None

    def add_rows(self, code: str, mask: NDArray[Any], text: RowText) -> None:
        """A note whose text quotes the row: ``text(i) -> (zh, en)``, called only when texts are built."""
        m = np.asarray(mask, dtype=bool)
        if m.any():
            self._entries.append((code, m, text, ""))
            self._cache = None

    def drop(self, codes: tuple[str, ...], mask: NDArray[Any]) -> None:
        """Withdraw the notes ``codes`` from the rows of ``mask`` (a rule that does not apply to them)."""
        m = np.asarray(mask, dtype=bool)
        if not m.any():
            return
        self._entries = [(c, (mk & ~m) if c in codes else mk, zh, en) for c, mk, zh, en in self._entries]
        self._entries = [e for e in self._entries if e[1].any()]
        self._cache = None

    def _patterns(self) -> tuple[NDArray[np.intp], NDArray[np.bool_], NDArray[np.bool_]]:
        """Per row, the index of its combination of entries; the distinct combinations as bit rows.

        Returns (row → combination index, combinations × entries matrix, rows with a per-row
        text). Computed once; the book is complete when texts are asked for.
        """
        if self._cache is not None:
            return self._cache
        k = len(self._entries)
        own = np.zeros(self.n, dtype=bool)
        key = np.zeros(self.n, dtype=object if k > 62 else np.int64)
        for j, (_code, mask, zh, _en) in enumerate(self._entries):
            key += mask.astype(key.dtype) << j if k <= 62 else mask.astype(object) * (1 << j)
            if not isinstance(zh, str):
                own |= mask
        if k <= 16:  # few codes: a dense table of the 2^k keys instead of a sort
            present = np.zeros(1 << k, dtype=bool)
            present[key] = True
            uniq = np.flatnonzero(present)
            inverse = (np.cumsum(present) - 1)[key]
        else:
            uniq, inverse = np.unique(key, return_inverse=True)
        combos = np.array([[(int(u) >> j) & 1 for j in range(k)] for u in uniq], dtype=bool).reshape(len(uniq), k)
        self._cache = (inverse.ravel(), combos, own)
        return self._cache

    def text(self, lang: str) -> list[str]:
        sep = "；" if lang == "zh" else "; "
        at = 0 if lang == "zh" else 1
        inverse, combos, own = self._patterns()
        table = np.empty(len(combos), dtype=object)
        for c, row in enumerate(combos):
            parts = [(zh if lang == "zh" else en) for (_code, _m, zh, en), on in zip(self._entries, row, strict=True)
                     if on and isinstance(zh, str)]
            table[c] = sep.join(parts)
        out = table[inverse]
        for i in np.flatnonzero(own):
            parts = []
            for _code, mask, zh, en in self._entries:
                if mask[i]:
                    parts.append((zh if lang == "zh" else en) if isinstance(zh, str) else zh(int(i))[at])
            out[i] = sep.join(parts)
        return list(out)

    def codes(self) -> NDArray[Any]:
        """A tuple of note codes per row (one shared tuple per distinct combination)."""
        inverse, combos, _own = self._patterns()
        table = np.empty(len(combos), dtype=object)
        for c, row in enumerate(combos):
            table[c] = tuple(code for (code, _m, _zh, _en), on in zip(self._entries, row, strict=True) if on)
        out: NDArray[Any] = table[inverse]
        return out
