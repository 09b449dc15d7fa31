"""The one bilingual refusal type: every exception the library raises on purpose derives from it.

Why: the web app and the command line must show a refusal to its reader without guessing
how each engine spelt its reasons (``messages``, ``message_zh``, ``problems``, ``issues``,
``finding`` …). A :class:`Refusal` always has

* ``code`` — a stable, machine-readable text (``period_invalid``, ``index_input`` …) that an
  API client may branch on; it never changes with the wording;
* ``reasons`` — one or more :class:`~planmon.i18n.Message` (zh and en), each saying where
  and why;
* :meth:`lines` / :meth:`text` — the reasons in the reader's language, and
  :meth:`to_dict` — the JSON form (``code``, ``message_zh``, ``message_en``, ``reasons``).

It is a :class:`ValueError`, so code that caught the older per-engine errors as
``ValueError`` keeps working. Subclasses keep their own constructors and extra attributes
(a collection :class:`~planmon.collect.rules.Finding`, a framework issue list …) and call
``Refusal.__init__`` with their messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planmon.i18n import Message, normalise_lang


class Refusal(ValueError):
    """Input, a request or a computation the library refuses, with a stable code and zh/en reasons."""

    #: the stable code of a class (each subclass declares its own); an instance may carry a more precise one
    code: str = "refused"

    def __init__(self, reasons: Message | Sequence[Message] = (), *, code: str | None = None,
                 text: str | None = None) -> None:
        self.reasons: list[Message] = [reasons] if isinstance(reasons, Message) else list(reasons)
        if code:
            self.code = code
        super().__init__(text if text is not None else "; ".join(m.en for m in self.reasons) or self.code)

    @classmethod
    def of(cls, zh: str, en: str, *, code: str | None = None) -> Refusal:
        """One reason in both languages: ``raise Refusal.of("…", "…", code="…")``."""
        return cls(Message(zh, en), code=code)

    def lines(self, lang: str | None = "zh") -> list[str]:
        """Each reason in the reader's language."""
        return [m.get(normalise_lang(lang)) for m in self.reasons]

    def text(self, lang: str | None = "zh") -> str:
        """All reasons on one line (``；`` in Chinese, ``; `` in English) for a one-line error."""
        sep = "; " if normalise_lang(lang) == "en" else "；"
        return sep.join(self.lines(lang))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form an API returns: code, both languages, and every reason apart."""
        return {"code": self.code, "message_zh": self.text("zh"), "message_en": self.text("en"),
                "reasons": [{"zh": m.zh, "en": m.en} for m in self.reasons]}


def refusal_of(exc: BaseException) -> Refusal | None:
    """``exc`` if it is a refusal (or was raised from one), else None: faces use it to tell a
    reasoned refusal (shown to the reader) from a bug (logged, shown as an internal error)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, Refusal):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None
