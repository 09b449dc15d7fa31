"""Shared state and output helpers of the CLI commands.

Tables are for people: their headers come from the catalogue (:mod:`planmon.vocab`)
in the reader's language, and when the output is not a terminal nothing is wrapped
(a log line or a piped table stays one line per row). JSON and CSV stay machine
output with the codes as keys.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import math
import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from planmon import settings, vocab
from planmon.jsonsafe import jsonable
from planmon.refusal import Refusal
from planmon.store import Store
from planmon.store.db import DatabaseUnavailable, probe


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@dataclass
class State:
    db_url: str | None
    lang: str = "zh"
    actor: str = ""
    debug: bool = False
    _store: Store | None = None
    plan: str | None = None  # --plan: a framework id; None = the current plan for today's date

    def plan_id(self, final: bool = False) -> str:
        """The plan asked for, else the current plan for today (for a final evaluation: the last ended)."""
        if self.plan:
            return self.plan
        from planmon.framework import BUILTIN_DEFAULT
        from planmon.plans import current_plan, last_ended_plan

        plans = self.store().plans() if self.store().revision() is not None else []
        chosen = (last_ended_plan(plans) if final else None) or current_plan(plans)
        return chosen.id if chosen else BUILTIN_DEFAULT

    def store(self) -> Store:
        """The store; a URL planmon cannot use, a missing folder or an unreachable server exits 1 with one line."""
        if self._store is None:
            try:
                store = Store.open(self.db_url)
                probe(store.engine)
            except DatabaseUnavailable as exc:
                if self.debug:
                    raise
                reject([exc.get(self.lang)])
            self._store = store
        return self._store

    def who(self) -> str:
        if self.actor:
            return self.actor
        try:
            return f"cli:{getpass.getuser()}"
        except Exception:
            return "cli"

    def t(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def _console(stderr: bool) -> Console:
    """A terminal gets Rich's layout; a pipe or a file gets lines that are never wrapped."""
    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    return Console(stderr=stderr, soft_wrap=not tty, width=None if tty else 10_000)


console = _console(False)
err_console = _console(True)
_OUTPUT_LANG = ["zh"]
#: Tests set this to True: a column without a catalogue header then fails instead of showing its code.
STRICT_HEADERS = [settings.flag("PLANMON_STRICT_LABELS")]


def set_output_lang(lang: str) -> None:
    """The language of table headers (set once from ``--lang``)."""
    _OUTPUT_LANG[0] = "en" if lang == "en" else "zh"


def output_lang() -> str:
    return _OUTPUT_LANG[0]


def reject_not_loaded(st: State, framework: str, detail: str = "") -> NoReturn:
    """The plan is not in the database: say the exact command that loads it (a bare `planmon init` loads only the
    default plan, so telling the user to run it again for another plan sends them in a circle)."""
    from planmon.framework import BUILTIN_DEFAULT

    cmd = "planmon init" if framework == BUILTIN_DEFAULT else f"planmon init --framework {framework}"
    extra = f"（{detail}）" if detail else ""
    reject([st.t(f"数据库中没有规划 {framework}：请先运行 {cmd}{extra}",
                 f"plan {framework} is not in the database: run '{cmd}' first" + (f" ({detail})" if detail else ""))])


def reject(messages: list[str], st: State | None = None) -> NoReturn:
    """Print the reasons, one line each, and exit 1 (input rejected)."""
    for m in messages:
        sys.stderr.write(" ".join(str(m).split()) + "\n")
    sys.stderr.flush()
    raise typer.Exit(1)


def refuse(st: State, exc: Refusal) -> NoReturn:
    """A library refusal: its reasons in one line each and exit 1, or the traceback with ``--debug``."""
    if st.debug:
        raise exc
    reject(exc.lines(st.lang))


def _clean(v: Any) -> Any:
    return jsonable(v)


def dumps_json(data: Any) -> str:
    return json.dumps(_clean(data), ensure_ascii=False, indent=2, default=str)


def import_answered(fmt: Format, ok: bool, payload: Any, reasons: list[str]) -> bool:
    """The shared end of an all-or-nothing import command: JSON prints the result (exit 1 when refused); a
    table refusal prints its reasons (exit 1). True when the answer is given, False when the caller prints its
    summary of an accepted import."""
    if fmt == Format.json:
        print(dumps_json(payload))
        if not ok:
            raise typer.Exit(1)
        return True
    if not ok:
        reject(reasons)
    return False


def emit(data: Any, fmt: Format, columns: list[str] | None = None, title: str | None = None,
         names: dict[str, str] | None = None, codes: dict[str, str] | None = None) -> None:
    """Print records (a list of dicts) or an object in the chosen format.

    In a table the header of a column is ``names[column]`` if given, else the catalogue's
    header (:func:`planmon.vocab.header`); ``codes`` maps a column to a catalogue code list
    (``{"state": "submission_state"}``) so that its cells show words, not codes.
    JSON and CSV keep the codes.
    """
    if fmt == Format.json:
        sys.stdout.write(dumps_json(data) + "\n")
        return
    records = data if isinstance(data, list) else [data]
    cols = columns or (list(records[0].keys()) if records else [])
    if fmt == Format.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in records:
            w.writerow(["" if r.get(c) is None else _cell(r.get(c)) for c in cols])
        sys.stdout.write(buf.getvalue())
        return
    lang = output_lang()
    if not records:
        console.print(("(none)" if lang == "en" else "（无记录）") if not title else
                      (f"{title}: none" if lang == "en" else f"{title}：无记录"), markup=False, highlight=False)
        return
    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column((names or {}).get(c) or vocab.header(c, lang, strict=STRICT_HEADERS[0]), overflow="fold")
    for r in records:
        table.add_row(*[vocab.local_time(r.get(c)) if c in TIME_COLUMNS else _shown(r.get(c), (codes or {}).get(c), lang)
                        for c in cols])
    console.print(table)


#: Columns holding a stored time: shown in Asia/Shanghai local time, to the minute.
TIME_COLUMNS = {"at", "created_at", "reviewed_at", "reported_on_at", "updated_at"}


def _shown(v: Any, code_list: str | None, lang: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if code_list is not None:
        if code_list == "severity":
            return vocab.severity(v, lang)
        if code_list == "rule":
            return vocab.rule(v, lang)
        if code_list == "status":
            return vocab.status(v, lang)
        return vocab.code(code_list, v, lang)
    if isinstance(v, bool):
        return vocab.code("yes_no", v, lang)
    return _cell(v)


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list | dict):
        return json.dumps(_clean(v), ensure_ascii=False)
    return str(v)


def known_unit(st: State, fw: Any, text: str) -> str:
    """The unit id named by ``text`` (id, GB/T 2260 code, Chinese or English name), or exit 1 saying it is unknown."""
    from planmon.collect.values import norm_key, unit_lookup

    found = unit_lookup(fw).get(norm_key(text))
    if found is None:
        reject([st.t(f"未知单位“{text}”：请用单位代码或名称，例如 330000 或 浙江（planmon framework show 可列出）",
                     f"unknown unit '{text}': give a unit code or name, e.g. 330000 or Zhejiang")])
    return found


def known_indicator(st: State, fw: Any, text: str) -> str:
    """The indicator id named by ``text`` (id or name), or exit 1 listing the known ids."""
    from planmon.collect.values import indicator_lookup, norm_key

    found = indicator_lookup(fw).get(norm_key(text))
    if found is None:
        ids = ", ".join(x.id for x in fw.indicators)
        reject([st.t(f"未知指标“{text}”（可用：{ids}）", f"unknown indicator '{text}' (known: {ids})")])
    return found
