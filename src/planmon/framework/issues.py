"""Problems found in a framework, reported all at once with file, path and reason."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from planmon.i18n import Message
from planmon.refusal import Refusal


@dataclass(frozen=True)
class FrameworkIssue:
    """One problem: where (file, path such as ``indicators[3].target.value``) and why."""

    file: str
    path: str
    code: str
    message_zh: str
    message_en: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def format(self, lang: str = "zh") -> str:
        msg = self.message_en if lang.startswith("en") else self.message_zh
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: [{self.code}] {msg}"


class FrameworkInvalid(Refusal):
    """Raised by the loader with every problem of a framework, never only the first."""

    code = "framework_invalid"

    def __init__(self, issues: list[FrameworkIssue]) -> None:
        self.issues = issues
        super().__init__([Message(i.format("zh"), i.format("en")) for i in issues],
                         text="\n".join(i.format("en") for i in issues))
