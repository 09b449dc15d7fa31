"""Data collection: Excel templates, imports with validation, review, revisions, audit and export.

    from planmon.collect import make_template, import_files, export_observations, submissions
    make_template(store, "330000", "2024", "zj-2024.xlsx")
    result = import_files(store, [Path("zj-2024.xlsx")], actor="zhejiang")
    if result.ok: submissions.accept(store, result.submission_ids[0], actor="reviewer")
"""

from planmon.collect import submissions
from planmon.collect.annotate import annotate_copy
from planmon.collect.export import export_observations
from planmon.collect.importer import ImportResult, import_files, import_rows
from planmon.collect.rules import RULES, Finding
from planmon.collect.safety import Limits
from planmon.collect.template import make_template
from planmon.collect.validate import Options

__all__ = [
    "RULES",
    "Finding",
    "ImportResult",
    "Limits",
    "Options",
    "annotate_copy",
    "export_observations",
    "import_files",
    "import_rows",
    "make_template",
    "submissions",
]
