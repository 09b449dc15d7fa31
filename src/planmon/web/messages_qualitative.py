"""The web texts of the planning office's statuses for qualitative targets (issue 19), zh-CN and en;
merged into :data:`planmon.web.messages.MESSAGES` (one catalogue, one test)."""

from __future__ import annotations

QUALITATIVE_MESSAGES: dict[str, tuple[str, str]] = {
    "qual_title": ("规划办认定", "Status entered by the planning office"),
    "qual_mark": ("规划办认定", "entered by the planning office"),
    "qual_form": ("定性目标", "Qualitative target"),
    "qual_plan_words": ("规划表述", "The plan's words"),
    "qual_why": ("定性目标没有可比较的数值：其状态由规划办依据证据认定，并保留每次修订。",
                 "A qualitative target has no number to compare: the planning office enters its status with the "
                 "evidence, and every revision is kept."),
    "qual_current": ("现行认定", "Current status"),
    "qual_none": ("尚未认定：待规划办公室评定", "No status entered yet: to be entered by the office"),
    "qual_evidence": ("认定依据", "Evidence"),
    "qual_evidence_zh": ("认定依据（中文）", "Evidence (Chinese)"),
    "qual_evidence_en": ("认定依据（英文，可选）", "Evidence (English, optional)"),
    "qual_source": ("依据文件", "Document"),
    "qual_source_hint": ("发布机构、文件名称、日期", "publisher, title, date"),
    "qual_reason": ("修订原因（修订时必填）", "Reason (required for a revision)"),
    "qual_period": ("认定时期（年）", "Period (year)"),
    "qual_entered_by": ("认定人", "Entered by"),
    "qual_entered_at": ("认定时间", "Entered at"),
    "qual_revision": ("版本", "Revision"),
    "qual_history": ("认定历史（含被修订的版本）", "History (superseded revisions included)"),
    "qual_superseded": ("已被修订", "superseded"),
    "qual_current_mark": ("现行", "current"),
    "qual_enter": ("录入或修订认定", "Enter or revise the status"),
    "qual_save": ("保存认定", "Save the status"),
    "qual_refused": ("认定未保存：", "Status not saved:"),
    "qual_only_office": ("只有规划办（协调员）可以录入认定。", "Only the planning office (coordinator) may enter a status."),
}
