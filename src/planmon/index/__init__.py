"""Composite-index engine (COINr-compatible, vectorised): build, analyse, and stress-test an index.

Public API::

    from planmon.index import read_coinr, run_index
    idata, imeta = read_coinr("ASEM_iData.csv", "ASEM_iMeta.csv")
    run = run_index(idata, imeta, "spec.yaml")
    run.scores, run.ranks, run.stages, run.log, run.spec, run.data_hash
    run.uncertainty(1000, seed=1)       # uCode, nominal, median, q05, q95
    run.sensitivity(100, seed=1)        # input, Si, Si_q05, Si_q95, STi, STi_q05, STi_q95
    run.to_excel("build.xlsx")          # every stage, weights, stats, log: one sheet each
    compare(run, other_run)             # rank and score shifts per unit, the steps that differ

Formulas: ../shared/reference/methods.md §1, §2, §5; user guide: docs/index/.
"""

from planmon.index.comparison import RunComparison, compare
from planmon.index.errors import IndexInputError, SpecError, SpecIssue
from planmon.index.run import IndexRun, rank_desc, run_index
from planmon.index.spec import DEFAULT_SPEC, parse_spec
from planmon.index.store_input import from_store
from planmon.index.tree import Tree, build_tree, read_coinr

__all__ = ["DEFAULT_SPEC", "IndexInputError", "IndexRun", "RunComparison", "SpecError", "SpecIssue", "Tree", "build_tree",
           "compare", "from_store", "parse_spec", "rank_desc", "read_coinr", "run_index"]
