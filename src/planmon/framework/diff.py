"""What changed between two versions of a framework (``planmon framework diff OLD NEW``).

The changelog says *why* a version changed; the diff shows *what* changed, record by record
and field by field, so an office can check one against the other before it upgrades.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from planmon.framework.model import Framework, Version

_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("items", "计划条目", "plan items"),
    ("indicators", "指标", "indicators"),
    ("units", "单位", "units"),
)


@dataclass(frozen=True)
class FieldChange:
    """One difference: a record added or removed, or one field of it changed."""

    section: str  # plan | items | indicators | units | responsibilities | observations
    key: str
    change: str  # added | removed | changed
    field: str = ""
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FrameworkDiff:
    old_version: str
    new_version: str
    old_hash: str
    new_hash: str
    changes: list[FieldChange]
    changelog: list[Version]  # the versions NEW declares that OLD does not

    def to_dict(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version, "new_version": self.new_version,
            "old_hash": self.old_hash, "new_hash": self.new_hash,
            "changes": [c.to_dict() for c in self.changes],
            "changelog": [v.model_dump() for v in self.changelog],
        }


def _records(records: list[Any], key: Any) -> dict[str, dict[str, Any]]:
    return {key(r): r.model_dump(mode="json") for r in records}


def _compare(section: str, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[FieldChange]:
    out: list[FieldChange] = []
    for k in old:
        if k not in new:
            out.append(FieldChange(section, k, "removed"))
    for k, rec in new.items():
        if k not in old:
            out.append(FieldChange(section, k, "added"))
            continue
        before = old[k]
        for f in sorted(set(before) | set(rec)):
            if before.get(f) != rec.get(f):
                out.append(FieldChange(section, k, "changed", f, before.get(f), rec.get(f)))
    return out


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Every difference between two frameworks, in a stable order (plan, items, indicators, …)."""
    changes = _compare("plan", {"plan": old.plan.model_dump(mode="json")}, {"plan": new.plan.model_dump(mode="json")})
    for section, _zh, _en in _SECTIONS:
        changes += _compare(section, _records(getattr(old, section), lambda r: r.id),
                            _records(getattr(new, section), lambda r: r.id))
    changes += _compare("responsibilities", _records(old.responsibilities, lambda r: f"{r.item}/{r.unit}"),
                        _records(new.responsibilities, lambda r: f"{r.item}/{r.unit}"))
    changes += _compare("observations", _records(old.observations, lambda r: f"{r.indicator}/{r.unit}/{r.period}"),
                        _records(new.observations, lambda r: f"{r.indicator}/{r.unit}/{r.period}"))
    seen = {v.version for v in old.changelog} | {old.plan.version}
    return FrameworkDiff(old.plan.version, new.plan.version, old.content_hash, new.content_hash, changes,
                         [v for v in new.changelog if v.version not in seen])


def section_label(section: str, lang: str) -> str:
    labels = {s: (zh, en) for s, zh, en in _SECTIONS} | {
        "plan": ("规划", "plan"), "responsibilities": ("分工", "responsibilities"),
        "observations": ("内置观测值", "built-in observations"),
    }
    zh, en = labels.get(section, (section, section))
    return en if lang == "en" else zh
