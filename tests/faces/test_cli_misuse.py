"""The command line refuses ten common misuses with one line in the reader's language, exit 1, no traceback;
its help reads whole at 80 columns; its output is not wrapped when it is not a terminal."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.cli_helpers import run_planmon

CJK = re.compile(r"[\u4e00-\u9fff]")


def _read_only_folder(tmp: Path) -> Path:
    """A folder nobody may write into: chmod 555 for a normal user; /sys for root (chmod does not stop root)."""
    if os.geteuid() == 0:
        return Path("/sys/planmon-report")
    ro = tmp / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    return ro / "out"


# (id, arguments given the demo database and a scratch folder, a fragment every message must name)
MISUSES: list[tuple[str, Callable[[Path, Path], list[str]], str]] = [
    ("pg-unreachable", lambda db, tmp: ["--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "progress"], "127.0.0.1"),
    ("mysql-driver", lambda db, tmp: ["--db", "mysql://u@localhost/db", "progress"], "mysql"),
    ("sqlite-missing-folder", lambda db, tmp: ["--db", str(tmp / "nowhere" / "x.db"), "progress"], "nowhere"),
    ("report-read-only", lambda db, tmp: ["--db", str(db), "report", "-o", str(_read_only_folder(tmp)),
                                          "--format", "html"], "/"),
    ("unknown-indicator", lambda db, tmp: ["--db", str(db), "history", "I99", "CN"], "I99"),
    ("unknown-unit", lambda db, tmp: ["--db", str(db), "progress", "--unit", "999999"], "999999"),
    ("unknown-language", lambda db, tmp: ["--db", str(db), "--lang", "fr", "progress"], "fr"),
    ("template-missing-folder", lambda db, tmp: ["--db", str(db), "template", "--unit", "330000", "--period", "2024",
                                                 "-o", str(tmp / "nowhere" / "t.xlsx")], "nowhere"),
    # the snapshot's ranking rule answers (no year with enough reporting units); never "1999.0"
    ("index-unknown-period", lambda db, tmp: ["--db", str(db), "index", "--period", "1999"], ""),
    ("scorecard-unknown-unit", lambda db, tmp: ["--db", str(db), "scorecard", "--unit", "NOPE"], "NOPE"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "make_args", "fragment"), MISUSES, ids=[m[0] for m in MISUSES])
def test_misuse_is_one_line_exit_1_without_traceback(demo_db: Path, tmp_path: Path, lang: str, name: str,
                                                     make_args: Callable[[Path, Path], list[str]],
                                                     fragment: str) -> None:
    args = make_args(demo_db, tmp_path)
    if "--lang" not in args:
        args = ["--lang", lang, *args]
    r = run_planmon(*args, cwd=tmp_path, timeout=120)
    assert r.returncode == 1, (r.returncode, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr          # one line, not a stack
    assert "Traceback" not in r.stderr and "File \"" not in r.stderr
    assert r.stdout.strip() == ""
    line = lines[0]
    assert fragment in line, line
    if name == "unknown-language":
        assert CJK.search(line) and "unsupported language" in line  # the reader's language is unknown: both
    elif lang == "zh":
        assert CJK.search(line), line
    else:
        # English: no Chinese words except inside a quoted name the user typed
        assert not CJK.search(re.sub(r"'[^']*'", "", line)), line
    assert "1999.0" not in line


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    r = run_planmon("--debug", "--db", "mysql://u@localhost/db", "progress", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" in r.stderr and "DatabaseUnavailable" in r.stderr


def test_nothing_is_written_by_a_refused_report(demo_db: Path, tmp_path: Path) -> None:
    r = run_planmon("--db", str(demo_db), "report", "-o", str(tmp_path / "x"), "--lang", "fr", cwd=tmp_path)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


COMMANDS = ["", "import", "progress", "report", "submissions", "submissions list", "supervise", "framework",
            "progress-report add", "index", "user add"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_reads_whole_at_80_columns(tmp_path: Path, command: str) -> None:
    r = run_planmon(*command.split(), "--help", cwd=tmp_path, env={"COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    for line in r.stdout.splitlines():
        assert cell_len(line) <= 80, f"{cell_len(line)} columns: {line}"
    assert "…" not in r.stdout and "..." not in r.stdout.replace("[ARGS]...", "").replace("{files}...", "") \
        .replace("files...", "")
    if command == "":
        # each command's description whole, e.g. the import's two halves
        flat = " ".join(r.stdout.split())
        assert "导入数据（全部成功或全部不写入）Import observations: all or nothing." in flat
        assert "Build a composite index; scores at every level and the rank of the top level." in flat


def test_output_is_not_wrapped_when_not_a_terminal(demo_db: Path, tmp_path: Path) -> None:
    # a piped table keeps one row per line however long (the risk explanations are long)
    r = run_planmon("--db", str(demo_db), "--lang", "en", "risks", "--unit", "330000", "--as-of", "2024",
                    cwd=tmp_path, env={"COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    rows = [ln for ln in r.stdout.splitlines() if ln.startswith("│")]
    flags = run_planmon("--db", str(demo_db), "risks", "--unit", "330000", "--as-of", "2024", "-f", "json",
                        cwd=tmp_path)
    assert len(rows) == len(json.loads(flags.stdout)) > 0   # one line per flag: nothing wrapped
    assert max(cell_len(ln) for ln in rows) > 80
    # an error line from a refused option is one line, however long the path
    deep = tmp_path / ("a" * 60) / ("b" * 60) / "x.db"
    r = run_planmon("--db", str(deep), "progress", cwd=tmp_path, env={"COLUMNS": "40"})
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1


def test_read_only_probe_leaves_no_file(tmp_path: Path) -> None:
    # the writability probe of `report -o` cleans up after itself
    from planmon.cli.cmd_report import _writable

    out = tmp_path / "out" / "deeper"
    _writable(out, en=False)
    assert not (tmp_path / "out").exists()   # a folder it had to create is removed again
    out.mkdir(parents=True)
    _writable(out, en=False)
    assert out.is_dir() and list(out.iterdir()) == []
