"""``import planmon`` stays light: no heavy library is loaded until a part that needs it is used.

Issue #18: ``import planmon`` took about 1 s (pandas, openpyxl, pydantic through the framework
loader). The public names are now imported on first use (module ``__getattr__``); this test fails
whenever an eager import of a heavy library creeps back, without measuring any time (the time is
in bench/import_time_bench.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
HEAVY = ("matplotlib", "scipy", "sklearn", "sqlalchemy", "fastapi", "weasyprint", "jieba", "docx")


def loaded_after(code: str) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport sys, json; print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "PYTHONPATH": str(SRC)},
                         capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_import_planmon_loads_no_heavy_library() -> None:
    loaded = loaded_after("import planmon")
    # not even pandas, numpy or pydantic: `import planmon` is the package's name space, nothing more
    assert loaded.isdisjoint({*HEAVY, "pandas", "numpy", "pydantic", "openpyxl", "yaml"}), sorted(loaded)


@pytest.mark.parametrize("module", ["planmon.index", "planmon.monitor", "planmon.framework", "planmon.display"])
def test_engines_load_no_plotting_web_or_database_library(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_a_lazy_name_is_loaded_on_first_use_and_only_its_part() -> None:
    loaded = loaded_after("import planmon\nplanmon.load_framework")
    assert "pydantic" in loaded and loaded.isdisjoint(HEAVY)
    loaded = loaded_after("import planmon\nplanmon.Store")
    assert "sqlalchemy" in loaded and loaded.isdisjoint({"matplotlib", "fastapi", "weasyprint", "jieba"})


def test_every_public_name_resolves() -> None:
    import planmon

    for name in planmon.__all__:
        assert getattr(planmon, name) is not None, name
    assert set(planmon.__all__) <= set(dir(planmon))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = planmon.nope  # type: ignore[attr-defined]
    from planmon import Framework, compare, load_framework

    assert load_framework.__module__.startswith("planmon.framework") and Framework.__name__ == "Framework"
    assert compare.__module__ == "planmon.index.comparison"
