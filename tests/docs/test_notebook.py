"""docs/notebooks/analyst.ipynb: stored without outputs, executed end to end by nbclient (issue 18).

The executed copy and every figure (PNG) are kept as CI artefacts in ``build/notebook/`` (git-ignored),
so a reviewer can look at the figures of the run that passed. The kernel is ipykernel's native
``python3`` kernel, which runs ``sys.executable`` (this venv's python); ``PYTHONPATH`` points it at this
checkout's ``src`` — the shared development venv's editable install may point at another checkout, and
the notebook must show this one's code. ``scripts/notebook.sh`` runs the same execution by hand.
"""

from __future__ import annotations

import base64
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.conftest import ROOT, SHARED

NOTEBOOK = ROOT / "docs" / "notebooks" / "analyst.ipynb"
ARTEFACTS = ROOT / "build" / "notebook"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL_TIMEOUT = 600  # seconds per cell: a loaded 2-core CI machine, not a performance bound


# A last cell, removed from the saved copy: every figure the notebook displayed (IPython keeps them in ``Out``) is
# checked for a Chinese title, and every text on it for its font: the font matplotlib picks for the text must
# hold a glyph for each of its characters (else the reader sees boxes, "tofu").
AUDIT = r"""
import json
from pathlib import Path
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

def _cjk(s):
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)

_cmaps = {}
def _glyphs(path):
    if path not in _cmaps:
        font = TTFont(path, fontNumber=0, lazy=True)
        _cmaps[path] = set(font.getBestCmap())
    return _cmaps[path]

_report = []
for _n, _fig in sorted(Out.items()):
    if not isinstance(_fig, Figure):
        continue
    _fig.canvas.draw()  # tick labels exist only once drawn
    _titles = [_fig._suptitle.get_text()] if _fig._suptitle is not None else []
    _titles += [ax.get_title(loc) for ax in _fig.axes for loc in ("center", "left", "right")]
    _titles = [t for t in _titles if t]
    _tofu = []
    for _t in _fig.findobj(Text):
        _s = _t.get_text()
        if not _s.strip() or not _t.get_visible():
            continue
        _path = font_manager.findfont(_t.get_fontproperties(), fallback_to_default=True)
        _missing = sorted({ch for ch in _s if not ch.isspace() and ord(ch) not in _glyphs(_path)} - set("$^_{}\\"))
        if _missing:
            _tofu.append({"text": _s, "font": Path(_path).name, "missing": "".join(_missing)})
    _report.append({"out": _n, "titles": _titles, "chinese_title": any(_cjk(t) for t in _titles), "tofu": _tofu})
print(json.dumps(_report, ensure_ascii=False))
"""


def _cell(nb: nbformat.NotebookNode, cell_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.get("id") == cell_id)


def _text(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def test_stored_without_outputs() -> None:
    """The notebook in git is source only: no outputs, no execution counts, no widget state (small, clean diffs)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    dirty = [c.get("id") for c in nb.cells if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"cells stored with outputs: {dirty} (clear them before committing)"
    assert set(nb.metadata) <= {"kernelspec", "language_info"}, sorted(nb.metadata)
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_finding_shared_fails_clearly(tmp_path: Path) -> None:
    """Without ../shared the notebook stops at once, saying where it looked and why (zh and en)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    scope: dict[str, object] = {}
    exec(compile(_cell(nb, "find-shared").source, "find-shared", "exec"), scope)
    repo = tmp_path / "a" / "b" / "planmon"
    repo.mkdir(parents=True)
    with pytest.raises(FileNotFoundError) as err:
        scope["find_shared"](repo)  # type: ignore[operator]
    msg = str(err.value)
    assert "../shared" in msg and "未找到" in msg and "not found" in msg and str(repo.parent / "shared") in msg
    # a worktree one level deeper (wt/NAME) finds it one more level up, as tests/conftest.py does
    (tmp_path / "a" / "shared").mkdir()
    assert scope["find_shared"](repo) == tmp_path / "a" / "shared"  # type: ignore[operator]


@pytest.mark.slow
def test_notebook_executes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell runs without error in a fresh kernel on this checkout's code; figures saved as artefacts."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # a first cell, removed from the saved copy, that tells which python and which planmon the kernel runs
    probe = nbformat.v4.new_code_cell("import sys, planmon\nprint(sys.executable)\nprint(planmon.__file__)", id="ci-probe")
    nb.cells.insert(0, probe)
    audit = nbformat.v4.new_code_cell(AUDIT, id="ci-figure-audit")
    nb.cells.append(audit)
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    client = NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT, startup_timeout=180, allow_errors=False,
                            resources={"metadata": {"path": str(tmp_path)}})  # cwd of the kernel: a temp dir
    error: CellExecutionError | None = None
    try:
        client.execute()
    except CellExecutionError as exc:
        error = exc
    finally:
        nb.cells.remove(probe)
        nb.cells.remove(audit)
        figures = save_artefacts(nb, ARTEFACTS)
        print(f"\nexecuted notebook and {len(figures)} figure(s) in {ARTEFACTS}")
    if error is not None:
        failed = next((n for n, c in enumerate(nb.cells)
                       if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        where = f" at cell {nb.cells[failed].get('id')!r} ({failed + 1} of {len(nb.cells)})" if failed is not None else ""
        # the error names the cell's source and its traceback (ANSI colours removed)
        pytest.fail(f"the notebook failed{where}; executed copy in {ARTEFACTS}\n{ANSI.sub('', str(error))}", pytrace=False)
    exe, src = _text(probe).split()[:2]
    assert Path(exe).resolve() == Path(sys.executable).resolve(), f"kernel python {exe}, not {sys.executable}"
    assert Path(src).resolve().is_relative_to(ROOT / "src"), f"kernel ran planmon from {src}, not {ROOT / 'src'}"
    assert _text(_cell(nb, "find-shared-run")).strip().endswith(str(SHARED)), "the notebook found another ../shared"
    assert figures, "the notebook drew no figure"
    shown = json.loads(_text(audit))
    cells = {c.get("execution_count"): c.get("id") for c in nb.cells if c.cell_type == "code"}
    assert len(shown) == len(figures), f"{len(figures)} PNG outputs but {len(shown)} figures displayed as a cell's result"
    untitled = [(cells.get(f["out"]), f["titles"]) for f in shown if not f["chinese_title"]]
    assert not untitled, f"figures without a Chinese title (cell, titles): {untitled}"
    tofu = [(cells.get(f["out"]), f["tofu"]) for f in shown if f["tofu"]]
    assert not tofu, f"text drawn in a font without its glyphs (boxes): {tofu}"


def save_artefacts(nb: nbformat.NotebookNode, out: Path) -> list[Path]:
    """Write the executed notebook and each PNG output (``NN-<cell id>-K.png``, NN the cell's position)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    nbformat.write(nb, out / NOTEBOOK.name)
    saved = []
    for n, cell in enumerate(nb.cells):
        k = 0
        for o in cell.get("outputs", []):
            png = o.get("data", {}).get("image/png") if o.get("output_type") in ("display_data", "execute_result") else None
            if png:
                k += 1
                path = out / f"{n:02d}-{cell.get('id', 'cell')}-{k}.png"
                path.write_bytes(base64.b64decode(png))
                saved.append(path)
    return saved
