"""DataFrames that introduce themselves: a table result with a summary card above it in a notebook.

Why: :func:`planmon.monitor.assess_store` and :meth:`planmon.index.IndexRun.uncertainty` return
tables that callers filter, merge and index as DataFrames (the CLI, the report, the web and the
tests do). A thin subclass keeps every one of those uses — it *is* a DataFrame, and any operation
on it (``head``, ``set_index``, a filter) returns a plain DataFrame — while ``_repr_html_`` shows the
key figures (:mod:`planmon.display`) above the usual table in Jupyter. ``__repr__`` is the
DataFrame's own, so printing it in a terminal is unchanged.

>>> import pandas as pd
>>> from planmon.frames import RankIntervals
>>> t = RankIntervals(pd.DataFrame({"uCode": ["A"], "nominal": [1], "median": [1.0], "q05": [1.0], "q95": [2.0]}))
>>> isinstance(t, pd.DataFrame), type(t.head()) is pd.DataFrame
(True, True)
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd


class CardFrame(pd.DataFrame):
    """A DataFrame whose notebook display starts with a summary card (see the subclasses)."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame  # anything derived from it is a plain DataFrame

    def card(self, lang: str | None = None) -> Any:
        raise NotImplementedError

    def _repr_html_(self) -> str | None:
        table = cast(Any, pd.DataFrame(self))._repr_html_()
        head: str = self.card().html()
        return head + (table or "")


class AssessmentTable(CardFrame):
    """The result of :func:`planmon.monitor.assess_store`: one row per indicator × unit.

    Its card: rows, indicators, units, and the count of each status in the scheme's words.
    """

    def card(self, lang: str | None = None) -> Any:
        from planmon.display import assessment_card

        return assessment_card(self, lang)


class RankIntervals(CardFrame):
    """The rank intervals of :meth:`planmon.index.IndexRun.uncertainty`: uCode, nominal, median, q05, q95.

    Its card: the number of units, the median width of the 5–95 % interval, the widest and the narrowest.
    """

    def card(self, lang: str | None = None) -> Any:
        from planmon.display import uncertainty_card

        return uncertainty_card(self, lang)


__all__ = ["AssessmentTable", "CardFrame", "RankIntervals"]
