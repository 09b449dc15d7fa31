"""The README's Python example runs as written (so it cannot drift from the API again).

Issue #18: the example failed at ``run.uncertainty(1000, seed=1)`` because its spec declared no
uncertain choices. Here every ```python block of README.md runs in a fresh interpreter, in an empty
folder holding what the example names: COINr's ASEM files (linked in place from ../shared/data/asem,
never copied into the repository) and ``docs/`` (the example specs).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_blocks(text: str) -> list[str]:
    return BLOCK.findall(text)


def test_the_block_finder_finds_blocks() -> None:
    text = "x\n```python\nprint(1)\n```\n```bash\nls\n```\n```python\nprint(2)\n```\n"
    assert python_blocks(text) == ["print(1)\n", "print(2)\n"]


def test_readme_python_example_runs(shared: Path, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = python_blocks(readme)
    assert blocks, "README.md has no ```python block"
    code = "\n".join(blocks)
    for name in ("ASEM_iData.csv", "ASEM_iMeta.csv"):
        assert name in code
        (tmp_path / name).symlink_to(shared / "data" / "asem" / name)
    (tmp_path / "docs").symlink_to(ROOT / "docs")
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PLANMON_DB": ""}
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    # what the example says it writes is there: the SQLite database and the workbook of the whole build
    assert (tmp_path / "planmon.db").stat().st_size > 0
    wb = openpyxl.load_workbook(tmp_path / "asem-build.xlsx", read_only=True)
    assert {"Raw", "Normalised", "Aggregated", "Weights", "Log"} <= set(wb.sheetnames)


def test_the_first_two_commands_stay() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert first is not None
    lines = [ln.split("#")[0].strip() for ln in first.group(1).splitlines() if ln.split("#")[0].strip()]
    assert lines == ["bash scripts/demo.sh", "bash scripts/test.sh"]
