"""Strict validation of an index spec: every key at every depth is known, every value has its type.

Why strict: a misspelt key (``shfit`` for ``shift``) that is silently ignored changes
results without anyone noticing. So every mapping in a spec is checked against what the
engine reads, and every problem is reported together, each with the path of the key
(``weights.1.shfit``, lists as ``[i]``), a stable code and a "did you mean" suggestion,
in Chinese and English.

The parameters of a method are read from the signature of the registered function
(``planmon.index.registry``): its parameter names are the keys the spec may use and its
type hints (``Literal`` for a choice) are checked with pydantic. Nested specs (the parts of
``combined`` weights, transforms per indicator, uncertainty alternatives) are checked
recursively with the same rules. Checks that need the data (indicator codes, levels of the
tree) are made when the spec meets the data, in :func:`check_against_tree`.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from planmon.i18n import Message
from planmon.index.errors import SpecIssue
from planmon.index.registry import get, names

DATA_STEPS = ("denominate", "impute", "screen", "treat", "transform", "normalise")
LEVELLED = ("weights", "aggregate")
DEFAULT_METHOD = {"denominate": "divide", "impute": "mean", "screen": "byNA", "treat": "winsorise",
                  "transform": "per_indicator", "normalise": "minmax", "weights": "meta", "aggregate": "arithmetic",
                  "scorer": "topsis", "rescale": "minmax"}
TOP_KEYS = (*DATA_STEPS, "weights", "aggregate", "scorer", "rescale", "uncertainty", "period", "name")
# arguments the engine passes itself: never spec keys
_INTERNAL = {"x", "ctx", "w", "where", "method", "time"}
# keys read by the step runner rather than the method
_STEP_EXTRA: dict[str, dict[str, Any]] = {"aggregate": {"dat_thresh": (float | None, None)}}


def suggest(key: str, known: typing.Iterable[str]) -> str | None:
    """The closest known key, if one is close enough to be a likely typo."""
    hit = difflib.get_close_matches(str(key), [str(k) for k in known], n=1, cutoff=0.6)
    return hit[0] if hit else None


def unknown_key(path: str, key: Any, known: typing.Iterable[str], where_zh: str = "", where_en: str = "",
                what: tuple[str, str] = ("键", "key")) -> SpecIssue:
    """An unknown key at ``path``: its full path, a "did you mean" when one is close, and the known keys."""
    known = sorted(str(k) for k in known)
    hint = suggest(str(key), known)
    full = f"{path}.{key}" if path else str(key)
    zh_hint = f"，是否想写 {hint}？" if hint else "。"
    en_hint = f" - did you mean {hint}?" if hint else "."
    listing_zh = f"（可用：{'、'.join(known)}）" if known else "（此处不接受任何键）"
    listing_en = f" (known: {', '.join(known)})" if known else " (no key is accepted here)"
    return SpecIssue(full, "unknown_key",
                     Message(f"规格 {full}：未知的{what[0]} {key}{where_zh}{zh_hint}{listing_zh}",
                             f"spec {full}: unknown {what[1]} {key}{where_en}{en_hint}{listing_en}"))


def _issue(path: str, code: str, zh: str, en: str) -> SpecIssue:
    return SpecIssue(path, code, Message(f"规格 {path}：{zh}", f"spec {path}: {en}"))


@functools.lru_cache(maxsize=256)
def _model(step: str, fn: Any) -> tuple[type[BaseModel], tuple[str, ...]]:
    """A pydantic model of the method's keyword parameters (unknown keys forbidden)."""
    hints = typing.get_type_hints(fn, include_extras=True)
    fields: dict[str, Any] = {}
    for name, p in inspect.signature(fn).parameters.items():
        if name in _INTERNAL or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        default = p.default if p.default is not inspect.Parameter.empty else ...
        fields[name] = (hints.get(name, Any), default)
    fields.update(_STEP_EXTRA.get(step, {}))
    model = create_model(f"{step}_{fn.__name__}", __config__=ConfigDict(extra="forbid", arbitrary_types_allowed=True),
                         **fields)
    return model, tuple(sorted(fields))


def method_keys(step: str, method: str) -> tuple[str, ...]:
    """The parameter names a method accepts in a spec (besides ``method``)."""
    return _model(step, get(step, method))[1]


_TYPE_TEXT = {
    "int": ("整数", "an integer"), "float": ("数值", "a number"), "bool": ("true 或 false", "true or false"),
    "string": ("文本", "text"), "list": ("列表", "a list"), "dict": ("映射（键: 值）", "a mapping (key: value)"),
}


