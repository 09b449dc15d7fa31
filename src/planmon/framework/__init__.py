"""The plan framework: model, loader, checks and the built-in plans."""

from planmon.framework.issues import FrameworkInvalid, FrameworkIssue
from planmon.framework.loader import BUILTIN_DEFAULT, export_framework, load_framework
from planmon.framework.model import Framework, Indicator, PlanItem, Responsibility, Unit

__all__ = [
    "BUILTIN_DEFAULT",
    "Framework",
    "FrameworkInvalid",
    "FrameworkIssue",
    "Indicator",
    "PlanItem",
    "Responsibility",
    "Unit",
    "export_framework",
    "load_framework",
]
