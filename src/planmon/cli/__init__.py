"""The ``planmon`` command line: a thin layer over the library.

Each module of this package registers its commands through ``register(app)``;
they are discovered automatically, so a new capability adds a module here and
touches no shared file. Exit codes: 0 success, 1 input rejected (reasons
printed), 2 misuse.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Annotated

import typer

from planmon.cli.context import State

app = typer.Typer(
    name="planmon",
    help="规划实施监测评估系统 planmon — plan implementation monitoring and evaluation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", envvar="PLANMON_DB", help="Database URL or SQLite file (default ./planmon.db)")] = None,
    lang: Annotated[str, typer.Option("--lang", envvar="PLANMON_LANG", help="zh (default) or en")] = "zh",
    actor: Annotated[str, typer.Option("--actor", envvar="PLANMON_ACTOR", help="Who is acting, for the audit log")] = "",
    plan: Annotated[str | None, typer.Option("--plan", envvar="PLANMON_PLAN", help="Plan (framework id); default: the current plan for today's date")] = None,
) -> None:
    ctx.obj = State(db_url=db, lang="en" if lang.lower().startswith("en") else "zh", actor=actor, plan=plan)


def _discover() -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{mod.name}")
            module.register(app)


_discover()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
