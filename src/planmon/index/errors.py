"""The error types of the index engine: bilingual messages that name where and why.

:class:`IndexInputError` carries every problem found. A spec problem is a
:class:`SpecIssue` with the path of the offending key (``weights.1.shfit``) and a
stable code (``unknown_key``, ``unknown_method``, ``bad_value``…), so tests and tools
can check exactly which problems a spec has, not only the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from planmon.i18n import Message
from planmon.refusal import Refusal


class IndexInputError(Refusal):
    """Bad input or an impossible computation (e.g. a geometric mean over zero).

    Carries every problem found as :class:`Message` objects so the CLI can print them
    in the reader's language; ``str()`` gives both languages.
    """

    code = "index_input"

    def __init__(self, messages: list[Message] | Message) -> None:
        self.messages = [messages] if isinstance(messages, Message) else list(messages)
        super().__init__(self.messages, text="\n".join(f"{m.zh} / {m.en}" for m in self.messages))

    def format(self, lang: str = "zh") -> list[str]:
        return [m.get(lang) for m in self.messages]


@dataclass(frozen=True)
class SpecIssue:
    """One problem of a spec: where (dotted path, list items as ``[i]``), what (code), and why (message)."""

    path: str
    code: str
    message: Message


class SpecError(IndexInputError):
    """A spec that cannot run as written: every :class:`SpecIssue` found, reported together."""

    code = "spec_invalid"

    def __init__(self, issues: list[SpecIssue]) -> None:
        self.issues = list(issues)
        super().__init__([i.message for i in self.issues])


def fail(zh: str, en: str) -> IndexInputError:
    """Shorthand: ``raise fail("…", "…")``."""
    return IndexInputError(Message(zh, en))
