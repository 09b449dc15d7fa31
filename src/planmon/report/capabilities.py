"""The report's links to the monitoring, evaluation and supervision modules, looked up when called.

Why lazily: the report draws on capabilities that are built separately
(``planmon.monitor``, ``planmon.index``, ``planmon.supervise``). A section appears
when its capability is installed and is replaced by a note saying what is missing
otherwise, so the report never re-implements their logic. Every call into them goes
through this module: this is the one place to look when wiring them.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

MONITOR = "planmon.monitor"
INDEX = "planmon.index"
SUPERVISE = "planmon.supervise"


def capability(module: str, *names: str) -> ModuleType | None:
    """The module when it can be imported and has every one of ``names``; otherwise None."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    return mod if all(hasattr(mod, n) for n in names) else None


def monitor() -> ModuleType | None:
    return capability(MONITOR, "assess_store")


def index() -> ModuleType | None:
    return capability(INDEX, "from_store", "run_index")


def supervise() -> ModuleType | None:
    return capability(SUPERVISE, "supervision_list")


def status_label(mod: ModuleType, scheme: str, code: str, lang: str) -> str:
    """The label of a status code from the monitoring module's own table (zh, en)."""
    labels: dict[str, dict[str, tuple[str, str]]] = getattr(mod, "STATUS_LABELS", {})
    pair = labels.get(scheme, {}).get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


def default_index_spec(mod: ModuleType, imeta: Any) -> Any:
    """The evaluation module's default spec, whichever name it exports it under."""
    for name in ("default_spec", "DEFAULT_SPEC", "IndexSpec", "Spec"):
        obj = getattr(mod, name, None)
        if obj is None:
            continue
        if name == "default_spec":
            try:
                return obj(imeta)
            except TypeError:
                return obj()
        return obj() if callable(obj) else obj
    return None
