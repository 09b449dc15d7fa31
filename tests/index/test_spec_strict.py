"""Strict spec validation (issue #16): every broken spec in tests/index/broken gives exactly its errors.

Before issue #16 unknown keys under ``weights:`` and ``scorer:`` passed silently, so a typo
(``shfit``) silently changed the weights. Each file below holds known mistakes; the test
asserts the exact set of (path, code) found, no more and no fewer, in both languages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from planmon.cli import app
from planmon.index import parse_spec
from planmon.index.errors import IndexInputError, SpecError

BROKEN = Path(__file__).parent / "broken"

# file -> every (path, code) it must report, and nothing else
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "typos.yaml": {
        ("normalize", "unknown_key"),
        ("weights.1.shfit", "unknown_key"),
        ("scorer.min_eigne", "unknown_key"),
    },
    "unknown_methods.yaml": {
        ("normalise", "unknown_method"),
        ("weights.method", "unknown_method"),
        ("aggregate.3", "unknown_method"),
    },
    "bad_values.yaml": {
        ("treat.winmax", "bad_value"),
        ("treat.fallback", "bad_value"),
        ("weights.periods", "bad_value"),
        ("weights.epsilon_at", "bad_value"),
        ("normalise.range", "bad_value"),
    },
    "nested.yaml": {
        ("transform.indicators.x1.shfit", "unknown_key"),
        ("transform.indicators.x2", "unknown_method"),
        ("weights.of[0].epsilom", "unknown_key"),
        ("scorer.retain.rule", "bad_value"),
        ("scorer.retain.kk", "unknown_key"),
    },
    "uncertainty.yaml": {
        ("uncertainty.weigths", "unknown_key"),
        ("uncertainty.treat.winmx", "unknown_key"),
        ("uncertainty.normalise[1].mena", "unknown_key"),
    },
    "levels_and_params.yaml": {
        ("weights.two", "unknown_key"),
        ("aggregate.dat_thresh.x", "unknown_key"),
        ("normalise.mean", "unknown_key"),  # a zscore parameter: min–max would silently ignore it
        ("rescale.level", "unknown_key"),
    },
    "top_level.yaml": {
        ("sensitivity", "unknown_key"),
        ("name", "bad_value"),
        ("impute.max_time", "unknown_key"),  # only `latest` reads max_time
    },
}

# the "did you mean" each typo must get
SUGGESTIONS = {"normalize": "normalise", "weights.1.shfit": "shift", "scorer.min_eigne": "min_eigen",
               "transform.indicators.x1.shfit": "shift", "weights.of[0].epsilom": "epsilon", "scorer.retain.kk": "k",
               "uncertainty.weigths": "weights", "uncertainty.treat.winmx": "treat.winmax",
               "uncertainty.normalise[1].mena": "mean", "normalise": "minmax", "weights.method": "entropy",
               "rescale.level": "levels"}


def test_every_broken_spec_is_listed() -> None:
    assert {p.name for p in BROKEN.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_spec_reports_exactly_its_errors(name: str) -> None:
    with pytest.raises(SpecError) as exc:
        parse_spec(BROKEN / name)
    got = {(i.path, i.code) for i in exc.value.issues}
    assert got == EXPECTED[name]
    for issue in exc.value.issues:
        zh, en = issue.message.zh, issue.message.en
        assert zh and en and zh != en
        assert issue.path in zh and issue.path in en  # every message names where
        if issue.path in SUGGESTIONS:
            want = SUGGESTIONS[issue.path]
            assert f"did you mean {want}?" in en and f"是否想写 {want}？" in zh


def test_spec_error_is_an_index_input_error_listing_all() -> None:
    with pytest.raises(IndexInputError) as exc:
        parse_spec(BROKEN / "typos.yaml")
    assert len(exc.value.messages) == 3


def test_a_typo_under_weights_no_longer_changes_results_silently() -> None:
    # the three keys named in issue #16
    for spec in ({"weights": {"method": "entropy", "shfit": 0.01}},
                 {"scorer": {"method": "pca", "min_eigne": 1}},
                 {"weights": {"method": "meta", "bogus": 1}}):
        with pytest.raises(SpecError):
            parse_spec(spec)


def test_valid_specs_still_pass() -> None:
    parse_spec({"weights": {1: {"method": "entropy", "epsilon": 0.01, "epsilon_at": "share", "standardise": "none"},
                            2: "equal"},
                "normalise": {"method": "zscore", "mean": 10, "sd": 2},
                "transform": {"indicators": {"x1": {"fn": "log", "shift": "min", "c": 1}}, "when": {"skew": 1, "type": 2},
                              "apply": "log1p"},
                "scorer": {"method": "pca", "retain": {"rule": "max", "min_eigen": 1, "cum_share": 0.8}},
                "rescale": {"range": [0, 100], "pooled": False, "levels": "all"},
                "uncertainty": {"treat.winmax": [1, 2]}, "treat": "winsorise"})


def test_cli_lists_every_error_with_its_path_in_the_chosen_language(asem_paths: tuple[Path, Path]) -> None:
    for lang, needle in (("en", "did you mean shift?"), ("zh", "是否想写 shift？")):
        r = CliRunner().invoke(app, ["--lang", lang, "index", "--data", str(asem_paths[0]), "--meta", str(asem_paths[1]),
                                     "--spec", str(BROKEN / "typos.yaml")])
        assert r.exit_code == 1
        out = " ".join(r.output.split())
        assert "weights.1.shfit" in out and "scorer.min_eigne" in out and "normalize" in out and needle in out


def test_checks_that_need_the_tree_name_their_path(asem: tuple) -> None:  # type: ignore[type-arg]
    from planmon.index import run_index

    with pytest.raises(SpecError) as exc:
        run_index(*asem, {"screen": {"min_availability": 0.5, "force": {"CHEE": True}},
                          "normalise": {"method": "goalposts", "posts": {"LPl": [1, 5]}},
                          "weights": {1: {"method": "manual", "values": {"Goods": 2, "Servces": 1}}, 7: "equal",
                                      3: {"method": "ahp", "matrices": {"Indx": [[1, 2], [0.5, 1]]}}},
                          "aggregate": {9: "geometric"},
                          "transform": {"indicators": {"LPl": "log"}}, "treat": {"method": "winsorise", "exclude": ["Flight"]}})
    got = {(i.path, i.code) for i in exc.value.issues}
    assert got == {("weights.7", "unknown_level"), ("aggregate.9", "unknown_level"),
                   ("transform.indicators.LPl", "unknown_indicator"), ("normalise.posts.LPl", "unknown_indicator"),
                   ("treat.exclude", "unknown_indicator"), ("screen.force.CHEE", "unknown_unit"),
                   ("weights.1.values.Servces", "unknown_node"), ("weights.3.matrices.Indx", "unknown_parent")}
    en = " ".join(i.message.en for i in exc.value.issues)
    for hint in ("did you mean LPI?", "did you mean Flights?", "did you mean CHE?", "did you mean Services?",
                 "did you mean Index?"):
        assert hint in en
