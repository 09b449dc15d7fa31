"""The review of submissions: submitted → accepted (values become current) or returned with a comment."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, func, select

from planmon.i18n import Message
from planmon.refusal import Refusal
from planmon.store import audit
from planmon.store.tables import observations, submissions

MAX_AUDIT_VALUES = 1000


class SubmissionError(Refusal):
    """A review action that is not allowed; carries zh and en."""

    code = "submission_refused"

    def __init__(self, zh: str, en: str) -> None:
        self.message_zh = zh
        self.message_en = en
        super().__init__(Message(zh, en))

    def get(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_zh


class SubmissionNotFound(SubmissionError, LookupError):
    """No submission with this id (HTTP 404)."""

    code = "submission_not_found"


class SubmissionConflict(SubmissionError):
    """The submission is no longer in the state the action needs, e.g. a second accept (HTTP 409)."""

    code = "submission_conflict"


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


def submissions_table(store: Any, unit: str | None = None, state: str | None = None) -> pd.DataFrame:
    """The submissions as a DataFrame, one row per submission, oldest first (an analyst's view of
    :func:`list_submissions`, which the CLI and the web print as records).

    Columns: ``id, framework_id, unit_id, period, state, source_kind, filename, file_sha256, rows,
    created_at, created_by, reviewed_at, reviewed_by, comment`` (the validation ``report`` is left out:
    :func:`get_submission` holds it); the times are timestamps (UTC where the database keeps the zone).

    >>> submissions_table(store, state="submitted")[["id", "unit_id", "period", "rows"]]  # doctest: +SKIP
    """
    cols = [c.name for c in submissions.c if c.name != "report"]
    frame = pd.DataFrame([{k: r[k] for k in cols} for r in list_submissions(store, unit, state)], columns=cols)
    for c in ("created_at", "reviewed_at"):
        frame[c] = pd.to_datetime(frame[c], format="ISO8601")
    frame["id"] = frame["id"].astype("Int64")
    frame["rows"] = frame["rows"].astype("Int64")
    return frame


def get_submission(store: Any, id: int, with_observations: bool = True) -> dict[str, Any]:
    with store.engine.connect() as conn:
        r = conn.execute(select(submissions).where(submissions.c.id == id)).mappings().first()
        if r is None:
            raise SubmissionNotFound(f"没有编号为 {id} 的报送", f"no submission with id {id}")
        d = _row(r)
        if with_observations:
            o = observations
            q = (select(o.c.indicator_id.label("indicator"), o.c.unit_id.label("unit"), o.c.period, o.c.value,
                        o.c.status, o.c.revision, o.c.state, o.c.reason)
                 .where(o.c.submission_id == id).order_by(o.c.indicator_id, o.c.unit_id, o.c.period_time))
            d["observations"] = [dict(x) for x in conn.execute(q).mappings()]
    return d


def _claim(conn: Connection, id: int, state: str, actor: str, comment: str) -> dict[str, Any]:
    """Move a submission from ``submitted`` to ``state`` with one conditional UPDATE, the first statement
    of the transaction: of two concurrent reviews exactly one changes the row (PostgreSQL re-checks the
    condition after the other's commit; SQLite's write lock serialises them), the other gets
    :class:`SubmissionConflict` and changes nothing."""
    n = conn.execute(submissions.update().where(submissions.c.id == id, submissions.c.state == "submitted").values(
        state=state, reviewed_at=audit.now(), reviewed_by=actor, comment=comment)).rowcount
    if n == 1:
        return dict(conn.execute(select(submissions).where(submissions.c.id == id)).mappings().one())
    r = conn.execute(select(submissions.c.state).where(submissions.c.id == id)).first()
    if r is None:
        raise SubmissionNotFound(f"没有编号为 {id} 的报送", f"no submission with id {id}")
    raise SubmissionConflict(f"报送 {id} 的状态为 {STATE_ZH.get(r[0], r[0])}，只能审核待审的报送（可能已被他人审核）",
                             f"submission {id} is {r[0]}: only a submitted one can be reviewed "
                             "(someone may have reviewed it already)")


STATE_ZH = {"submitted": "待审", "accepted": "已采纳", "returned": "已退回", "draft": "草稿"}


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
        _claim(conn, id, "accepted", actor, comment)
        before, after = _previous_values(conn, id)
        n = conn.execute(observations.update().where(observations.c.submission_id == id,
                                                     observations.c.state == "pending").values(state="accepted")).rowcount
        audit.record(conn, actor, "submission.accept", "submissions", str(id),
                     before={"state": "submitted", "values": before},
                     after={"state": "accepted", "rows": n, "values": after}, detail=comment)
    return get_submission(store, id, with_observations=False)


def return_submission(store: Any, id: int, actor: str, comment: str) -> dict[str, Any]:
    """Return a submission to its unit with a comment; its values never become current."""
    if not comment or not comment.strip():
        raise SubmissionError("退回报送必须填写意见", "returning a submission needs a comment")
    with store.engine.begin() as conn:
        _claim(conn, id, "returned", actor, comment)
        n = conn.execute(observations.update().where(observations.c.submission_id == id,
                                                     observations.c.state == "pending").values(state="returned")).rowcount
        audit.record(conn, actor, "submission.return", "submissions", str(id), before={"state": "submitted"},
                     after={"state": "returned", "rows": n}, detail=comment)
    return get_submission(store, id, with_observations=False)


def review_rows(store: Any, id: int) -> list[dict[str, Any]]:
    """What a reviewer needs to judge a submission, row by row: the new value, the accepted value it
    replaces (the latest accepted revision before it), the change, the reason given and the warnings.

    Newest accepted value is read now, so a reviewer sees the comparison with the data as it stands.
    """
    sub = get_submission(store, id, with_observations=False)
    o = observations
    with store.engine.connect() as conn:
        mine = pd.DataFrame(conn.execute(
            select(o.c.indicator_id, o.c.unit_id, o.c.period, o.c.period_time, o.c.value, o.c.status, o.c.revision,
                   o.c.state, o.c.reason).where(o.c.submission_id == id)
            .order_by(o.c.indicator_id, o.c.unit_id, o.c.period_time)).mappings().all(),
            columns=["indicator_id", "unit_id", "period", "period_time", "value", "status", "revision", "state",
                     "reason"])
        if mine.empty:
            return []
        acc = pd.DataFrame(conn.execute(
            select(o.c.indicator_id, o.c.unit_id, o.c.period, o.c.value, o.c.revision)
            .where(o.c.framework_id == sub["framework_id"], o.c.state == "accepted",
                   o.c.indicator_id.in_(sorted(set(mine["indicator_id"]))),
                   o.c.unit_id.in_(sorted(set(mine["unit_id"]))), o.c.submission_id.is_distinct_from(id))
        ).mappings().all(), columns=["indicator_id", "unit_id", "period", "value", "revision"])
    key = ["indicator_id", "unit_id", "period"]
    if not acc.empty:
        both = mine[[*key, "revision"]].merge(acc.rename(columns={"value": "old", "revision": "old_rev"}), on=key)
        both = both[both["old_rev"] < both["revision"]].sort_values("old_rev").drop_duplicates(key, keep="last")
        mine = mine.merge(both[[*key, "old"]], on=key, how="left")
    else:
        mine["old"] = np.nan
    warned: dict[str, list[dict[str, Any]]] = {}
    for w in (sub.get("report") or {}).get("warnings", []):
        warned.setdefault(str(w.get("key", "")), []).append(w)
    out = []
    for r in mine.to_dict("records"):
        k = f"{r['indicator_id']}/{r['unit_id']}/{r['period']}"
        old = None if pd.isna(r["old"]) else float(r["old"])
        new = float(r["value"])
        out.append({
            "indicator": r["indicator_id"], "unit": r["unit_id"], "period": r["period"], "value": new,
            "old": old, "change": None if old is None else new - old,
            "change_pct": None if old in (None, 0) else (new - old) / abs(old) * 100,
            "status": r["status"], "state": r["state"], "reason": r["reason"] or "",
            "warnings": warned.get(k, []),
        })
    return out
