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
    idata: pd.DataFrame  # the rows of iData aligned with the matrix (groups, denominators, Time)
    time: np.ndarray | None = None

    def subset(self, keep: np.ndarray) -> StepContext:
        return StepContext(self.tree, self.units[keep], self.columns, self.idata.iloc[np.flatnonzero(keep)],
                           None if self.time is None else self.time[keep])

    def column(self, name: str) -> np.ndarray:
        return self.idata[name].to_numpy()
