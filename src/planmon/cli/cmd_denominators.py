"""``planmon denominators list|import``: the population, GDP, … series that intensive forms divide by."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from planmon.cli.context import Format, emit, reject, state
from planmon.denominators import DENOMINATOR_COLUMNS, DenominatorError
from planmon.spreadsheet import neutralise


def _read(path: Path) -> pd.DataFrame:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="分母序列（人口、GDP 等）/ denominator series (population, GDP and others)", no_args_is_help=True)
    app.add_typer(group, name="denominators")

    @group.command("list")
    def list_(
        ctx: typer.Context,
        name: Annotated[str | None, typer.Option("--name", help="population, gdp, retail_sales, …")] = None,
        unit: Annotated[str | None, typer.Option("--unit")] = None,
        period: Annotated[str | None, typer.Option("--period")] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """当前分母值及来源 / current denominator values with their sources."""
        st = state(ctx)
        df = st.store().denominators(name, unit, period)
        recs = df.astype(object).where(df.notna(), None).to_dict("records")
        if fmt == Format.csv:
            recs = [{k: neutralise(v) for k, v in r.items()} for r in recs]
        if fmt == Format.table:  # a reader's table: the citation in the reader's language, no machine columns
            half = 1 if st.lang == "en" else 0
            for r in recs:
                parts = str(r.get("source") or "").split(" / ", 1)
                r["source"] = parts[min(half, len(parts) - 1)]
            emit(recs, fmt, ["name", "unit", "period", "value", "measure_unit", "source", "revision"])
            return
        emit(recs, fmt, DENOMINATOR_COLUMNS)

    @group.command("import")
    def import_(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="CSV or XLSX: name,unit,period,value[,measure_unit,source,note]")],
        reason: Annotated[str, typer.Option("--reason", help="Why (recorded with every revision)")] = "",
    ) -> None:
        """导入分母（全部或全不）/ import denominators (all or nothing)."""
        st = state(ctx)
        try:
            frame = _read(file)
        except (OSError, ValueError) as exc:
            reject([st.t(f"无法读取 {file}：{exc}", f"cannot read {file}: {exc}")])
        frame.columns = [str(c).strip().lower() for c in frame.columns]
        try:
            res = st.store().write_denominators(frame, st.who(), reason=reason, file=file.name)
        except DenominatorError as exc:
            reject(exc.messages_en if st.lang == "en" else exc.messages_zh)
        typer.echo(st.t(f"新增 {res.added}，修订 {res.revised}，未变 {res.unchanged}",
                        f"added {res.added}, revised {res.revised}, unchanged {res.unchanged}"))
