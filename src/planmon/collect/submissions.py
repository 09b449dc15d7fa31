"""The review of submissions: submitted → accepted (values become current) or returned with a comment."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, func, select

from planmon.i18n import Message
from planmon.refusal import Refusal
from planmon.store import audit
from planmon.store.tables import observations, submissions

MAX_AUDIT_VALUES = 1000


class SubmissionError(Refusal):
    """A review action that is not allowed; carries zh and en."""

    default_code = "submission_refused"

    def __init__(self, zh: str, en: str) -> None:
        self.message_zh = zh
        self.message_en = en
        super().__init__(Message(zh, en))

    def get(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_zh


def _row(r: Any) -> dict[str, Any]:
    d = dict(r)
    for k in ("created_at", "reviewed_at"):
        if d.get(k) is not None:
            d[k] = d[k].isoformat()
    return d


def list_submissions(store: Any, unit: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
    q = select(submissions).order_by(submissions.c.id)
    if unit:
        q = q.where(submissions.c.unit_id == unit)
    if state:
        q = q.where(submissions.c.state == state)
    with store.engine.connect() as conn:
        return [_row(r) for r in conn.execute(q).mappings()]


def get_submission(store: Any, id: int, with_observations: bool = True) -> dict[str, Any]:
    with store.engine.connect() as conn:
        r = conn.execute(select(submissions).where(submissions.c.id == id)).mappings().first()
        if r is None:
            raise SubmissionError(f"没有编号为 {id} 的报送", f"no submission with id {id}")
        d = _row(r)
        if with_observations:
            o = observations
            q = (select(o.c.indicator_id.label("indicator"), o.c.unit_id.label("unit"), o.c.period, o.c.value,
                        o.c.status, o.c.revision, o.c.state, o.c.reason)
                 .where(o.c.submission_id == id).order_by(o.c.indicator_id, o.c.unit_id, o.c.period_time))
            d["observations"] = [dict(x) for x in conn.execute(q).mappings()]
    return d


def _load_for_review(conn: Connection, id: int) -> dict[str, Any]:
    r = conn.execute(select(submissions).where(submissions.c.id == id)).mappings().first()
    if r is None:
        raise SubmissionError(f"没有编号为 {id} 的报送", f"no submission with id {id}")
    if r["state"] != "submitted":
        raise SubmissionError(f"报送 {id} 的状态为 {r['state']}，只能审核待审（submitted）的报送",
                              f"submission {id} is {r['state']}: only a submitted one can be reviewed")
    return dict(r)


def _previous_values(conn: Connection, id: int) -> tuple[dict[str, float], dict[str, float]]:
    """Before/after of every key the submission changes (the accepted value it replaces)."""
    o = observations
    mine = select(o.c.framework_id, o.c.indicator_id, o.c.unit_id, o.c.period, o.c.value, o.c.revision).where(
        o.c.submission_id == id, o.c.state == "pending").limit(MAX_AUDIT_VALUES).subquery()
    prev = o.alias("prev")
    latest = (select(prev.c.indicator_id, prev.c.unit_id, prev.c.period, func.max(prev.c.revision).label("rev"))
              .join(mine, and_(prev.c.framework_id == mine.c.framework_id, prev.c.indicator_id == mine.c.indicator_id,
                               prev.c.unit_id == mine.c.unit_id, prev.c.period == mine.c.period,
                               prev.c.revision < mine.c.revision))
              .where(prev.c.state == "accepted")
              .group_by(prev.c.indicator_id, prev.c.unit_id, prev.c.period).subquery())
    before: dict[str, float] = {}
    q = select(o.c.indicator_id, o.c.unit_id, o.c.period, o.c.value).join(
        latest, and_(o.c.indicator_id == latest.c.indicator_id, o.c.unit_id == latest.c.unit_id,
                     o.c.period == latest.c.period, o.c.revision == latest.c.rev))
    for r in conn.execute(q):
        before[f"{r[0]}/{r[1]}/{r[2]}"] = float(r[3])
    after = {f"{r[1]}/{r[2]}/{r[3]}": float(r[4]) for r in conn.execute(select(mine))}
    return before, after


def accept(store: Any, id: int, actor: str, comment: str = "") -> dict[str, Any]:
    """Accept a submitted submission: its pending values become accepted (current)."""
    with store.engine.begin() as conn:
        sub = _load_for_review(conn, id)
        before, after = _previous_values(conn, id)
        n = conn.execute(observations.update().where(observations.c.submission_id == id,
                                                     observations.c.state == "pending").values(state="accepted")).rowcount
        now = audit.now()
        conn.execute(submissions.update().where(submissions.c.id == id).values(
            state="accepted", reviewed_at=now, reviewed_by=actor, comment=comment))
        audit.record(conn, actor, "submission.accept", "submissions", str(id),
                     before={"state": sub["state"], "values": before},
                     after={"state": "accepted", "rows": n, "values": after}, detail=comment)
    return get_submission(store, id, with_observations=False)


def return_submission(store: Any, id: int, actor: str, comment: str) -> dict[str, Any]:
    """Return a submission to its unit with a comment; its values never become current."""
    if not comment or not comment.strip():
        raise SubmissionError("退回报送必须填写意见", "returning a submission needs a comment")
    with store.engine.begin() as conn:
        sub = _load_for_review(conn, id)
        n = conn.execute(observations.update().where(observations.c.submission_id == id,
                                                     observations.c.state == "pending").values(state="returned")).rowcount
        conn.execute(submissions.update().where(submissions.c.id == id).values(
            state="returned", reviewed_at=audit.now(), reviewed_by=actor, comment=comment))
        audit.record(conn, actor, "submission.return", "submissions", str(id), before={"state": sub["state"]},
                     after={"state": "returned", "rows": n}, detail=comment)
    return get_submission(store, id, with_observations=False)