def _value_issue(path: str, err: dict[str, Any]) -> SpecIssue:
    typ = str(err.get("type", ""))
    got = err.get("input")
    if typ == "literal_error":
        exp = str((err.get("ctx") or {}).get("expected", ""))
        return _issue(path, "bad_value", f"值 {got!r} 无效，应为 {exp.replace(' or ', ' 或 ')} 之一",
                      f"{got!r} is not allowed; expected {exp}")
    if typ == "missing":
        return _issue(path, "missing_key", "缺少必需的键", "a required key is missing")
    if typ in ("too_long", "too_short", "tuple_type"):
        return _issue(path, "bad_value", f"值 {got!r} 应为两个数值组成的列表，如 [0, 100]",
                      f"{got!r} must be a list of two numbers, e.g. [0, 100]")
    for key, (zh, en) in _TYPE_TEXT.items():
        if typ.startswith(key):
            return _issue(path, "bad_value", f"值 {got!r} 应为{zh}", f"{got!r} must be {en}")
    if typ in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        lim = next(iter((err.get("ctx") or {}).values()), "")
        sym = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<", "less_than_equal": "≤"}[typ]
        return _issue(path, "bad_value", f"值 {got!r} 应 {sym} {lim}", f"{got!r} must be {sym} {lim}")
    return _issue(path, "bad_value", f"值 {got!r} 无效", f"{got!r} is not valid ({err.get('msg', '')})")


def _is_union(model: type[BaseModel], name: Any) -> bool:
    field = model.model_fields.get(str(name))
    if field is None:
        return False
    args = [a for a in typing.get_args(field.annotation) if a is not type(None)]
    return typing.get_origin(field.annotation) in (typing.Union, types.UnionType) and len(args) > 1


