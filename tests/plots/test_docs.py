"""docs/plots.md: every Python block runs as written (ASEM read in place from ../shared, the demo store in a
temporary directory), and every plot function of the three plot modules is documented there."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "plots.md"


def test_documented_examples_run(shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 3
    monkeypatch.chdir(ROOT)
    for code in blocks:
        code = code.replace('"../shared/data/asem"', repr(str(shared / "data" / "asem")))
        code = code.replace("/tmp/", f"{tmp_path}{os.sep}")
        env: dict[str, object] = {}
        exec(compile(code, str(DOC), "exec"), env)
        assert isinstance(env["fig"], Figure)
    assert (tmp_path / "sensitivity.png").stat().st_size > 10_000


def test_every_plot_function_is_documented() -> None:
    import planmon.geo.plots as geo
    import planmon.index.plots as index
    import planmon.monitor.plots as monitor

    text = DOC.read_text(encoding="utf-8")
    names = [n for m in (index, geo, monitor) for n in dir(m) if n.startswith("plot_")]
    assert len(names) >= 9
    assert [n for n in names if n not in text] == []
    for m in (index, geo, monitor):
        for n in dir(m):
            if n.startswith("plot_"):
                assert "Example::" in (getattr(m, n).__doc__ or ""), n
