"""``planmon qualitative set|list|history``: the planning office's status of a qualitative target (issue 19).

Thin: every check is :func:`planmon.monitor.qualitative.enter_status`'s. The command line acts for the
person at the database (``--actor`` or the login name, in the audit log); ``--user NAME`` acts as a
planmon user, whose role must allow the entry (a reporter is refused, exit 1).
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
import typer

from planmon import vocab
from planmon.cli.context import Format, State, emit, refuse, reject, reject_not_loaded, state
from planmon.refusal import Refusal
from planmon.spreadsheet import neutralise

FW_OPT = typer.Option("--framework", help="Plan (framework id); default: --plan or the current plan")
UNIT_OPT = typer.Option("--unit", help="Unit (default CN, the nation)")


def _framework(st: State, framework: str | None) -> str:
    fid = framework or st.plan_id()
    store = st.store()
    if store.revision() is None or fid not in store.framework_ids():
        reject_not_loaded(st, fid)
    return fid


def _records(df: pd.DataFrame, fmt: Format, lang: str) -> list[dict[str, Any]]:
    recs = [{str(k): v for k, v in r.items()} for r in df.astype(object).where(df.notna(), None).to_dict("records")]
    if fmt == Format.table:
        for r in recs:
            r["status"] = r["status_en"] if lang == "en" else r["status_zh"]
            r["evidence_text"] = (r["evidence_en"] or r["evidence_zh"]) if lang == "en" else r["evidence_zh"]
            r["entered_at"] = vocab.local_time(r["entered_at"])
    if fmt == Format.csv:
        recs = [{k: neutralise(v) for k, v in r.items()} for r in recs]
    return recs


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="定性指标的规划办认定 / the planning office's status of qualitative targets",
                        no_args_is_help=True)
    app.add_typer(group, name="qualitative")

    @group.command("set")
    def set_(
        ctx: typer.Context,
        indicator: Annotated[str, typer.Argument(help="Indicator id, e.g. I01")],
        period: Annotated[str, typer.Option("--period", help="The year the status is for, e.g. 2023")],
        status: Annotated[str, typer.Option("--status", help="In the scheme's terms: 提前实现, 快于预期, 基本符合预期, "
                                                             "滞后 (or as_expected …)")],
        evidence: Annotated[str, typer.Option("--evidence", help="认定依据 (zh): the facts the status rests on")],
        evidence_en: Annotated[str, typer.Option("--evidence-en", help="The evidence in English (optional)")] = "",
        source: Annotated[str, typer.Option("--source", help="The document: publisher, title, date")] = "",
        reason: Annotated[str, typer.Option("--reason", help="Why: required for a revision")] = "",
        unit: Annotated[str, UNIT_OPT] = "CN",
        scheme: Annotated[str, typer.Option("--scheme", help="Status scheme (default ndrc)")] = "ndrc",
        user: Annotated[str | None, typer.Option("--user", help="Act as this planmon user (their role applies)")] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
        framework: Annotated[str | None, FW_OPT] = None,
    ) -> None:
        """录入或修订定性指标的认定状态 / enter or revise the office's status of a qualitative indicator."""
        from planmon.auth import get_user
        from planmon.monitor.qualitative import enter_status

        st = state(ctx)
        fid = _framework(st, framework)
        store = st.store()
        actor, role = st.who(), None
        if user is not None:
            u = get_user(store.engine, user)
            if u is None or not u.active:
                reject([st.t(f"未知或已停用的用户“{user}”", f"unknown or inactive user '{user}'")])
            actor, role = f"cli:{u.username}", u.role
        try:
            rec = enter_status(store, indicator, period, status, evidence, actor=actor, role=role, unit=unit,
                               evidence_en=evidence_en, source=source, reason=reason, scheme=scheme,
                               framework_id=fid)
        except Refusal as exc:
            refuse(st, exc)
        if fmt == Format.json:
            emit(rec, fmt)
            return
        words = rec["status_en"] if st.lang == "en" else rec["status_zh"]
        what = {"added": st.t("已录入", "entered"), "revised": st.t("已修订", "revised"),
                "unchanged": st.t("与现行认定相同，未改动", "same as the current entry: unchanged")}[rec["outcome"]]
        typer.echo(st.t(f"{rec['indicator']} {rec['unit']} {rec['period']}：{words}（规划办认定，第 {rec['revision']} 版）"
                        f"{what}", f"{rec['indicator']} {rec['unit']} {rec['period']}: {words} (entered by the "
                        f"planning office, revision {rec['revision']}) {what}"))

    @group.command("list")
    def list_(
        ctx: typer.Context,
        indicator: Annotated[str | None, typer.Option("--indicator")] = None,
        unit: Annotated[str | None, typer.Option("--unit")] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
        framework: Annotated[str | None, FW_OPT] = None,
    ) -> None:
        """现行认定状态（每个指标、单位、时期的最新版）/ the current entries."""
        from planmon.monitor.qualitative import current_statuses

        st = state(ctx)
        df = current_statuses(st.store(), _framework(st, framework), indicator=indicator, unit=unit)
        cols = ["indicator", "unit", "period", "status", "evidence_text", "source", "revision", "entered_by",
                "entered_at"] if fmt == Format.table else list(df.columns)
        emit(_records(df, fmt, st.lang), fmt, cols,
             title=st.t("规划办认定的定性指标状态", "Statuses entered by the planning office"))

    @group.command("history")
    def history(
        ctx: typer.Context,
        indicator: Annotated[str, typer.Argument(help="Indicator id")],
        unit: Annotated[str | None, typer.Option("--unit")] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
        framework: Annotated[str | None, FW_OPT] = None,
    ) -> None:
        """认定的全部版本（含被修订的）：何人、何时、为何 / every revision: who, when, why."""
        from planmon.monitor.qualitative import status_history

        st = state(ctx)
        fid = _framework(st, framework)
        fw = st.store().framework(fid)
        if indicator not in {i.id for i in fw.indicators}:
            reject([st.t(f"规划 {fid} 中没有指标“{indicator}”", f"plan {fid} has no indicator '{indicator}'")])
        df = status_history(st.store(), fid, indicator=indicator, unit=unit)
        cols = ["period", "unit", "revision", "current", "status", "evidence_text", "source", "reason", "entered_by",
                "entered_at"] if fmt == Format.table else list(df.columns)
        emit(_records(df, fmt, st.lang), fmt, cols,
             title=st.t(f"{indicator} 认定历史", f"{indicator}: history of the entered status"))
