"""Read a framework folder of YAML files, validate every record, report every problem.

The folder holds any number of ``*.yaml`` files; each is a mapping whose keys are
the framework's parts (``plan``, ``items``, ``units``, ``indicators``,
``index_tree``, ``responsibilities``, ``observations``, and the mapping ``evaluation``:
the published evaluation spec read by :mod:`planmon.snapshot`). Lists under the same key
in several files are concatenated. Each record is validated on its own so that
one bad record does not hide the others; then :mod:`planmon.framework.checks`
checks the records against each other.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from planmon.framework.build import LIST_PARTS, Origin, build_framework, framework_hash
from planmon.framework.issues import FrameworkInvalid, FrameworkIssue
from planmon.framework.links import with_same_series
from planmon.framework.model import (
    Framework,
)
from planmon.framework.workbook import read_workbook

BUILTIN_DEFAULT = "cn-informatization-14fyp"

def builtin_dir(name: str = BUILTIN_DEFAULT) -> Path:
    """The folder of a framework shipped inside the package."""
    return Path(str(resources.files("planmon.framework") / "builtin" / name))


def builtin_names() -> list[str]:
    base = Path(str(resources.files("planmon.framework") / "builtin"))
    return sorted(p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith("_"))


def resolve_source(name_or_path: str | Path) -> Path:
    """A built-in framework by name, or a folder (or single YAML file) on disk."""
    p = Path(name_or_path)
    if p.exists():
        return p
    if str(name_or_path) in builtin_names():
        return builtin_dir(str(name_or_path))
    raise FrameworkInvalid(
        [
            FrameworkIssue(
                str(name_or_path),
                "",
                "not_found",
                f"找不到框架“{name_or_path}”：既不是文件夹，也不是内置框架（{', '.join(builtin_names())}）",
                f"framework '{name_or_path}' not found: neither a folder nor a built-in "
                f"framework ({', '.join(builtin_names())})",
            )
        ]
    )


def load_framework(name_or_path: str | Path = BUILTIN_DEFAULT) -> Framework:
    """Load and validate a framework; raise :class:`FrameworkInvalid` listing every problem.

    Values of a series another built-in plan holds (``same_series``) are read in from that plan.

    >>> fw = load_framework("cn-informatization-14fyp")       # a built-in plan, a folder of YAML or an .xlsx
    >>> fw.plan.period_start, fw.plan.period_end, len(fw.main_indicators())
    ('2021', '2025', 14)
    """
    return with_same_series(_load_one(name_or_path), lambda plan: _load_one(builtin_dir(plan)))


def _load_one(name_or_path: str | Path) -> Framework:
    source = resolve_source(name_or_path)
    if source.is_file() and source.suffix.lower() == ".xlsx":
        return read_workbook(source)
    files = sorted(source.glob("*.yaml")) + sorted(source.glob("*.yml")) if source.is_dir() else [source]
    issues: list[FrameworkIssue] = []
    raw: dict[str, list[tuple[Origin, Any]]] = {k: [] for k in LIST_PARTS}
    plan_raw: tuple[str, Any] | None = None
    evaluation: dict[str, Any] = {}
    for f in files:
        rel = f.name
        try:
            doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f"line {mark.line + 1}" if mark is not None else ""
            issues.append(
                FrameworkIssue(rel, line, "yaml_syntax", f"YAML 语法错误：{exc}", f"YAML syntax error: {exc}")
            )
            continue
        except UnicodeDecodeError:
            issues.append(
                FrameworkIssue(rel, "", "encoding", "文件不是 UTF-8 编码", "file is not UTF-8 encoded")
            )
            continue
        if doc is None:
            continue
        if not isinstance(doc, dict):
            issues.append(
                FrameworkIssue(
                    rel, "", "not_mapping", "文件顶层应为映射（键: 值）", "top level must be a mapping (key: value)"
                )
            )
            continue
        for key, value in doc.items():
            if key == "plan":
                if plan_raw is not None:
                    issues.append(
                        FrameworkIssue(rel, "plan", "duplicate_plan", "重复声明 plan", "'plan' is declared twice")
                    )
                plan_raw = (rel, value)
            elif key == "evaluation":
                if not isinstance(value, dict):
                    issues.append(FrameworkIssue(rel, key, "not_mapping", "“evaluation”应为映射（键: 值）",
                                                 "'evaluation' must be a mapping (key: value)"))
                    continue
                if evaluation:
                    issues.append(FrameworkIssue(rel, key, "duplicate_evaluation", "重复声明 evaluation",
                                                 "'evaluation' is declared twice"))
                evaluation = value
            elif key in LIST_PARTS:
                if not isinstance(value, list):
                    issues.append(
                        FrameworkIssue(rel, key, "not_list", f"“{key}”应为列表", f"'{key}' must be a list")
                    )
                    continue
                raw[key].extend((Origin(rel, i), v) for i, v in enumerate(value))
            else:
                issues.append(
                    FrameworkIssue(
                        rel,
                        str(key),
                        "unknown_key",
                        f"未知的键“{key}”（可用：plan、evaluation、{'、'.join(LIST_PARTS)}）",
                        f"unknown key '{key}' (allowed: plan, evaluation, {', '.join(LIST_PARTS)})",
                    )
                )

    return build_framework(plan_raw, raw, source.name, str(source), issues, evaluation)


def export_framework(fw: Framework, folder: str | Path) -> list[Path]:
    """Write a framework back as a folder of YAML files that loads to the same content."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    docs: dict[str, dict[str, Any]] = {"plan.yaml": {"plan": fw.plan.model_dump(exclude_defaults=True)}}
    for key in LIST_PARTS:
        records = getattr(fw, key)
        if records:
            docs[f"{key}.yaml"] = {key: [r.model_dump(exclude_defaults=True) for r in records]}
    if fw.evaluation:
        docs["evaluation.yaml"] = {"evaluation": fw.evaluation}
    for name, doc in docs.items():
        path = out / name
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        written.append(path)
    return written


__all__ = ["BUILTIN_DEFAULT", "LIST_PARTS", "Origin", "build_framework", "builtin_dir", "builtin_names",
           "export_framework", "framework_hash", "load_framework", "resolve_source"]
