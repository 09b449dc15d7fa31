"""Chinese text of project names and descriptions: normalisation, segmentation (jieba), key phrases.

Segmentation is jieba's (a maintained dictionary-based segmenter), with the domain terms of the
informatization field added to its dictionary so that 一网通办, 政务服务, 大数据中心 stay whole.
Stop words (建设, 推进, 提升 … the verbs every project description uses) carry no evidence of
duplication and are dropped from the word features and from the shared key phrases.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache

import jieba

DOMAIN_TERMS = (
    "一网通办", "一网统管", "一网协同", "政务服务", "数据共享", "大数据中心", "算力", "物联网", "区块链", "工业互联网",
    "数字乡村", "智慧养老", "智慧城市", "智慧应急", "智慧公安", "数字孪生", "人工智能", "云平台", "政务云", "城市大脑",
    "电子证照", "好差评", "12345", "双碳", "碳排放", "公共数据", "数据要素", "数据交易", "信用信息", "医保", "电子病历",
    "互联网医院", "健康码", "网格化", "雪亮工程", "5G", "IPv6", "北斗", "卫星互联网", "千兆光网", "数字人民币",
)
STOP_WORDS = frozenset("""
建设 推进 推动 提升 提高 加快 加强 实现 开展 完善 打造 构建 形成 建立 健全 支撑 支持 服务 项目 工程 系统 平台 一期 二期
提供 全面 进一步 有效 重点 相关 各类 主要 以及 通过 围绕 面向 依托 基于 包括 等 和 与 及 的 了 在 对 为 是 将 并 其 该 本 个 年 万元
能力 水平 体系 应用 工作 领域 方面 全省 全市 全县 全区 全国 省级 市级 县级 统一 一体化
""".split())  # noqa: SIM905
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_lock = threading.Lock()
_ready = False


def _init() -> None:
    global _ready
    if _ready:
        return
    with _lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            for w in DOMAIN_TERMS:
                jieba.add_word(w, freq=200000)
            jieba.initialize()
            _ready = True


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), lower case, collapsed spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().lower()


def words(text: str) -> list[str]:
    """jieba words of ``text`` without punctuation, single characters and stop words."""
    _init()
    out = []
    for w in jieba.lcut(normalise(text)):
        w = w.strip()
        if len(w) < 2 or w in STOP_WORDS or _PUNCT.fullmatch(w):
            continue
        out.append(w)
    return out


def char_grams(text: str, n: int = 2) -> list[str]:
    """Character n-grams inside runs of letters (punctuation breaks a run): robust to abbreviation."""
    out: list[str] = []
    for run in _PUNCT.split(normalise(text)):
        out.extend(run[i:i + n] for i in range(len(run) - n + 1))
    return out


def features(text: str) -> list[str]:
    """The features of the TF-IDF index: jieba words (``w:``) and character bigrams (``c:``)."""
    return [f"w:{w}" for w in words(text)] + [f"c:{g}" for g in char_grams(text)]


@lru_cache(maxsize=4096)
def word_set(text: str) -> frozenset[str]:
    return frozenset(words(text))


def highlight(text: str, phrases: list[str] | tuple[str, ...]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, shared) so a page or report can mark the shared phrases without raw HTML."""
    if not text or not phrases:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)), re.IGNORECASE)
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out
