"""Pilots and demonstration programmes (规范试点示范): a registry with evaluation, dynamic monitoring
and exit.

Public API::

    from planmon.pilots import ensure_registry, import_registry, transition, list_pilots
    ensure_registry(store)                                   # built-in programmes + published pilots
    result = import_registry(store, Path("名单.xlsx"), actor="office")   # all or nothing
    transition(store, "SMEDX-1-320500", "active", actor="office", reason="实施方案批复")
    evaluate_programme(store, "SMEDX", as_of="2025")        # scores, rank intervals, exit candidates
"""

from planmon.pilots.export import export_registry
from planmon.pilots.importer import RegistryFinding, RegistryImport, import_registry
from planmon.pilots.model import STATE_LABELS, STATES, TRANSITIONS, Programme, state_label
from planmon.pilots.registry import (
    TransitionRefused,
    counts,
    ensure_registry,
    get_pilot,
    history,
    list_pilots,
    pilot_id,
    programmes,
    targets,
    transition,
)

__all__ = [
    "STATES",
    "STATE_LABELS",
    "TRANSITIONS",
    "Programme",
    "RegistryFinding",
    "RegistryImport",
    "TransitionRefused",
    "counts",
    "ensure_registry",
    "export_registry",
    "get_pilot",
    "history",
    "import_registry",
    "list_pilots",
    "pilot_id",
    "programmes",
    "state_label",
    "targets",
    "transition",
]
