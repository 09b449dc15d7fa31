"""The ``planmon`` command line: a thin layer over the library.

Each module of this package registers its commands through ``register(app)``;
they are discovered automatically, so a new capability adds a module here and
touches no shared file. Exit codes: 0 success, 1 input rejected (one line per
reason, in the reader's language, never a traceback unless ``--debug``), 2 misuse.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Annotated

import typer
from typer import _click as click  # typer's own copy of click (its exceptions are these classes)

from planmon.cli.context import State, reject, set_output_lang
from planmon.cli.errors import argv_lang, debug_requested, explain, print_line
from planmon.cli.help import HelpGroup

LANGS = ("zh", "zh-cn", "zh_cn", "en", "en-us", "en_us", "en-gb")

app = typer.Typer(
    name="planmon",
    help="规划实施监测评估系统 planmon — plan implementation monitoring and evaluation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=HelpGroup,
)


def check_lang(lang: str) -> str:
    """``zh`` or ``en``; any other language is refused (exit 1), never silently replaced."""
    if lang.lower() not in LANGS:
        reject([f"不支持的语言“{lang}”：请用 zh 或 en / unsupported language '{lang}': use zh or en"])
    return "en" if lang.lower().startswith("en") else "zh"


@app.callback()
def _global(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", envvar="PLANMON_DB", help="Database URL or SQLite file (default ./planmon.db)")] = None,
    lang: Annotated[str, typer.Option("--lang", envvar="PLANMON_LANG", help="zh (default) or en")] = "zh",
    actor: Annotated[str, typer.Option("--actor", envvar="PLANMON_ACTOR", help="Who is acting, for the audit log")] = "",
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of an error")] = False,
    plan: Annotated[str | None, typer.Option("--plan", envvar="PLANMON_PLAN", help="Plan (framework id); default: the current plan for today's date")] = None,
) -> None:
    chosen = check_lang(lang)
    set_output_lang(chosen)
    ctx.obj = State(db_url=db, lang=chosen, actor=actor, debug=debug, plan=plan)


def _plain_help(typer_app: typer.Typer) -> None:
    """Every sub-command group: help wrapped by display width, without Rich panels (see planmon.cli.help)."""
    for group in typer_app.registered_groups:
        inst = group.typer_instance
        if inst is None:
            continue
        inst.rich_markup_mode = None
        if not isinstance(inst.info.cls, type) or not issubclass(inst.info.cls, HelpGroup):
            inst.info.cls = HelpGroup
        _plain_help(inst)


def _discover() -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{mod.name}")
            module.register(app)
    _plain_help(app)


_discover()


def main() -> None:
    """Console-script entry point: one line per failure, exit 1 (``--debug`` shows the traceback)."""
    argv = sys.argv[1:]
    debug = debug_requested(argv)
    lang = argv_lang(argv)
    try:
        code = app(standalone_mode=False)
    except KeyboardInterrupt:
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print_line("已取消" if lang == "zh" else "aborted")
        sys.exit(1)
    except click.exceptions.NoArgsIsHelpError as exc:  # `planmon submissions` alone: its help
        sys.stdout.write(exc.format_message() + "\n")
        sys.exit(0)
    except click.ClickException as exc:  # misuse: a wrong option or argument
        if debug:
            raise
        hint = "（planmon --help 查看用法）" if lang == "zh" else " (see planmon --help)"
        print_line(" ".join(exc.format_message().split()) + hint)
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except BaseException as exc:
        if debug:
            raise
        print_line(explain(exc, lang))
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
