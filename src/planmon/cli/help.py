"""Help that reads whole at 80 columns, in Chinese and English.

Why: Rich's help panels cut long words and mixed Chinese–English sentences with
"…", and click's plain help counts a Chinese character as one column and cuts each
command's summary at 45 characters. Here the command list prints each command's
full first paragraph, wrapped by display width (a Chinese character is two columns,
a line may break between two Chinese characters but not inside an English word).
"""

from __future__ import annotations

import re
import shutil
import types

from rich.cells import cell_len
from typer import _click as click  # typer's own copy of click: its classes, not the click package's
from typer.core import TyperGroup

#: A Chinese (or full-width) character is a token of its own; an English word is one token.
#: A long list such as ``a,b,c`` or ``x|y|z`` may break after its separators.
_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
                     r"|[^\s,|\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+[,|]?|[,|]|\s+")


def help_width() -> int:
    """The terminal's width, at most 100 and at least 40 (``COLUMNS`` honoured)."""
    return max(40, min(100, shutil.get_terminal_size((80, 24)).columns))


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` display columns (an English word longer than the width stays whole)."""
    lines: list[str] = []
    cur = ""
    pending_space = False
    for tok in _TOKENS.findall(" ".join(text.split())):
        if tok.isspace():
            pending_space = bool(cur)
            continue
        piece = (" " if pending_space else "") + tok
        pending_space = False
        if cur and cell_len(cur + piece) > width:
            lines.append(cur)
            cur = tok
        else:
            cur += piece
    if cur:
        lines.append(cur)
    return lines


def _summary(cmd: click.Command) -> str:
    text = cmd.short_help or cmd.help or ""
    return text.split("\n\n", 1)[0].strip()


def _format_help_text(self: click.Command, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    """A command's description, wrapped by display width (bound onto commands by :class:`HelpGroup`)."""
    text = self.help or ""
    if not text:
        return
    formatter.write_paragraph()
    for n, para in enumerate(p for p in text.split("\n\n") if p.strip()):
        if n:
            formatter.write("\n")
        for line in wrap(para, help_width() - 4):
            formatter.write(f"  {line}\n")


def write_dl(formatter: click.HelpFormatter, rows: list[tuple[str, str]], first_max: int = 30) -> None:
    """Two columns (term, description), the description wrapped by display width."""
    if not rows:
        return
    width = help_width()
    first = min(max(cell_len(t) for t, _ in rows) + 4, first_max)
    text_width = max(20, width - first - 1)
    for term, text in rows:
        lines = wrap(text, text_width) or [""]
        if cell_len(term) + 4 > first:
            formatter.write(f"  {term}\n")
        else:
            formatter.write(f"  {term}".ljust(first) + lines.pop(0) + "\n")
        for line in lines:
            formatter.write(" " * first + line + "\n")


def _format_options(self: click.Command, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    """Arguments and options, their help wrapped by display width (bound onto commands by :class:`HelpGroup`)."""
    args: list[tuple[str, str]] = []
    opts: list[tuple[str, str]] = []
    for param in self.get_params(ctx):
        rv = param.get_help_record(ctx)
        if rv is not None:
            (args if param.param_type_name == "argument" else opts).append(rv)
    for title, rows in (("Arguments", args), ("Options", opts)):
        if rows:
            with formatter.section(title):
                write_dl(formatter, rows)


class HelpGroup(TyperGroup):
    """A command group whose command list is wrapped by display width, never cut."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None and not isinstance(cmd, TyperGroup):
            cmd.format_help_text = types.MethodType(_format_help_text, cmd)  # type: ignore[method-assign]
            cmd.format_options = types.MethodType(_format_options, cmd)  # type: ignore[method-assign]
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, _summary(cmd)))
        if not rows:
            return
        with formatter.section("Commands 命令"):
            write_dl(formatter, rows, first_max=22)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_help_text(self, ctx, formatter)
