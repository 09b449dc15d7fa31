"""The runnable examples in docstrings run (issue #18: public functions carry an example that works).

Examples that need a file or a database are marked ``+SKIP`` where they stand and run for real in
their own tests (the README example in test_readme.py, the ASEM ones in tests/index)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["planmon", "planmon.display", "planmon.frames", "planmon.framework.loader", "planmon.spreadsheet"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANMON_LANG", "zh")  # set_lang's example changes it; restored afterwards
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no runnable example"
