"""The console command end to end in a real process (exit codes are the contract)."""

from pathlib import Path

from tests.cli_helpers import run_planmon


def test_init_show_in_a_fresh_folder(tmp_path: Path) -> None:
    r = run_planmon("init", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "planmon.db").exists()  # the default: an SQLite file in the working folder
    assert "10 重大任务" in r.stdout and "17 重点工程" in r.stdout
    r = run_planmon("--lang", "en", "framework", "show", cwd=tmp_path)
    assert r.returncode == 0 and "14 main indicators, 31 provinces" in r.stdout


def test_rejected_input_exits_1_and_misuse_2(tmp_path: Path) -> None:
    broken = Path(__file__).parent / "framework" / "broken" / "five_mistakes"
    assert run_planmon("framework", "validate", str(broken), cwd=tmp_path).returncode == 1
    assert run_planmon("framework", "nonsense", cwd=tmp_path).returncode == 2
