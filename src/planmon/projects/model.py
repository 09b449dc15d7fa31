"""An information-system or platform project (信息化项目) as the approving office sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS: dict[str, tuple[str, str]] = {
    "national": ("国家级", "national"),
    "province": ("省级", "provincial"),
    "city": ("地市级", "city"),
    "county": ("县级", "county"),
    "department": ("部门", "department"),
}


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    description: str = ""
    owner_unit: str = ""
    area_code: str | None = None
    level: str = ""
    functions: tuple[str, ...] = ()
    budget: float | None = None  # 万元
    start: str | None = None  # year or ISO date
    end: str | None = None
    pilot_id: str | None = None
    plan_item: str | None = None
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        return f"{self.name}。{self.description}"

    def years(self) -> tuple[int, int] | None:
        """The construction period as whole years (None when unknown)."""
        if not self.start:
            return None
        a = int(str(self.start)[:4])
        b = int(str(self.end)[:4]) if self.end else a
        return (a, max(a, b))

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> Project:
        funcs = r.get("functions") or ()
        if isinstance(funcs, str):
            funcs = tuple(f.strip() for f in funcs.replace("，", ",").replace("、", ",").replace(";", ",").split(",")
                          if f.strip())
        return cls(id=str(r["id"]), name=str(r["name"]), description=str(r.get("description") or ""),
                   owner_unit=str(r.get("owner_unit") or ""), area_code=r.get("area_code") or None,
                   level=str(r.get("level") or ""), functions=tuple(funcs),
                   budget=None if r.get("budget") is None else float(r["budget"]),
                   start=None if not r.get("start") else str(r["start"]), end=None if not r.get("end") else str(r["end"]),
                   pilot_id=r.get("pilot_id") or None, plan_item=r.get("plan_item") or None,
                   source=str(r.get("source") or ""))
