"""Build the labelled duplicate-evaluation set from bases.yaml: ``projects.csv`` and ``pairs.csv``.

Run ``python tests/projects/dupset/build.py`` to rebuild (deterministic, seeded); the CSV files are
committed so that the quality test reads fixed data. Labels:

duplicates (1): ``paraphrase`` (synonyms, reworded name), ``reordered`` (clauses in another order),
``abbreviated`` (short name, first clause only, fewer function tags), ``nested`` (the province's
capital city builds the same system the province runs), ``rewrite_pair`` (two rewrites of one base), ``handwritten`` (reworded by hand as another office would).
non-duplicates (0): ``different_area`` (the same system in another province: replication, not
duplication), ``same_field`` (two projects of the same task or key project), ``same_field_rewrite``
(a rewrite against another project of the field), ``handwritten_same_field`` (written by hand: the same
field, area and period, shared words, another system), ``same_field_same_area`` (two projects of one field in
one area and period: only the text separates them), ``near_field`` (neighbouring fields with shared
terms), ``other_field`` (unrelated projects).
"""

from __future__ import annotations

import csv
import itertools
import random
import re
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
SYNONYMS = [
    ("建设", "搭建"), ("平台", "系统"), ("推进", "推动"), ("提升", "提高"), ("实现", "做到"), ("开展", "组织开展"),
    ("面向", "针对"), ("汇聚", "归集"), ("整合", "统筹整合"), ("支撑", "支持"), ("全省", "省域"), ("发展", "培育"),
    ("提供", "给予"), ("统一", "集约统一"), ("部署", "布设"), ("一体化", "一体化"), ("资源", "资源"), ("系统", "平台"),
    ("共享", "互通共享"), ("服务", "服务"), ("监测", "监控"), ("建立", "构建"), ("形成", "总结形成"), ("推动", "促进"),
]
OTHER_PROVINCE = {"330000": "620000", "320000": "650000", "520000": "210000", "460000": "140000", "440000": "150000",
                  "370000": "530000", "110000": "450000", "310000": "230000", "510000": "360000", "500000": "220000",
                  "420000": "640000", "340000": "630000", "350000": "540000", "410000": "130000", "610000": "430000",
                  "450000": "120000"}
SHORT = {"330000": "浙江", "320000": "江苏", "520000": "贵州", "460000": "海南", "440000": "广东", "370000": "山东",
         "110000": "北京", "310000": "上海", "510000": "四川", "500000": "重庆", "420000": "湖北", "340000": "安徽",
         "350000": "福建", "410000": "河南", "610000": "陕西", "450000": "广西", "620000": "甘肃", "650000": "新疆",
         "210000": "辽宁", "140000": "山西", "150000": "内蒙古", "530000": "云南", "230000": "黑龙江", "360000": "江西",
         "220000": "吉林", "640000": "宁夏", "630000": "青海", "540000": "西藏", "130000": "河北", "430000": "湖南",
         "120000": "天津"}


def paraphrase(text: str, rng: random.Random, share: float = 0.7) -> str:
    out = text
    for a, b in SYNONYMS:
        if a in out and rng.random() < share:
            out = out.replace(a, b)
    return out


GENERIC = ["项目建成后将显著提升相关领域信息化水平", "按照集约化原则依托现有基础设施实施", "分两期建设并同步开展运维保障",
           "坚持需求导向和问题导向统筹推进", "同步完善配套制度规范和安全保障措施"]


def heavy_paraphrase(text: str, rng: random.Random) -> str:
    """A reworded description: synonyms everywhere, the last clause dropped, a generic clause added."""
    parts = clauses(paraphrase(text, rng, 1.0))
    if len(parts) > 2:
        parts = parts[:-1]
    parts.insert(rng.randrange(len(parts) + 1), rng.choice(GENERIC))
    return "，".join(parts) + "。"


def clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[，；。]", text) if c]


def reorder(text: str, rng: random.Random) -> str:
    parts = clauses(text)
    rng.shuffle(parts)
    if len(parts) > 1 and parts == clauses(text):
        parts = parts[1:] + parts[:1]
    return "，".join(parts) + "。"


def abbreviate(name: str) -> str:
    short = re.sub(r"(公共服务|综合服务|综合应用|服务|建设|基础设施)", "", name)
    return short if len(short) >= 4 else name


def project(base: dict[str, Any], pid: str, **over: Any) -> dict[str, Any]:
    p = {"id": pid, "name": base["name"], "description": base["description"], "area_code": base["area"],
         "level": base["level"], "functions": "、".join(base["functions"]), "budget": base["budget"],
         "start": base["start"], "end": base["end"], "base": base["id"], "field": base["field"]}
    p.update(over)
    return p


