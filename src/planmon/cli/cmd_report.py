"""``planmon report``: the development report as HTML, PDF, DOCX and XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from planmon.cli.context import State, console, reject, state
from planmon.framework import BUILTIN_DEFAULT
from planmon.periods import Period, PeriodError

if TYPE_CHECKING:
    from planmon.report.writer import Written
    from planmon.store import Store


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_cmd(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option("-o", "--out", help="Output folder")],
        formats: Annotated[str, typer.Option("--format", help="Comma-separated: html,pdf,docx,xlsx")] = "html,pdf,docx,xlsx",
        as_of: Annotated[str | None, typer.Option("--as-of", help="Period, e.g. 2024 (default: the latest year)")] = None,
        lang: Annotated[str | None, typer.Option("--lang", help="zh (default) or en")] = None,
        framework: Annotated[str, typer.Option("--framework", help="Framework id")] = BUILTIN_DEFAULT,
        boundary: Annotated[Path | None, typer.Option("--boundary", help="Approved boundary GeoJSON keyed by GB/T 2260 code")] = None,
        approval_no: Annotated[str, typer.Option("--approval-no", help="Map approval number (审图号) for the caption")] = "",
        uncertainty_n: Annotated[int, typer.Option("--uncertainty-n", help="Uncertainty replications for rank intervals")] = 200,
        kind: Annotated[str, typer.Option("--kind", help="monitoring (default), final (总结评估), midterm (中期评估) or start (a new plan's first monitoring page)")] = "monitoring",
    ) -> None:
        """生成规划实施情况报告 Write the plan implementation report."""
        st = state(ctx)
        if kind in ("final", "midterm", "start"):
            _evaluation_report(st, out, formats, kind, lang or st.lang)
            return
        if kind != "monitoring":
            raise typer.BadParameter(st.t(f"--kind 应为 monitoring、final、midterm 或 start，而不是“{kind}”",
                                          f"--kind must be monitoring, final, midterm or start, not '{kind}'"))
        written = make_report(st.store(), out, formats, as_of, lang or st.lang, framework, boundary, approval_no,
                              uncertainty_n)
        for w in written:
            console.print(f"{w.path}  ({w.size:,} B, {w.seconds:.1f} s)", markup=False, highlight=False, soft_wrap=True)


def _evaluation_report(st: State, out: Path, formats: str, kind: str, lang: str) -> None:
    """The final or mid-term evaluation report of ``--plan`` (default: the last plan that ended)."""
    from planmon.report.final import evaluation_report
    from planmon.report.writer import FORMATS, parse_formats

    try:
        chosen = parse_formats(formats)
    except ValueError as exc:
        raise typer.BadParameter(f"unknown format '{exc}' (choose from {', '.join(FORMATS)})") from exc
    store = st.store()
    if store.revision() is None:
        reject([st.t("数据库尚未初始化：请先运行 planmon init", "the database is not initialised: run 'planmon init' first")])
    plan = st.plan_id(final=kind == "final")
    if plan not in store.framework_ids():
        reject([st.t(f"数据库中没有规划“{plan}”", f"plan '{plan}' is not in the database")])
    code = "en" if lang.lower().startswith("en") else "zh"
    if kind == "start":
        from planmon.report.final import build_start_document, write_evaluation_report

        paths = write_evaluation_report(build_start_document(store, plan, code), out, chosen,
                                        "plan-start" if code == "zh" else "plan-start-en")
    else:
        paths = evaluation_report(store, out, chosen, kind, code, plan)
    for path in paths:
        console.print(f"{path}  ({path.stat().st_size:,} B)", markup=False, highlight=False, soft_wrap=True)


def _writable(out: Path, en: bool) -> None:
    """Refuse an output folder that cannot be written before spending a minute on the report."""
    import tempfile

    from planmon.cli.errors import explain

    missing = [p for p in (out, *out.parents) if not p.exists()]
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".planmon-", suffix=".probe"):
            pass
        for p in missing:  # leave nothing behind: the writer creates the folder when it writes
            p.rmdir()
    except OSError as exc:
        exc.filename = exc.filename or str(out)
        reject([explain(exc, "en" if en else "zh")])


def make_report(store: Store, out: Path, formats: str, as_of: str | None, lang: str, framework: str,
                boundary: Path | None = None, approval_no: str = "", uncertainty_n: int = 200) -> list[Written]:
    """Check the options, build the model, write the files (shared by ``report`` and ``demo``)."""
    from planmon.geo.boundary import BoundaryInvalid, load_boundary
    from planmon.i18n import normalise_lang
    from planmon.report import build_model, write_report
    from planmon.report.writer import FORMATS, parse_formats
    en = normalise_lang(lang) == "en"
    if lang.lower() not in ("zh", "en", "zh-cn", "zh_cn", "en-us", "en_us"):
        reject([f"不支持的语言“{lang}”：请用 zh 或 en / unsupported language '{lang}': use zh or en"])
    try:
        chosen = parse_formats(formats)
    except ValueError as exc:
        raise typer.BadParameter(f"unknown format '{exc}' (choose from {', '.join(FORMATS)})") from exc
    if not chosen:
        raise typer.BadParameter("--format names no format")
    if as_of is not None:
        try:
            Period.parse(as_of)
        except PeriodError as exc:
            raise typer.BadParameter(exc.message_en if en else exc.message_zh) from exc
    if store.revision() is None:
        reject(["数据库尚未初始化：请先运行 planmon init" if not en else
                "the database is not initialised: run 'planmon init' first"])
    _writable(out, en)
    geo = None
    if boundary is not None:
        try:
            geo = load_boundary(boundary)
        except BoundaryInvalid as exc:
            reject([m.get("en" if en else "zh") for m in exc.messages])
    try:
        model = build_model(store, as_of=as_of, lang=lang, framework_id=framework, boundary=geo,
                            approval_no=approval_no, uncertainty_n=uncertainty_n)
    except KeyError as exc:
        reject([str(exc).strip("'\"")])
    return list(write_report(model, out, chosen))
