"""Rough sizes of the 31 provincial-level divisions, written down from general knowledge.

These weights only make the illustrative data set look plausible (a large
province reports more internet users than a small one; a richer one a higher
digital-economy share). They are round figures, not statistics, and nothing
else in planmon may use them as facts.

``pop`` is the resident population in millions (about 2020, rounded);
``dev`` the level of development relative to the nation (about GDP per head / national GDP per head).
"""

from __future__ import annotations

from typing import Final

# code: (pop in millions, relative development level)
PROVINCE_SIZES: Final[dict[str, tuple[float, float]]] = {
    "110000": (21.9, 2.3),   # 北京
    "120000": (13.9, 1.4),   # 天津
    "130000": (74.6, 0.66),  # 河北
    "140000": (34.9, 0.70),  # 山西
    "150000": (24.0, 1.00),  # 内蒙古
    "210000": (42.6, 0.82),  # 辽宁
    "220000": (24.1, 0.68),  # 吉林
    "230000": (31.9, 0.60),  # 黑龙江
    "310000": (24.9, 2.2),   # 上海
    "320000": (84.7, 1.7),   # 江苏
    "330000": (64.6, 1.4),   # 浙江
    "340000": (61.0, 0.90),  # 安徽
    "350000": (41.5, 1.6),   # 福建
    "360000": (45.2, 0.80),  # 江西
    "370000": (101.5, 1.0),  # 山东
    "410000": (99.4, 0.75),  # 河南
    "420000": (57.8, 1.1),   # 湖北
    "430000": (66.4, 0.85),  # 湖南
    "440000": (126.0, 1.3),  # 广东
    "450000": (50.1, 0.60),  # 广西
    "460000": (10.1, 0.80),  # 海南
    "500000": (32.1, 1.1),   # 重庆
    "510000": (83.7, 0.80),  # 四川
    "520000": (38.6, 0.65),  # 贵州
    "530000": (47.2, 0.80),  # 云南
    "540000": (3.6, 0.70),   # 西藏
    "610000": (39.5, 0.95),  # 陕西
    "620000": (25.0, 0.55),  # 甘肃
    "630000": (5.9, 0.75),   # 青海
    "640000": (7.2, 0.80),   # 宁夏
    "650000": (25.9, 0.80),  # 新疆
}
