"""How a value is stated by its source, shown the way the source states it.

A source may give an exact figure (quoted), a lower bound ("超过50万家": shown "> 50"), an
approximation ("10%左右": shown "≈ 10"), a figure quoted in a translation, or a figure we
derived. Printing "> 50万家" where the source says "more than 50", and never "50", keeps a
report honest about what is known.
"""

from __future__ import annotations

QUALITIES = ("quoted", "lower-bound", "approx", "quoted-in-translation", "derived")

LABELS: dict[str, tuple[str, str]] = {
    "quoted": ("引用原文数值", "quoted"),
    "lower-bound": ("下限（原文为“超过”）", "lower bound (source says 'more than')"),
    "approx": ("约数（原文为“左右”“约”）", "approximate (source says 'about')"),
    "quoted-in-translation": ("转引自外文报道", "quoted in translation"),
    "derived": ("推算值", "derived"),
}

_PREFIX = {"lower-bound": "> ", "approx": "≈ "}


def format_number(value: float) -> str:
    """Up to four significant decimals, no trailing zeros: 11.25, 24000, 15.9722."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text


def format_value(value: float | None, quality: str = "quoted", unit: str = "") -> str:
    """``format_value(50, "lower-bound", "万家")`` → ``"> 50万家"``; ``None`` → ``"—"``."""
    if value is None or value != value:  # NaN
        return "—"
    joiner = "" if unit in ("%", "") or not unit.isascii() else " "
    return f"{_PREFIX.get(quality, '')}{format_number(value)}{joiner}{unit}"


def quality_label(quality: str, lang: str = "zh") -> str:
    zh, en = LABELS.get(quality, (quality, quality))
    return en if lang == "en" else zh
