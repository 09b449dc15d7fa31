"""The CJK font that ships with planmon (Noto Sans SC, SIL Open Font License 1.1), and its subsets.

Why subsets: the HTML report must look the same on a machine without a Chinese
font and must not fetch one; the whole font is 8 MB, but the few hundred
characters a report uses make a ~100 KB subset, built in about a second and
embedded in the page. The subset keeps the font's own timestamps, so the same
text gives the same bytes.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from planmon.plotting import FONT_FAMILY, cjk_font_path

__all__ = ["BASE_CHARS", "EMBEDDED_FAMILY", "FONT_FAMILY", "cjk_font_path", "font_face_css", "subset"]

EMBEDDED_FAMILY = "planmon-cjk"
# Always in the subset: what numbers, units and chart axes need even when this report does not.
BASE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "—–·•，。、；：？！“”‘’（）《》【】％℃±×÷年月日第季度万亿元件户项"


@lru_cache(maxsize=8)
def subset(chars: str) -> bytes:
    """An OpenType subset of the CJK font holding ``chars`` (and :data:`BASE_CHARS`)."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    opts = ft_subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence records (OFL)
    opts.notdef_outline = True
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG"]
    font = TTFont(str(cjk_font_path()), lazy=True, recalcTimestamp=False)
    sub = ft_subset.Subsetter(opts)
    sub.populate(text="".join(sorted(set(chars) | set(BASE_CHARS))))
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def font_face_css(text: str) -> str:
    """A CSS @font-face rule embedding the subset for ``text`` as a data: URL."""
    data = base64.b64encode(subset("".join(sorted(set(text))))).decode("ascii")
    return (f'@font-face {{ font-family: "{EMBEDDED_FAMILY}"; '
            f'src: url(data:font/otf;base64,{data}) format("opentype"); }}')
