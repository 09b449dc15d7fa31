"""Every ``PLANMON_*`` environment variable, declared once with its default and its help.

Why one place: settings read ad hoc (``os.environ.get("PLANMON_…", "…")`` in five modules)
had two different upload ceilings (20 MB for the command line, 10 MB for the web) and no list
an administrator could read. Each setting here is read when asked for (so a test or a running
server sees a changed environment), parsed by one rule, and refused with a bilingual
:class:`SettingInvalid` naming the variable when its value cannot be used.
``docs/settings.md`` is generated from :data:`SETTINGS` (``python -m planmon.settings``), and a
test checks that every ``PLANMON_*`` name in the code is declared here and documented there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from planmon.i18n import Message, current_lang
from planmon.refusal import Refusal

MB = 1024 * 1024


class SettingInvalid(Refusal):
    """An environment variable whose value cannot be used."""

    code = "setting_invalid"


@dataclass(frozen=True)
class Setting:
    """One environment variable: name, default (as it would be written), help in zh and en."""

    name: str
    default: str
    help_zh: str
    help_en: str
    group: str = "library"  # library | web | test
    choices: tuple[str, ...] = ()

    def raw(self) -> str:
        """The value as set (empty text counts as unset), else the default."""
        return os.environ.get(self.name) or self.default

    def text(self) -> str:
        v = self.raw()
        if self.choices and v not in self.choices:
            raise self._invalid(v, " | ".join(self.choices))
        return v

    def number(self) -> float:
        v = self.raw()
        try:
            x = float(v)
        except ValueError:
            raise self._invalid(v, "a number") from None
        if not x >= 0:
            raise self._invalid(v, "a number ≥ 0")
        return x

    def integer(self) -> int:
        v = self.raw()
        try:
            return int(v)
        except ValueError:
            raise self._invalid(v, "a whole number") from None

    def _invalid(self, value: str, expected: str) -> SettingInvalid:
        return SettingInvalid(Message(f"环境变量 {self.name} 的值“{value}”无效：应为 {expected}",
                                      f"environment variable {self.name}: '{value}' is not valid; expected {expected}"))


_ALL = [
    Setting("PLANMON_DB", "./planmon.db",
            "数据库：PostgreSQL 地址（postgresql://…）或 SQLite 文件路径",
            "the database: a PostgreSQL URL (postgresql://…) or an SQLite file path"),
    Setting("PLANMON_LANG", "zh", "界面与输出语言：zh（默认）或 en", "language of output: zh (default) or en",
            choices=("zh", "zh-CN", "zh_CN", "en", "en-US", "en_US", "en-GB")),
    Setting("PLANMON_ACTOR", "", "命令行操作人（记入审计日志；默认为系统用户名）",
            "who acts on the command line, for the audit log (default: the login name)"),
    Setting("PLANMON_MAX_UPLOAD_MB", "20",
            "单个上传文件的大小上限（MB）：命令行导入、网页上传、证明材料共用这一个上限",
            "size limit of one uploaded file in MB: the one ceiling of command-line imports, web uploads "
            "and evidence files"),
    Setting("PLANMON_MAX_UNCOMPRESSED_MB", "200", "XLSX 解压后的大小上限（MB，防压缩炸弹）",
            "limit of an XLSX's uncompressed size in MB (zip-bomb guard)"),
    Setting("PLANMON_REPORTING_FREQUENCY", "quarterly", "进展情况报告的报送频率：annual、quarterly 或 monthly",
            "how often lead units report progress: annual, quarterly or monthly",
            choices=("annual", "quarterly", "monthly")),
    Setting("PLANMON_REPORTING_GRACE_DAYS", "15", "期末后报送进展报告的宽限天数",
            "days after a period ends within which its progress report is on time"),
    Setting("PLANMON_REPORTING_START", "", "首个应报期别（如 2022Q1；默认为规划的第一期）",
            "first period a progress report is owed for (e.g. 2022Q1; default the plan's first period)"),
    Setting("PLANMON_PLAN", "", "命令行默认的规划（框架编号）；默认为当日适用的规划",
            "the plan (framework id) the command line works on; default: the plan current at today's date"),
    Setting("PLANMON_DEBUG", "", "设为 1 时命令行出错显示完整回溯（同 --debug）",
            "1: the command line shows the full traceback of an error (as --debug)"),
    Setting("PLANMON_STRICT_LABELS", "", "设为 1 时输出遇到词表中没有的代码即报错（测试用）",
            "1: a face fails on a code the vocabulary catalogue lacks (for tests)", group="test"),
    Setting("PLANMON_REPORTS_DIR", "planmon-reports", "网页生成的报告文件存放目录",
            "folder where the web app writes the reports it generates", group="web"),
    Setting("PLANMON_TEST_PG", "", "测试用 PostgreSQL 地址（scripts/test.sh 启动并设置）",
            "PostgreSQL URL for the tests (scripts/test.sh starts the server and sets it)", group="test"),
    Setting("PLANMON_TEST_PG_PORT", "55432", "scripts/services.sh 启动测试用 PostgreSQL 的端口",
            "port on which scripts/services.sh starts the tests' PostgreSQL", group="test"),
    Setting("PLANMON_SCREENSHOTS", "", "浏览器测试保存截图的目录（默认临时目录）",
            "folder for the browser tests' screenshots (default a temporary folder)", group="test"),
]

#: every setting by name
SETTINGS: dict[str, Setting] = {s.name: s for s in _ALL}


def get(name: str) -> Setting:
    return SETTINGS[name]


def db_url() -> str | None:
    """``PLANMON_DB`` when set (the store turns a bare path into a URL), else None."""
    return os.environ.get("PLANMON_DB") or None


def lang() -> str:
    """``PLANMON_LANG`` as zh or en (read by :func:`planmon.i18n.current_lang`, which settings depend on)."""
    return current_lang()


def max_upload_bytes() -> int:
    """The one upload ceiling (``PLANMON_MAX_UPLOAD_MB``) in bytes."""
    return int(SETTINGS["PLANMON_MAX_UPLOAD_MB"].number() * MB)


def max_uncompressed_bytes() -> int:
    return int(SETTINGS["PLANMON_MAX_UNCOMPRESSED_MB"].number() * MB)


def reports_dir() -> Path:
    return Path(SETTINGS["PLANMON_REPORTS_DIR"].raw())


def flag(name: str) -> bool:
    """A yes/no setting: 1, true or yes."""
    return SETTINGS[name].raw().strip().lower() in ("1", "true", "yes")


def markdown() -> str:
    """The settings as the Markdown table of ``docs/settings.md``."""
    head = ["# Settings (环境变量)", "",
            "Generated from `planmon.settings` (`python -m planmon.settings > docs/settings.md`); do not edit by hand.",
            "An empty value counts as unset.", ""]
    rows = ["| variable | default | scope | 说明 | meaning |", "|---|---|---|---|---|"]
    for s in _ALL:
        default = f"`{s.default}`" if s.default else "—"
        rows.append(f"| `{s.name}` | {default} | {s.group} | {s.help_zh} | {s.help_en} |")
    return "\n".join(head + rows) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
