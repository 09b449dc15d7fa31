"""Area codes (GB/T 2260) of pilot areas, and the city classes behind funding caps.

planmon ships the provincial divisions (from the tile grid) and the codes of the areas named
in the built-in pilot lists; any other code is checked for its form (six digits, a known
province, a prefecture part and a county part that are not both the reserved ``00`` form
of another level). Provincial capitals and separately planned cities (计划单列市) carry the
higher reward cap of the SME pilot programme (财建〔2023〕117号).
"""

from __future__ import annotations

import re

from planmon.geo.tilegrid import TILES

#: code → name of the sub-provincial areas planmon ships (the built-in pilots' areas).
KNOWN: dict[str, str] = {
    "520100": "贵阳市", "520122": "息烽县", "520522": "黔西县", "520523": "金沙县", "520329": "余庆县",
    "320500": "苏州市", "441900": "东莞市", "330200": "宁波市", "350200": "厦门市", "340100": "合肥市",
    "420100": "武汉市", "370200": "青岛市", "360100": "南昌市", "310115": "上海市浦东新区", "350100": "福州市",
    "220100": "长春市", "210100": "沈阳市", "110113": "北京市顺义区", "120114": "天津市武清区", "130200": "唐山市",
    "140400": "长治市",
    # provincial capitals and separately planned cities
    "130100": "石家庄市", "140100": "太原市", "150100": "呼和浩特市", "230100": "哈尔滨市", "320100": "南京市",
    "330100": "杭州市", "370100": "济南市", "410100": "郑州市", "430100": "长沙市", "440100": "广州市", "450100": "南宁市",
    "460100": "海口市", "510100": "成都市", "530100": "昆明市", "540100": "拉萨市", "610100": "西安市", "620100": "兰州市",
    "630100": "西宁市", "640100": "银川市", "650100": "乌鲁木齐市", "210200": "大连市", "440300": "深圳市",
}

#: prefecture-level codes of the provincial capitals (省会城市).
PROVINCIAL_CAPITALS = frozenset({
    "130100", "140100", "150100", "210100", "220100", "230100", "320100", "330100", "340100", "350100", "360100",
    "370100", "410100", "420100", "430100", "440100", "450100", "460100", "510100", "520100", "530100", "540100",
    "610100", "620100", "630100", "640100", "650100",
})
#: the five separately planned cities (计划单列市): 大连, 青岛, 宁波, 厦门, 深圳.
SEPARATELY_PLANNED = frozenset({"210200", "370200", "330200", "350200", "440300"})

PROVINCES: dict[str, str] = {t.code: t.short_zh for t in TILES}
_CODE = re.compile(r"^\d{6}$")


def normalise_code(raw: object) -> str | None:
    """A code as six digits (Excel turns ``330000`` into 330000.0); None when empty."""
    if raw is None:
        return None
    if isinstance(raw, float):
        if raw != raw:
            return None
        if raw.is_integer():
            raw = int(raw)
    s = str(raw).strip()
    return s or None


def is_known_area(code: str) -> bool:
    """Whether ``code`` is a GB/T 2260 code planmon can place (see the module docstring)."""
    if not _CODE.match(code):
        return False
    if code in PROVINCES or code in KNOWN:
        return True
    if code[:2] + "0000" not in PROVINCES:
        return False
    return code[2:4] != "00" or code[4:] == "00"


def province_of(code: str | None) -> str | None:
    if not code or not _CODE.match(code):
        return None
    p = code[:2] + "0000"
    return p if p in PROVINCES else None


def city_class(code: str | None) -> str:
    """``provincial_capital``, ``separately_planned`` or ``other`` (decides the SME pilot's cap)."""
    if code in PROVINCIAL_CAPITALS:
        return "provincial_capital"
    if code in SEPARATELY_PLANNED:
        return "separately_planned"
    return "other"


def area_name(code: str | None) -> str:
    if not code:
        return ""
    return KNOWN.get(code) or PROVINCES.get(code, code)
