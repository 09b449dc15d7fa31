"""planmon — 规划实施监测评估系统: monitoring and evaluation of a plan's implementation.

The library is the product; the CLI (:mod:`planmon.cli`) and the web app are thin
layers over it. Start with :func:`load_framework`::

    >>> import planmon
    >>> fw = planmon.load_framework("cn-informatization-14fyp")
    >>> len(fw.main_indicators())
    14

``import planmon`` is light (no pandas, no SQLAlchemy, no matplotlib): each name below is
imported from its module on first use (PEP 562 module ``__getattr__``), so a notebook or a
CLI call that needs one part does not pay for the others. See bench/import_time_bench.py.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name → the module that defines it (imported on first access)
_LAZY: dict[str, str] = {
    "Framework": "planmon.framework",
    "FrameworkInvalid": "planmon.framework",
    "load_framework": "planmon.framework",
    "Store": "planmon.store",
    "Snapshot": "planmon.snapshot",
    "IndexRun": "planmon.index",
    "RunComparison": "planmon.index",
    "compare": "planmon.index",
    "read_coinr": "planmon.index",
    "run_index": "planmon.index",
    "assess_store": "planmon.monitor",
    "risks_store": "planmon.monitor",
    "set_lang": "planmon.display",
}

__all__ = [
    "Framework",
    "FrameworkInvalid",
    "IndexRun",
    "RunComparison",
    "Snapshot",
    "Store",
    "__version__",
    "assess_store",
    "compare",
    "load_framework",
    "read_coinr",
    "risks_store",
    "run_index",
    "set_lang",
]

if TYPE_CHECKING:
    from planmon.display import set_lang
    from planmon.framework import Framework, FrameworkInvalid, load_framework
    from planmon.index import IndexRun, RunComparison, compare, read_coinr, run_index
    from planmon.monitor import assess_store, risks_store
    from planmon.snapshot import Snapshot
    from planmon.store import Store


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'planmon' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
