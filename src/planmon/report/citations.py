"""Citations fit to print: the publisher and the document, never the compiler's working note.

Why: the built-in plan's sources were copied from the reference tables, whose ``source``
column is a working note — the mirror site an article was found on, raw-IP addresses,
``NOTE:``/``PROXY:``/``DERIVED:`` remarks, "search index gave no URL", counts used for
checking. A published report cites who published what ("CNNIC, 第47次《中国互联网络发展
状况统计报告》"); the note stays in the database, where the command line's ``history``
and the exports still show it whole.
"""

from __future__ import annotations

import re

_URL = re.compile(r"(?:https?://|www\.)\S+")
_MARKER = re.compile(r"^(?:(?:APPROX|NOTE|PROXY|ESTIMATE)\b(?:\s*\([^)]*\))?\s*:?|[A-Z]{4,}:)\s*")
_BRACKETS = re.compile(r"\[[^\]]*\]")
#: A parenthesis that is part of a document's title: (2023年), (2014-2024年).
_TITLE_PAREN = re.compile(r"\(\d{4}(?:-\d{4})?年\)")
_PAREN = re.compile(r"\s*\(([^()]*)\)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CNNIC = re.compile(r"CNNIC (\d+)(st|nd|rd|th) report")
_MIIT = re.compile(r"MIIT (\d{4})通信业统计公报")

#: How the compiler's remarks begin (lower case English): never a publisher.
_NOTE_OPENINGS = ("also ", "count ", "article ", "same ", "consistent ", "a secondary", "search ", "definition ",
                  "lists ", "news summary", "mid-year", "partial", "rounded")
DERIVED = ("编制方据公开数据推算", "derived by the compiler from published figures")
UNNAMED = ("公开报道", "published reports")


def _document(text: str, lang: str) -> str:
    """Known document families named as their publishers name them."""
    en = lang == "en"
    text = _CNNIC.sub(lambda m: (f"CNNIC, {m.group(1)}{m.group(2)} Statistical Report on China's Internet Development" if en
                                 else f"中国互联网络信息中心（CNNIC）第{m.group(1)}次《中国互联网络发展状况统计报告》"),
                      text)
    text = _MIIT.sub(lambda m: (f"MIIT, Statistical Bulletin of the Communications Industry {m.group(1)}" if en
                                else f"工业和信息化部《{m.group(1)}年通信业统计公报》"), text)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    text = re.sub(r"MIIT Jan-(\w{3}) (\d{4})(?: data)?",
                  lambda m: (f"MIIT, communications industry data for January–{m.group(1)} {m.group(2)}" if en else
                             f"工业和信息化部 {m.group(2)}年1—{months.index(m.group(1)) + 1}月通信业运行数据"), text)
    text = re.sub(r"(\S+) at 国新办 (\d{4}-\d{2}-\d{2})",
                  lambda m: (f"{m.group(1)}, State Council Information Office press conference, {m.group(2)}" if en
                             else f"{m.group(1)}（国务院新闻办公室新闻发布会，{m.group(2)}）"), text)
    text = re.sub(r"国家统计局 (\d{4}) 社零 release",
                  lambda m: (f"National Bureau of Statistics, retail sales release {m.group(1)}" if en else
                             f"国家统计局 {m.group(1)}年社会消费品零售总额数据发布"), text)
    return text


def _clean_part(part: str) -> tuple[str, bool]:
    """One ';'-separated piece of a working note → (citation or '', whether it was a derivation)."""
    part = part.strip()
    derived = part.startswith("DERIVED")
    if derived:
        return "", True
    part = _MARKER.sub("", part)          # APPROX ('10%左右') …, NOTE: …
    bare = _URL.sub("", part).strip()
    if not bare or (bare.lower() + " ").startswith(_NOTE_OPENINGS):   # "also …", "count …", "article says …"
        return "", False
    part = _BRACKETS.sub("", part)        # [mid-year], [rounded], [mirror site]
    outlet = ""
    for cut in (" via ", " quoted in ", " per "):
        if cut in part:
            part = part.split(cut, 1)[0]
    # keep parentheses that belong to a title; an outlet in parentheses after a bare address is the citation
    titles = {m.group(0): f"\x00{i}\x00" for i, m in enumerate(_TITLE_PAREN.finditer(part))}
    for k, v in titles.items():
        part = part.replace(k, v)
    for m in _PAREN.finditer(part):
        inner = m.group(1).split(";")[0].strip()
        if not outlet and _CJK.search(inner) and not _URL.search(inner) and len(inner) <= 20:
            outlet = inner
    part = _PAREN.sub("", part)
    for k, v in titles.items():
        part = part.replace(v, k)
    part = _URL.sub("", part)
    part = re.sub(r"'(?=“)|(?<=[\u4e00-\u9fff”])'", "", part)   # the note's quotes around a Chinese title
    part = " ".join(part.split()).strip(" ,;:")
    if not part:
        part = outlet
    if "NOT" in part or "verified" in part.lower() or not part:
        return "", False
    return part, False


def _split(text: str) -> list[str]:
    """Split at ';' outside parentheses and brackets."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "(["
        depth -= ch in ")]" and depth > 0
        if ch == ";" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [*out, cur]


def citation(source: str | None, lang: str = "zh") -> str:
    """The publisher and document of a source note ('' when there is no source at all)."""
    if not source or not source.strip():
        return ""
    parts: list[str] = []
    if not _URL.search(source) and not _MARKER.match(source) and ";" not in source and "[" not in source:
        return _document(source.strip(), lang)   # already a citation (a reporting unit's own source, the demo's)
    if source.lstrip().startswith("DERIVED"):  # the whole note is a derivation: its sources are inputs, not the value's
        return DERIVED[1] if lang == "en" else DERIVED[0]
    derived = False
    for piece in _split(source):
        text, was_derived = _clean_part(piece)
        derived = derived or was_derived
        if text:
            text = _document(text, lang)
            if text not in parts:
                parts.append(text)
    if not parts:
        pair = DERIVED if derived else UNNAMED
        return pair[1] if lang == "en" else pair[0]
    sep = "; " if lang == "en" else "；"
    return sep.join(parts)


def working_note_free(text: str | None) -> str:
    """A note for print: '' when it is a compiler's remark (a ``NOTE:``-style marker or English working text)."""
    if not text:
        return ""
    if re.search(r"[A-Z]{4,}:", text) or _URL.search(text) or "NOT FOUND" in text:
        return ""
    return text
