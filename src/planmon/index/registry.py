"""Methods registered by name, so that a YAML spec names a method by a string.

Each step module registers its functions with :func:`register`; :func:`get` looks
one up and gives a bilingual error listing the known names when it is unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from planmon.index.errors import fail

F = TypeVar("F", bound=Callable[..., Any])

_REGISTRY: dict[str, dict[str, Callable[..., Any]]] = {}


def register(step: str, *names: str) -> Callable[[F], F]:
    """Decorator: make ``fn`` available as ``{step: {method: <name>}}`` in a spec."""

    def deco(fn: F) -> F:
        table = _REGISTRY.setdefault(step, {})
        for n in names:
            table[n] = fn
        return fn

    return deco


def get(step: str, name: str) -> Callable[..., Any]:
    table = _REGISTRY.get(step, {})
    if name not in table:
        known = ", ".join(sorted(table))
        raise fail(f"步骤 {step} 没有方法 “{name}”；可用：{known}",
                   f"step {step} has no method '{name}'; known: {known}")
    return table[name]


def names(step: str) -> list[str]:
    return sorted(_REGISTRY.get(step, {}))


def steps() -> dict[str, list[str]]:
    return {s: sorted(t) for s, t in _REGISTRY.items()}
