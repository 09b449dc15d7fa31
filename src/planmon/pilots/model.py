"""Programmes (试点项目/示范工程) and the life of a pilot: states, transitions, labels.

A pilot moves one step at a time: 申报 applied → 批复 approved → 实施 active → 评估 evaluated
→ 验收通过 graduated, or 退出 exited (from active or evaluated: a pilot that does not advance
loses its status, as the national programmes state). A programme lists the states it uses
and the states a pilot may enter the registry in (a published list names approved pilots).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from planmon.pilots.areas import city_class

STATES: tuple[str, ...] = ("applied", "approved", "active", "evaluated", "graduated", "exited")
STATE_LABELS: dict[str, tuple[str, str]] = {
    "applied": ("申报", "applied"),
    "approved": ("批复", "approved"),
    "active": ("实施中", "active"),
    "evaluated": ("已评估", "evaluated"),
    "graduated": ("验收通过", "graduated"),
    "exited": ("退出", "exited"),
}
#: state → the states one step away (the only changes allowed without skipping).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "applied": ("approved", "exited"),
    "approved": ("active", "exited"),
    "active": ("evaluated", "exited"),
    "evaluated": ("graduated", "exited", "active"),
    "graduated": (),
    "exited": (),
}
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "province": ("省级", "province"),
    "city": ("地市级", "city"),
    "district": ("区级", "district"),
    "county": ("县级", "county"),
    "institution": ("单位", "institution"),
    "enterprise": ("企业", "enterprise"),
}
STATE_ALIASES: dict[str, str] = {**{zh: k for k, (zh, _) in STATE_LABELS.items()}, **{k: k for k in STATES},
                                 "已批复": "approved", "实施": "active", "已退出": "exited", "取消": "exited"}
LEVEL_ALIASES: dict[str, str] = {**{zh: k for k, (zh, _) in LEVEL_LABELS.items()}, **{k: k for k in LEVEL_LABELS},
                                 "省": "province", "市": "city", "区": "district", "县": "county",
                                 "高校": "institution", "机构": "institution"}


@dataclass(frozen=True)
class EvalIndicator:
    """An indicator of a programme's evaluation (its weight in the score, its direction)."""

    id: str
    name_zh: str
    name_en: str
    unit: str
    direction: str
    weight: float

    @property
    def sign(self) -> int:
        return -1 if self.direction.strip() in ("-", "decrease", "lower") else 1


@dataclass(frozen=True)
class Programme:
    """A pilot programme as declared: who runs it, by which document, with which rules."""

    id: str
    name_zh: str
    name_en: str
    departments: tuple[str, ...]
    document: str
    document_no: str
    batches: tuple[dict[str, Any], ...]
    term_years: float | None
    term_note: str
    funding: dict[str, Any]
    states: tuple[str, ...]
    entry_states: tuple[str, ...]
    indicators: tuple[EvalIndicator, ...]
    illustrative_evaluation: bool
    exit_rule: dict[str, Any]
    inferred: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    def cap_for(self, area_code: str | None) -> float | None:
        """The funding cap (万元) of a pilot in ``area_code``, or None when the programme has none."""
        cap = self.funding.get("cap")
        if cap is None:
            return None
        if city_class(area_code) in set(self.funding.get("higher_for", [])) and self.funding.get("cap_higher"):
            return float(self.funding["cap_higher"])
        return float(cap)

    def framework_id(self) -> str:
        """Where the pilots' reported values live among the observations."""
        return f"pilots:{self.id}"

    def content_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.raw, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _programme(d: dict[str, Any], inds: dict[str, EvalIndicator]) -> Programme:
    ev = d.get("evaluation") or {}
    return Programme(
        id=d["id"], name_zh=d["name_zh"], name_en=d["name_en"], departments=tuple(d.get("departments", [])),
        document=d.get("document", ""), document_no=d.get("document_no", "") or "",
        batches=tuple(d.get("batches", [])), term_years=d.get("term_years"), term_note=d.get("term_note", ""),
        funding=dict(d.get("funding") or {}), states=tuple(d.get("states", STATES)),
        entry_states=tuple(d.get("entry_states", ("applied", "approved", "active"))),
        indicators=tuple(inds[i] for i in ev.get("indicators", [])),
        illustrative_evaluation=bool(ev.get("illustrative", False)), exit_rule=dict(d.get("exit_rule") or {}),
        inferred=tuple(d.get("inferred", [])), raw=d,
    )


def parse_programmes(doc: dict[str, Any]) -> dict[str, Programme]:
    inds = {i["id"]: EvalIndicator(i["id"], i["name_zh"], i["name_en"], str(i.get("unit", "")),
                                   str(i.get("direction", "+")), float(i.get("weight", 1.0)))
            for i in doc.get("indicators", [])}
    out: dict[str, Programme] = {}
    for d in doc.get("programmes", []):
        d = {**d, "_indicators": [vars(inds[i]) for i in (d.get("evaluation") or {}).get("indicators", [])]}
        out[d["id"]] = _programme(d, inds)
    return out


@lru_cache(maxsize=1)
def builtin_programmes() -> dict[str, Programme]:
    text = (resources.files("planmon.pilots") / "builtin" / "programmes.yaml").read_text(encoding="utf-8")
    return parse_programmes(yaml.safe_load(text))


def programme_from_content(content: dict[str, Any]) -> Programme:
    """A stored programme back from its JSON (the indicators travel inside it)."""
    inds = {i["id"]: EvalIndicator(**i) for i in content.get("_indicators", [])}
    return _programme(content, inds)


def state_label(state: str, lang: str = "zh") -> str:
    zh, en = STATE_LABELS.get(state, (state, state))
    return en if lang == "en" else zh


def level_label(level: str, lang: str = "zh") -> str:
    zh, en = LEVEL_LABELS.get(level, (level, level))
    return en if lang == "en" else zh


def can_move(current: str | None, new: str, programme: Programme) -> bool:
    """Whether ``current → new`` is one allowed step (``current`` None: entering the registry)."""
    if current is None:
        return new in programme.entry_states
    return new == current or new in TRANSITIONS.get(current, ())