def _nested_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the nested model at ``loc`` (for the "known" list of an unknown nested key)."""
    ann: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(ann, "model_fields", None)
        if not fields or part not in fields:
            return []
        ann = fields[part].annotation
        for arg in typing.get_args(ann) or (ann,):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                ann = arg
                break
    return list(getattr(ann, "model_fields", {}))


def _join(path: str, loc: tuple[Any, ...]) -> str:
    out = path
    for part in loc:
        out = f"{out}[{part}]" if isinstance(part, int) else (f"{out}.{part}" if out else str(part))
    return out


def check_method(step: str, value: Any, path: str) -> list[SpecIssue]:
    """Issues of one step spec: ``true``/``false``, a method name, or a mapping with ``method`` and parameters."""
    if value is None or value is False:
        return []
    if value is True:
        return []
    if isinstance(value, str):
        params: dict[str, Any] = {"method": value}
    elif isinstance(value, dict):
        params = dict(value)
    else:
        return [_issue(path, "bad_form", f"应为 true/false、方法名或映射，而不是 {value!r}",
                       f"must be true/false, a method name or a mapping, not {value!r}")]
    if step == "screen" and "method" not in params and "rule" in params:
        params["method"] = params["rule"]
    method = params.pop("method", DEFAULT_METHOD[step])
    if not isinstance(method, str) or method not in names(step):
        hint = suggest(str(method), names(step))
        mpath = f"{path}.method" if isinstance(value, dict) else path
        return [SpecIssue(mpath, "unknown_method", Message(
            f"规格 {mpath}：步骤 {step} 没有方法 {method}" + (f"，是否想写 {hint}？" if hint else "。")
            + f"（可用：{'、'.join(names(step))}）",
            f"spec {mpath}: step {step} has no method {method}" + (f" - did you mean {hint}?" if hint else ".")
            + f" (known: {', '.join(names(step))})"))]
    fn = get(step, method)
    model, known = _model(step, fn)
    where = (f"（{step} 方法 {method}）", f" ({step} method {method})")
    only = getattr(fn, "params_by_method", {}).get(method)
    if only is not None:  # one function serves several methods: each reads only its own keys
        bad = [k for k in params if k not in only]
        params = {k: v for k, v in params.items() if k in only}
        issues = [unknown_key(path, k, only, *where, what=("参数", "parameter")) for k in bad]
    else:
        issues = []
    issues += _model_issues(model, params, path, only if only is not None else known, where)
    if not issues:
        issues += _nested(step, method, params, path)
    return issues


def _model_issues(model: type[BaseModel], value: Any, path: str, known: typing.Iterable[str],
                  where: tuple[str, str] = ("", "")) -> list[SpecIssue]:
    """Issues of ``value`` against a pydantic model: unknown keys (with suggestions) and bad values."""
    issues: list[SpecIssue] = []
    try:
        model.model_validate(value)
    except ValidationError as exc:
        unions: set[str] = set()
        for err in exc.errors():
            loc = tuple(err["loc"])
            if len(loc) > 1 and _is_union(model, loc[0]) and not isinstance(loc[1], int):
                # a value matching no member of a union (pydantic tags each member): one issue for the key
                if loc[0] not in unions:
                    unions.add(str(loc[0]))
                    got = value.get(loc[0]) if isinstance(value, dict) else None
                    issues.append(_issue(_join(path, loc[:1]), "bad_value", f"值 {got!r} 无效", f"{got!r} is not valid"))
                continue
            if err["type"] == "extra_forbidden" and len(loc) == 1:
                issues.append(unknown_key(path, loc[0], known, *where, what=("参数", "parameter")))
            elif err["type"] == "extra_forbidden":
                issues.append(unknown_key(_join(path, loc[:-1]), loc[-1], _nested_keys(model, loc[:-1])))
            else:
                issues.append(_value_issue(_join(path, loc), dict(err)))
    return issues


def check_transform(value: Any, path: str) -> list[SpecIssue]:
    """One transform: a name (``log``) or ``{fn, shift, c, lambda}`` (docs/index/07-transform.md)."""
    from planmon.index.transform import FNS, TransformSpec

    if isinstance(value, str):
        if value in FNS:
            return []
        hint = suggest(value, FNS)
        return [SpecIssue(path, "unknown_method", Message(
            f"规格 {path}：没有变换 {value}" + (f"，是否想写 {hint}？" if hint else "。") + f"（可用：{'、'.join(FNS)}）",
            f"spec {path}: no transform {value}" + (f" - did you mean {hint}?" if hint else ".") + f" (known: {', '.join(FNS)})"))]
    if not isinstance(value, dict):
        return [_issue(path, "bad_form", "应为变换名或 {fn: …, shift: …, c: …}", "must be a transform name or {fn: …, shift: …, c: …}")]
    return _model_issues(TransformSpec, value, path, ["fn", "shift", "c", "lambda"])


def _nested(step: str, method: str, params: dict[str, Any], path: str) -> list[SpecIssue]:
    """Specs inside a spec: the parts of ``combined`` weights; the transforms of the transform step."""
    issues: list[SpecIssue] = []
    if step == "weights" and method == "combined":
        of = params.get("of")
        if not isinstance(of, list) or len(of) != 2:
            return [_issue(f"{path}.of", "bad_value", "应为两个权重方法的列表", "must be a list of two weight methods")]
        for i, sub in enumerate(of):
            issues += check_method("weights", sub, f"{path}.of[{i}]")
    if step == "transform":
        for code, t in (params.get("indicators") or {}).items():
            issues += check_transform(t, f"{path}.indicators.{code}")
        for key in ("all", "apply"):
            if params.get(key) is not None:
                issues += check_transform(params[key], f"{path}.{key}")
        if params.get("when") is not None and params.get("apply") is None:
            issues.append(_issue(f"{path}.apply", "missing_key", "有 when 时须给出 apply（要做的变换）",
                                 "with when, apply (the transform to use) is required"))
    return issues


def _is_level(k: Any) -> bool:
    return isinstance(k, int) or (isinstance(k, str) and k.isdigit())


def check_levelled(step: str, value: Any, path: str) -> list[SpecIssue]:
    """``weights``/``aggregate``: one spec for all levels, or ``{level: spec}``."""
    if isinstance(value, dict) and value and any(_is_level(k) for k in value):
        issues: list[SpecIssue] = []
        for k, v in value.items():
            if not _is_level(k):
                issues.append(_issue(f"{path}.{k}", "unknown_key", "按层级写时每个键都应是层级编号（如 1、2）",
                                     "when written per level every key must be a level number (e.g. 1, 2)"))
            else:
                issues += check_method(step, v, f"{path}.{k}")
        return issues
    if step == "aggregate" and isinstance(value, dict) and isinstance(value.get("dat_thresh"), dict):
        issues = [_issue(f"{path}.dat_thresh.{k}", "unknown_key", "dat_thresh 的键应是层级编号",
                         "the keys of dat_thresh must be level numbers") for k in value["dat_thresh"] if not _is_level(k)]
        issues += [_issue(f"{path}.dat_thresh.{k}", "bad_value", f"值 {t!r} 应为 0 到 1 之间的数值",
                          f"{t!r} must be a number between 0 and 1")
                   for k, t in value["dat_thresh"].items() if not isinstance(t, int | float) or isinstance(t, bool)]
        return issues + check_method(step, {k: v for k, v in value.items() if k != "dat_thresh"}, path)
    return check_method(step, value, path)


def _check_uncertainty(value: Any, spec: dict[str, Any]) -> list[SpecIssue]:
    path = "uncertainty"
    if not isinstance(value, dict):
        return [_issue(path, "bad_form", "应为映射（输入: 备选列表）", "must be a mapping (input: list of alternatives)")]
    issues: list[SpecIssue] = []
    known = ["weights", "aggregate", "exclude", *DATA_STEPS]
    for key, alts in value.items():
        kp = f"{path}.{key}"
        if key == "weights":
            if not isinstance(alts, dict):
                issues.append(_issue(kp, "bad_form", "应为 {noise: {层级: 比例}, sets: 数量}",
                                     "must be {noise: {level: fraction}, sets: count}"))
                continue
            for k in alts:
                if k not in ("noise", "sets"):
                    issues.append(unknown_key(kp, k, ["noise", "sets"]))
            noise = alts.get("noise")
            if not isinstance(noise, dict) or not noise or not all(_is_level(k) for k in noise):
                issues.append(_issue(f"{kp}.noise", "bad_value", "应为 {层级: 比例}，如 {2: 0.25}",
                                     "must be {level: fraction}, e.g. {2: 0.25}"))
            continue
        if "." in str(key):
            step, param = str(key).split(".", 1)
            if step not in DATA_STEPS:
                issues.append(unknown_key(path, key, known))
                continue
            if step not in spec or spec[step] in (None, False):
                issues.append(_issue(kp, "unknown_step", f"规格中没有步骤 {step}", f"the spec has no {step} step"))
                continue
            base = spec[step] if isinstance(spec[step], dict) else ({} if spec[step] is True else {"method": spec[step]})
            m = base.get("method", base.get("rule", DEFAULT_METHOD[step])) if isinstance(base, dict) else None
            if isinstance(m, str) and m in names(step):
                fn = get(step, m)
                accepted = getattr(fn, "params_by_method", {}).get(m) or method_keys(step, m)
                if param not in accepted:
                    issues.append(unknown_key(path, key, [f"{step}.{a}" for a in accepted], what=("输入", "input")))
                    continue
            if not isinstance(alts, list) or not alts:
                issues.append(_issue(kp, "bad_form", "应为非空的备选值列表", "must be a non-empty list of alternative values"))
                continue
            for i, a in enumerate(alts):
                issues += check_method(step, {**base, param: a}, f"{kp}[{i}]")
            continue
        if key not in known:
            issues.append(unknown_key(path, key, known))
            continue
        if not isinstance(alts, list) or not alts:
            issues.append(_issue(kp, "bad_form", "应为非空的备选列表", "must be a non-empty list of alternatives"))
            continue
        for i, a in enumerate(alts):
            if key == "aggregate":
                issues += check_levelled("aggregate", a, f"{kp}[{i}]")
            elif key in DATA_STEPS:
                issues += check_method(key, a, f"{kp}[{i}]")
            elif a is not None and not isinstance(a, str):
                issues.append(_issue(f"{kp}[{i}]", "bad_value", "应为指标代码或 null", "must be an indicator code or null"))
    return issues


def validate_spec(spec: dict[str, Any]) -> list[SpecIssue]:
    """Every problem of a spec (without the data): unknown keys at any depth, unknown methods, bad values."""
    issues: list[SpecIssue] = []
    for key, value in spec.items():
        if key not in TOP_KEYS:
            issues.append(unknown_key("", key, TOP_KEYS))
        elif key in DATA_STEPS or key in ("scorer", "rescale"):
            issues += check_method(key, value, key)
        elif key in LEVELLED:
            issues += check_levelled(key, value, key)
        elif key == "uncertainty":
            if value:
                issues += _check_uncertainty(value, spec)
        elif key == "name" and value is not None and not isinstance(value, str):
            issues.append(_issue(key, "bad_value", "应为文本", "must be text"))
        elif key == "period" and value is not None and not isinstance(value, int | float | str):
            issues.append(_issue(key, "bad_value", "应为一个时期（如 2022）", "must be one period (e.g. 2022)"))
    return issues


@functools.lru_cache(maxsize=256)
def _defaults(step: str, fn: Any) -> dict[str, Any]:
    """The spec parameters of a method with their defaults (signature order)."""
    out: dict[str, Any] = {}
    for name, p in inspect.signature(fn).parameters.items():
        if name in _INTERNAL or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        d = p.default if p.default is not inspect.Parameter.empty else None
        out[name] = d.model_dump() if isinstance(d, BaseModel) else list(d) if isinstance(d, tuple) else d
    out.update({k: v[1] for k, v in _STEP_EXTRA.get(step, {}).items()})
    return out


def resolved(step: str, params: dict[str, Any]) -> dict[str, Any]:
    """Every parameter a method used, the defaults included (for the run log: every choice named).

    Plain signature defaults overlaid by the given values (no validation: the spec is valid by now),
    so logging costs microseconds per step.
    """
    p = dict(params)
    if step == "screen" and "method" not in p and "rule" in p:
        p["method"] = p["rule"]
    method = str(p.pop("method", DEFAULT_METHOD[step]))
    fn = get(step, method)
    only = getattr(fn, "params_by_method", {}).get(method)
    full = {k: v for k, v in _defaults(step, fn).items() if only is None or k in only}
    full.update(p)
    return {"method": method, **full}


def _codes(path: str, given: Any, known: list[str], what: tuple[str, str]) -> list[SpecIssue]:
    """Codes (mapping keys or list items) that the data do not have, each with a suggestion."""
    out: list[SpecIssue] = []
    items = list(given) if isinstance(given, dict | list) else []
    for code in items:
        if code is None or str(code) in known:
            continue
        hint = suggest(str(code), known)
        where = f"{path}.{code}" if isinstance(given, dict) else path
        out.append(SpecIssue(where, f"unknown_{what[1]}", Message(
            f"规格 {where}：数据中没有{what[0]} {code}" + (f"，是否想写 {hint}？" if hint else ""),
            f"spec {where}: the data have no {what[1]} {code}" + (f" - did you mean {hint}?" if hint else ""))))
    return out


def _weight_codes(w: Any, path: str, levels: dict[int, list[str]], level: int | None) -> list[SpecIssue]:
    """Codes inside one weights spec: manual values, AHP matrices and orders (parents one level up)."""
    if not isinstance(w, dict):
        return []
    nodes = [c for lev, cs in levels.items() for c in cs if level is None or lev == level]
    parents = [c for lev, cs in levels.items() for c in cs if lev > 1 and (level is None or lev == level + 1)]
    out = _codes(f"{path}.values", w.get("values"), nodes, ("节点", "node"))
    out += _codes(f"{path}.matrices", w.get("matrices"), parents, ("上级节点", "parent"))
    order = w.get("order")
    out += _codes(f"{path}.order", order, parents, ("上级节点", "parent"))
    if isinstance(order, dict):
        for parent, kids in order.items():
            out += _codes(f"{path}.order.{parent}", kids, nodes, ("节点", "node"))
    for i, sub in enumerate(w.get("of") or []):
        out += _weight_codes(sub, f"{path}.of[{i}]", levels, level)
    return out


def check_against_tree(spec: dict[str, Any], levels: dict[int, list[str]], units: list[str]) -> list[SpecIssue]:
    """Problems visible only with the data: level numbers the tree lacks, and codes (indicators, nodes,
    parents, units) that the data lack — a misspelt code would otherwise be silently ignored."""
    issues: list[SpecIssue] = []
    maxlev = max(levels)
    indicators = levels[1]
    for key, lo, hi in (("weights", 1, maxlev - 1), ("aggregate", 2, maxlev)):
        value = spec.get(key)
        if isinstance(value, dict):
            lv = [k for k in value if _is_level(k)]
            if key == "aggregate" and isinstance(value.get("dat_thresh"), dict):
                lv += [k for k in value["dat_thresh"] if _is_level(k)]
            for k in lv:
                if not lo <= int(k) <= hi:
                    issues.append(_issue(f"{key}.{k}", "unknown_level", f"树中没有层级 {k}（此处可用 {lo}…{hi}）",
                                         f"the tree has no level {k} here (use {lo}…{hi})"))
    ind = ("指标", "indicator")
    for step, keys in (("denominate", ("denominators", "scale")), ("normalise", ("posts", "targets")),
                       ("treat", ("exclude",)), ("transform", ("indicators", "exclude"))):
        v = spec.get(step)
        if isinstance(v, dict):
            for k in keys:
                issues += _codes(f"{step}.{k}", v.get(k), indicators, ind)
    screen = spec.get("screen")
    if isinstance(screen, dict):
        issues += _codes("screen.force", screen.get("force"), units, ("单位", "unit"))
    w = spec.get("weights")
    if isinstance(w, dict) and any(_is_level(k) for k in w):
        for k, sub in w.items():
            if _is_level(k) and 1 <= int(k) < maxlev:
                issues += _weight_codes(sub, f"weights.{k}", levels, int(k))
    else:
        issues += _weight_codes(w, "weights", levels, None)
    unc = spec.get("uncertainty")
    if isinstance(unc, dict):
        issues += _codes("uncertainty.exclude", unc.get("exclude"), indicators, ind)
    return issues
