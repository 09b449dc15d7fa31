"""The one error type of the index engine: a bilingual message that names where and why."""

from __future__ import annotations

from planmon.i18n import Message
from planmon.refusal import Refusal


class IndexInputError(Refusal):
    """Bad input or an impossible computation (e.g. a geometric mean over zero).

    Carries every problem found as :class:`Message` objects so the CLI can print them
    in the reader's language; ``str()`` gives both languages.
    """

    default_code = "index_input"

    def __init__(self, messages: list[Message] | Message) -> None:
        self.messages = [messages] if isinstance(messages, Message) else list(messages)
        super().__init__(self.messages, text="\n".join(f"{m.zh} / {m.en}" for m in self.messages))

    def format(self, lang: str = "zh") -> list[str]:
        return [m.get(lang) for m in self.messages]


def fail(zh: str, en: str) -> IndexInputError:
    """Shorthand: ``raise fail("…", "…")``."""
    return IndexInputError(Message(zh, en))
