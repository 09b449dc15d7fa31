"""What every step sees besides the data matrix: the tree, units, groups, denominators, time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planmon.index.tree import Tree


@dataclass
class StepContext:
    """Row-aligned side information of the units × indicators matrix.

    ``units`` and ``time`` have one entry per row of the data matrix (a panel stacks
    unit × period rows); ``columns`` names the matrix columns (indicator codes).
    """

    tree: Tree
    units: np.ndarray  # uCode per row
    columns: list[str]
    idata: pd.DataFrame  # the whole iData (groups, denominators, Time); ``rows`` selects the matrix rows
    time: np.ndarray | None = None
    rows: np.ndarray | None = None

    def subset(self, keep: np.ndarray) -> StepContext:
        base = np.arange(len(self.idata)) if self.rows is None else self.rows
        return StepContext(self.tree, self.units[keep], self.columns, self.idata,
                           None if self.time is None else self.time[keep], base[keep])

    def column(self, name: str) -> np.ndarray:
        v = self.idata[name].to_numpy()
        return v if self.rows is None else v[self.rows]

    def columns_matrix(self, names: list[str]) -> np.ndarray:
        v = self.idata[names].to_numpy(dtype=float)
        return v if self.rows is None else v[self.rows]
