"""zh-CN and en texts.

Every text a user sees exists in both languages; zh-CN is the default. Library
code returns :class:`Message` objects (both languages at once) so that the CLI,
the web app and the reports each pick the language of their reader.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]
DEFAULT_LANG: Lang = "zh"


@dataclass(frozen=True)
class Message:
    """One message in both languages."""

    zh: str
    en: str

    def get(self, lang: Lang | str | None = None) -> str:
        return self.en if normalise_lang(lang) == "en" else self.zh

    def __str__(self) -> str:
        return self.get(current_lang())


def normalise_lang(lang: str | None) -> Lang:
    """Map ``zh-CN``, ``zh_CN``, ``en-US``… onto the two languages we ship."""
    if not lang:
        return current_lang()
    return "en" if lang.lower().startswith("en") else "zh"


def current_lang() -> Lang:
    """The language of ``PLANMON_LANG`` (declared in :mod:`planmon.settings`), zh when unset.

    Read here, not through the settings module: settings speak in :class:`Message`, so this
    module is below them and must not import them."""
    env = os.environ.get("PLANMON_LANG", "")
    return "en" if env.lower().startswith("en") else DEFAULT_LANG
