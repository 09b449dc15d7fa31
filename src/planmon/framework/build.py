"""Validate parsed framework records (from YAML files or a workbook) into a :class:`Framework`.

Below both readers (:mod:`planmon.framework.loader` for YAML folders, :mod:`planmon.framework.workbook`
for workbooks), so neither imports the other to build.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from planmon.framework.checks import cross_check
from planmon.framework.issues import FrameworkInvalid, FrameworkIssue
from planmon.framework.model import (
    AT,
    BILINGUAL,
    Framework,
    IndexNode,
    Indicator,
    Observation,
    Plan,
    PlanItem,
    Responsibility,
    Unit,
    UnitTarget,
    Version,
)

LIST_PARTS: dict[str, type[BaseModel]] = {
    "items": PlanItem,
    "units": Unit,
    "indicators": Indicator,
    "index_tree": IndexNode,
    "responsibilities": Responsibility,
    "observations": Observation,
    "changelog": Version,
    "targets": UnitTarget,
}


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for error messages."""

    file: str
    index: int


def build_framework(
    plan_raw: tuple[str, Any] | None,
    raw: dict[str, list[tuple[Origin, Any]]],
    source_name: str,
    source_path: str | None = None,
    issues: list[FrameworkIssue] | None = None,
    evaluation: dict[str, Any] | None = None,
) -> Framework:
    """Validate parsed records (from YAML files or a workbook) into a framework, or raise every problem.

    ``raw`` maps each list part to (origin, record) pairs; an issue's ``file`` is the origin's file
    (or sheet) and its path ``part[index].field``, so a reader can point at the cell it came from.
    """
    issues = list(issues or [])
    raw = {k: raw.get(k, []) for k in LIST_PARTS}
    plan: Plan | None = None
    if plan_raw is None:
        issues.append(
            FrameworkIssue(
                source_name, "plan", "missing_plan", "缺少 plan（规划本身的声明）", "missing 'plan' declaration"
            )
        )
    else:
        plan = _validate(Plan, plan_raw[1], plan_raw[0], "plan", issues)

    parts: dict[str, list[Any]] = {}
    origins: dict[str, list[Origin]] = {}
    for key, model in LIST_PARTS.items():
        parts[key] = []
        origins[key] = []
        for origin, value in raw[key]:
            rec = _validate(model, value, origin.file, f"{key}[{origin.index}]", issues)
            if rec is not None:
                parts[key].append(rec)
                origins[key].append(origin)

    if plan is not None:
        issues.extend(cross_check(plan, parts, origins))
    if issues or plan is None:
        raise FrameworkInvalid(issues)
    fw = Framework(plan=plan, source_path=source_path, evaluation=evaluation or {}, **parts)
    fw.content_hash = framework_hash(fw)
    return fw


def _validate(
    model: type[BaseModel], value: Any, file: str, path: str, issues: list[FrameworkIssue]
) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        for err in exc.errors():
            loc = _loc(err["loc"])
            full = f"{path}{loc}" if loc.startswith("[") else (f"{path}.{loc}" if loc else path)
            msg = err["msg"]
            if BILINGUAL in msg:  # a model check written in both languages: each half in its own message
                zh, en = msg.removeprefix("Value error, ").split(BILINGUAL, 1)
                if zh.startswith(AT):  # "@target_rule …": the field the check is about
                    at, zh = zh[len(AT):].split(" ", 1)
                    full = f"{full}.{at}"
                issues.append(FrameworkIssue(file, full, err["type"], f"取值无效：{zh}", en))
                continue
            issues.append(
                FrameworkIssue(file, full, err["type"], f"取值无效：{_zh_pydantic(err)}", msg)
            )
        return None


def _loc(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _zh_pydantic(err: Any) -> str:
    kind = err["type"]
    table = {
        "missing": "缺少必填字段",
        "extra_forbidden": "不允许的字段（可能拼写错误）",
        "float_parsing": "不是数字",
        "int_parsing": "不是整数",
        "literal_error": "不是允许的取值",
        "string_type": "应为文本",
        "list_type": "应为列表",
        "bool_parsing": "应为 true 或 false",
        "value_error": "值不合要求",
    }
    base = table.get(kind, "格式错误")
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        base += f"（应为 {ctx['expected']}）"
    if kind == "value_error":
        base += f"：{err['msg'].removeprefix('Value error, ')}"
    return base


def framework_hash(fw: Framework) -> str:
    """SHA-256 of the framework's content (not of its location), for reproducible results."""
    data = fw.model_dump(exclude={"source_path", "content_hash"})
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()
