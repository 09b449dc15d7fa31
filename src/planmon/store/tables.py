"""The database tables (SQLAlchemy Core). The schema is changed only by Alembic migrations
in :mod:`planmon.store.migrations`; this module must describe the head revision.

Observations and progress reports are append-only: a correction is a new row with
the next revision number, so the history of every value stays readable.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

frameworks = Table(
    "frameworks",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("version", String(50), nullable=False),
    Column("title_zh", Text, nullable=False),
    Column("title_en", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("content", JSON, nullable=False),
    Column("synced_at", DateTime(timezone=True), nullable=False),
)

framework_versions = Table(
    # every version of a framework ever synced, with its content and changelog: the history of the plan itself
    "framework_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), nullable=False),
    Column("version", String(50), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("content", JSON, nullable=False),
    Column("synced_at", DateTime(timezone=True), nullable=False),
    Column("synced_by", String(100), nullable=False, default=""),
)

plan_items = Table(
    "plan_items",
    metadata,
    Column("framework_id", String(100), ForeignKey("frameworks.id"), primary_key=True),
    Column("id", String(50), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("parent_id", String(50)),
    Column("title_zh", Text, nullable=False),
    Column("title_en", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("inferred", Boolean, nullable=False, default=False),
)

milestones = Table(
    "milestones",
    metadata,
    Column("framework_id", String(100), ForeignKey("frameworks.id"), primary_key=True),
    Column("id", String(80), primary_key=True),
    Column("item_id", String(50), nullable=False),
    Column("due", String(10), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("text_zh", Text, nullable=False),
    Column("text_en", Text, nullable=False),
    Column("to_be_filled", Boolean, nullable=False, default=False),
)

units = Table(
    "units",
    metadata,
    Column("id", String(50), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("code", String(12)),
    Column("name_zh", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("short_zh", Text, nullable=False, default=""),
    Column("parent_id", String(50)),
    Column("level", String(20)),
    Column("inferred", Boolean, nullable=False, default=False),
)

indicators = Table(
    "indicators",
    metadata,
    Column("framework_id", String(100), ForeignKey("frameworks.id"), primary_key=True),
    Column("id", String(50), primary_key=True),
    Column("name_zh", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("unit", String(50), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("attribute", String(10), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("frequency", String(10), nullable=False),
    Column("position", Integer, nullable=False),
    Column("data", JSON, nullable=False),
)

responsibilities = Table(
    "responsibilities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), ForeignKey("frameworks.id"), nullable=False),
    Column("item_id", String(50), nullable=False),
    Column("unit_id", String(50), nullable=False),
    Column("role", String(20), nullable=False),
    Column("inferred", Boolean, nullable=False, default=False),
    Column("origin", String(20), nullable=False, default="framework"),
    UniqueConstraint("framework_id", "item_id", "unit_id", name="uq_responsibilities_key"),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), nullable=False),
    Column("indicator_id", String(50), nullable=False),
    Column("unit_id", String(50), nullable=False),
    Column("period", String(10), nullable=False),
    Column("period_time", Float, nullable=False),
    Column("value", Float, nullable=False),
    Column("status", String(20), nullable=False, default="final"),
    Column("source", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("proxy", Boolean, nullable=False, default=False),
    Column("revision", Integer, nullable=False),
    Column("quality", String(24), nullable=False, default="quoted", server_default="quoted"),
    # accepted: current when latest; pending: in a submission awaiting review; returned: refused
    Column("state", String(20), nullable=False, default="accepted"),
    Column("submission_id", Integer),
    Column("reason", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    UniqueConstraint("framework_id", "indicator_id", "unit_id", "period", "revision", name="uq_observations_key"),
)
Index("ix_observations_series", observations.c.framework_id, observations.c.indicator_id, observations.c.unit_id)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(50), nullable=False),
    Column("entity", String(50), nullable=False),
    Column("entity_id", String(200), nullable=False, default=""),
    Column("before", JSON),
    Column("after", JSON),
    Column("detail", Text, nullable=False, default=""),
)
Index("ix_audit_events_entity", audit_events.c.entity, audit_events.c.entity_id)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("display_name", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# ---- revision 0002: the workflow tables -----------------------------------------------

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), nullable=False),
    Column("unit_id", String(50)),
    Column("period", String(10)),
    Column("state", String(20), nullable=False),  # draft | submitted | accepted | returned
    Column("source_kind", String(20), nullable=False),  # xlsx | csv | json | form | api | builtin
    Column("filename", Text, nullable=False, default=""),
    Column("file_sha256", String(64), nullable=False, default=""),
    Column("rows", Integer, nullable=False, default=0),
    Column("report", JSON),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("reviewed_by", String(100)),
    Column("comment", Text, nullable=False, default=""),
)

progress_reports = Table(
    "progress_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), nullable=False),
    Column("item_id", String(50), nullable=False),
    Column("unit_id", String(50), nullable=False),
    Column("period", String(10), nullable=False),
    Column("status", String(20), nullable=False),  # not_started | on_schedule | delayed | done
    Column("share_done", Float),
    Column("narrative", Text, nullable=False, default=""),
    Column("revision", Integer, nullable=False),
    Column("reported_on", String(10), nullable=False),  # ISO date the report was made
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    UniqueConstraint("framework_id", "item_id", "unit_id", "period", "revision", name="uq_progress_reports_key"),
)

evidence_files = Table(
    "evidence_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("progress_report_id", Integer, ForeignKey("progress_reports.id"), nullable=False),
    Column("filename", Text, nullable=False),
    Column("media_type", String(100), nullable=False, default="application/octet-stream"),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", String(100), nullable=False, default=""),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked", Boolean, nullable=False, default=False),
)

results = Table(
    "results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(30), nullable=False),  # assessment | index | report
    Column("framework_id", String(100), nullable=False),
    Column("spec_hash", String(64), nullable=False),
    Column("data_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("payload", JSON, nullable=False),
)

# ---- revision 0003_web (branch web): settings and dashboard indexes ----------------------

settings = Table(
    "settings",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index(
    "ix_observations_current", observations.c.framework_id, observations.c.indicator_id, observations.c.state,
    observations.c.unit_id, observations.c.period, observations.c.revision,
)
Index("ix_submissions_unit_state", submissions.c.unit_id, submissions.c.state)
Index("ix_api_tokens_user", api_tokens.c.user_id)

# ---- revision 0004_regional12: denominators and targets per unit -------------------------

denominators = Table(
    "denominators",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(50), nullable=False),  # population | households | gdp | retail_sales | enterprises | …
    Column("unit_id", String(50), nullable=False),
    Column("period", String(10), nullable=False),
    Column("period_time", Float, nullable=False),
    Column("value", Float, nullable=False),
    Column("measure_unit", String(50), nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("revision", Integer, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    UniqueConstraint("name", "unit_id", "period", "revision", name="uq_denominators_key"),
)
Index("ix_denominators_series", denominators.c.name, denominators.c.unit_id)

unit_targets = Table(
    "unit_targets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), nullable=False),
    Column("indicator_id", String(50), nullable=False),
    Column("unit_id", String(50), nullable=False),
    Column("target_period", String(10), nullable=False),
    Column("value", Float),  # empty on a basis declaration
    Column("kind", String(20), nullable=False),  # own_plan | decomposed | national_target | national_pace | none
    Column("baseline_period", String(10)),
    Column("baseline_value", Float),
    Column("source", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("illustrative", Boolean, nullable=False, default=False),
    Column("revision", Integer, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    UniqueConstraint("framework_id", "indicator_id", "unit_id", "target_period", "revision",
                     name="uq_unit_targets_key"),
)
Index("ix_unit_targets_series", unit_targets.c.framework_id, unit_targets.c.indicator_id, unit_targets.c.unit_id)

# ---- revision 0006_integ11_sessions: server-side web sessions ----------------------------

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),  # SHA-256 of the random session id in the cookie
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("client", String(100), nullable=False, default=""),
)
Index("ix_web_sessions_user", web_sessions.c.user_id)

# ---- revision 0008_qual19: statuses the planning office enters for qualitative targets (issue 19) ----

qualitative_statuses = Table(
    # append-only: a revision is a new row with the next number and its reason; the latest row is current
    "qualitative_statuses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework_id", String(100), nullable=False),
    Column("indicator_id", String(50), nullable=False),
    Column("unit_id", String(50), nullable=False),
    Column("period", String(10), nullable=False),  # the as-of period the status is entered for (2023)
    Column("scheme", String(20), nullable=False),  # the status scheme whose terms the status uses (ndrc)
    Column("status", String(30), nullable=False),  # a status code of that scheme (as_expected …)
    Column("evidence_zh", Text, nullable=False),
    Column("evidence_en", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),  # the document the evidence comes from
    Column("revision", Integer, nullable=False),
    Column("reason", Text, nullable=False, default=""),  # why a revision replaced the previous one
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("entered_by", String(100), nullable=False),
    UniqueConstraint("framework_id", "indicator_id", "unit_id", "period", "scheme", "revision",
                     name="uq_qualitative_statuses_key"),
)
Index("ix_qualitative_statuses_series", qualitative_statuses.c.framework_id, qualitative_statuses.c.indicator_id,
      qualitative_statuses.c.unit_id)
