"""Shared state and output helpers of the CLI commands."""

from __future__ import annotations

import csv
import getpass
import io
import json
import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from planmon.jsonsafe import jsonable
from planmon.store import Store


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@dataclass
class State:
    db_url: str | None
    lang: str = "zh"
    actor: str = ""
    _store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.db_url)
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


console = Console()
err_console = Console(stderr=True)


def reject(messages: list[str], st: State | None = None) -> NoReturn:
    """Print the reasons and exit 1 (input rejected)."""
    for m in messages:
        err_console.print(m, markup=False, highlight=False)
    raise typer.Exit(1)


def _clean(v: Any) -> Any:
    return jsonable(v)


def dumps_json(data: Any) -> str:
    return json.dumps(_clean(data), ensure_ascii=False, indent=2, default=str)


def emit(data: Any, fmt: Format, columns: list[str] | None = None, title: str | None = None) -> None:
    """Print records (a list of dicts) or an object in the chosen format."""
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
    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(c, overflow="fold")
    for r in records:
        table.add_row(*["" if r.get(c) is None else _cell(r.get(c)) for c in cols])
    console.print(table)


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list | dict):
        return json.dumps(_clean(v), ensure_ascii=False)
    return str(v)