def build() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(17)
    bases = yaml.safe_load((HERE / "bases.yaml").read_text(encoding="utf-8"))["bases"]
    projects: list[dict[str, Any]] = []
    pairs: list[dict[str, Any]] = []

    def pair(a: str, b: str, label: int, kind: str) -> None:
        pairs.append({"a": a, "b": b, "label": label, "kind": kind})

    rewrites: dict[str, dict[str, str]] = {}
    for b in bases:
        bid, area = b["id"], b["area"]
        projects.append(project(b, bid, name=SHORT[area] + b["name"] if rng.random() < 0.5 else b["name"]))
        para = project(b, f"{bid}-P", name=paraphrase(b["name"], rng), description=heavy_paraphrase(b["description"], rng),
                       budget=round(b["budget"] * rng.uniform(0.7, 1.3)))
        reo = project(b, f"{bid}-R", name=SHORT[area] + b["name"], description=reorder(b["description"], rng),
                      start=b["start"] + 1, end=b["end"] + 1)
        funcs = b["functions"][:2]
        abb = project(b, f"{bid}-A", name=abbreviate(b["name"]), description=clauses(b["description"])[0] + "等。",
                      functions="、".join(funcs), budget=round(b["budget"] * rng.uniform(0.4, 0.8)))
        city = area[:2] + "0100"
        nest = project(b, f"{bid}-N", name=paraphrase(b["name"], rng, 0.4),
                       description=paraphrase(b["description"], rng, 0.4), area_code=city, level="city",
                       budget=round(b["budget"] * rng.uniform(0.2, 0.5)))
        other = OTHER_PROVINCE[area]
        diff = project(b, f"{bid}-D", name=SHORT[other] + paraphrase(b["name"], rng, 0.3),
                       description=paraphrase(b["description"], rng, 0.3), area_code=other)
        projects += [para, reo, abb, nest, diff]
        rewrites[bid] = {"P": para["id"], "R": reo["id"], "A": abb["id"]}
        pair(bid, para["id"], 1, "paraphrase")
        pair(bid, reo["id"], 1, "reordered")
        pair(bid, abb["id"], 1, "abbreviated")
        pair(bid, nest["id"], 1, "nested")
        pair(bid, diff["id"], 0, "different_area")
        if int(bid[1:]) % 2 == 0:
            pair(para["id"], reo["id"], 1, "rewrite_pair")
    by_field: dict[str, list[str]] = {}
    for b in bases:
        by_field.setdefault(b["field"], []).append(b["id"])
    base_of = {b["id"]: b for b in bases}
    for ids in by_field.values():
        for x, y in itertools.combinations(ids, 2):
            pair(x, y, 0, "same_field")
            pair(rewrites[x]["P"], y, 0, "same_field_rewrite")
            # the same field in the same area: only the text can tell them apart
            moved = project(base_of[y], f"{y}-S{x}", area_code=base_of[x]["area"], start=base_of[x]["start"],
                            end=base_of[x]["end"])
            projects.append(moved)
            pair(x, moved["id"], 0, "same_field_same_area")
    for x, y in [("B23", "B35"), ("B27", "B32"), ("B33", "B18"), ("B06", "B38"), ("B03", "B17"), ("B15", "B37"),
                 ("B16", "B15"), ("B10", "B23"), ("B34", "B19"), ("B29", "B05"), ("B30", "B14"), ("B31", "B39"),
                 ("B26", "B12"), ("B36", "B05"), ("B22", "B19"), ("B11", "B20")]:
        pair(x, y, 0, "near_field")
    for h in yaml.safe_load((HERE / "bases.yaml").read_text(encoding="utf-8")).get("handwritten", []):
        base = base_of[h["of"]]
        projects.append(project(base, h["id"], name=h["name"], description=h["description"],
                                functions="、".join(h["functions"])))
        pair(base["id"], h["id"], h["label"], "handwritten" if h["label"] else "handwritten_same_field")
    ids = [b["id"] for b in bases]
    field = {b["id"]: b["field"] for b in bases}
    seen = {(p["a"], p["b"]) for p in pairs} | {(p["b"], p["a"]) for p in pairs}
    while sum(p["kind"] == "other_field" for p in pairs) < 30:
        x, y = rng.sample(ids, 2)
        if field[x] != field[y] and (x, y) not in seen:
            seen |= {(x, y), (y, x)}
            pair(x, y, 0, "other_field")
    return projects, pairs


def main() -> None:
    projects, pairs = build()
    cols = ["id", "name", "description", "area_code", "level", "functions", "budget", "start", "end", "base", "field"]
    with (HERE / "projects.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, cols, lineterminator="\n")
        w.writeheader()
        w.writerows(projects)
    with (HERE / "pairs.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, ["a", "b", "label", "kind"], lineterminator="\n")
        w.writeheader()
        w.writerows(pairs)
    print(f"{len(projects)} projects, {len(pairs)} pairs ({sum(p['label'] for p in pairs)} duplicates)")


if __name__ == "__main__":
    main()
