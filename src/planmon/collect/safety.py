"""Refuse hostile files before any parser sees them.

An upload is refused (rule ``file_refused``, exit code 1) when it is larger than
the size limit (20 MB by default, ``PLANMON_MAX_UPLOAD_MB``), when an XLSX would
inflate beyond the uncompressed limit (a zip bomb: decided from the zip's central
directory, so in milliseconds and without inflating anything), when it is a
macro-enabled workbook (.xlsm, or any workbook carrying ``vbaProject.bin``), or
when its XML declares a DTD or entities (the billion-laughs family). Parsing then
goes through defusedxml (openpyxl uses it when installed) as a second line.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from planmon import settings
from planmon.collect.rules import Finding
from planmon.i18n import Message
from planmon.refusal import Refusal

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
DEFAULT_MAX_UNCOMPRESSED = 200 * MB
MAX_RATIO = 200  # a real workbook compresses 5-20×; a bomb 1000× and more
EXCEL_EXTS = {".xlsx", ".xlsm", ".xltm", ".xlsb", ".xls", ".xltx"}


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED

    @classmethod
    def from_env(cls) -> Limits:
        """The limits of ``PLANMON_MAX_UPLOAD_MB`` / ``PLANMON_MAX_UNCOMPRESSED_MB`` (:mod:`planmon.settings`)."""
        return cls(max_bytes=settings.max_upload_bytes(), max_uncompressed=settings.max_uncompressed_bytes())


class Refused(Refusal):
    """A file refused before reading; carries its finding."""

    code = "file_refused"

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        super().__init__(Message(f"{finding.where('zh')}：{finding.message_zh}",
                                 f"{finding.where('en')}: {finding.message_en}"),
                         code=finding.rule, text=finding.message_en)


def _refuse(path: Path, zh: str, en: str, rule: str = "file_refused") -> Refused:
    return Refused(Finding(path.name, "", None, "", "", "", rule, zh, en))


def check_file(path: Path, limits: Limits | None = None) -> None:
    """Raise :class:`Refused` when ``path`` must not be parsed."""
    limits = limits or Limits.from_env()
    if not path.is_file():
        raise _refuse(path, f"找不到文件 {path.name}", f"file not found: {path.name}", "unreadable")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise _refuse(
            path,
            f"文件大小 {size / MB:.1f} MB 超过上限 {limits.max_bytes / MB:.0f} MB",
            f"file size {size / MB:.1f} MB exceeds the limit of {limits.max_bytes / MB:.0f} MB",
        )
    ext = path.suffix.lower()
    if ext in {".xlsm", ".xltm", ".xlsb"}:
        raise _refuse(path, "拒收启用宏的工作簿（.xlsm/.xlsb）：请另存为 .xlsx 后上传",
                      "macro-enabled workbooks (.xlsm/.xlsb) are refused: save as .xlsx and upload again")
    if ext == ".xls":
        raise _refuse(path, "不支持旧版 .xls 格式：请另存为 .xlsx", "the old .xls format is not supported: save as .xlsx")
    if ext in EXCEL_EXTS or zipfile.is_zipfile(path):
        check_zip(path, limits)


def check_zip(path: Path, limits: Limits) -> None:
    """Check an XLSX container from its central directory alone (nothing is inflated here)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            names = {i.filename.lower() for i in infos}
            if total > limits.max_uncompressed or (total > 10 * MB and total / packed > MAX_RATIO):
                raise _refuse(
                    path,
                    f"解压后大小 {total / MB:.0f} MB 超过上限 {limits.max_uncompressed / MB:.0f} MB"
                    f"（压缩比 {total / packed:.0f}），疑为压缩炸弹，拒收",
                    f"uncompressed size {total / MB:.0f} MB exceeds the limit of "
                    f"{limits.max_uncompressed / MB:.0f} MB (ratio {total / packed:.0f}): "
                    "refused as a possible zip bomb",
                )
            if any(n.endswith("vbaproject.bin") for n in names):
                raise _refuse(path, "工作簿含有宏（vbaProject.bin），拒收：请另存为不含宏的 .xlsx",
                              "the workbook contains macros (vbaProject.bin) and is refused: save it as .xlsx without macros")
            if "[content_types].xml" not in names:
                raise _refuse(path, "不是有效的 Excel .xlsx 文件", "not a valid Excel .xlsx file", "unreadable")
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")):
                    with zf.open(info) as fh:
                        head = fh.read(4096)
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        raise _refuse(path, f"工作簿内 {info.filename} 含有 DTD/实体声明，拒收",
                                      f"{info.filename} inside the workbook declares a DTD or entities: refused")
    except zipfile.BadZipFile:
        raise _refuse(path, "不是有效的 Excel .xlsx 文件（压缩包损坏）",
                      "not a valid Excel .xlsx file (broken zip container)", "unreadable") from None
