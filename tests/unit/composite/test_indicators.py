"""composite/indicators.py: the composite index's input matrix, its labels and parameter checks.

Expected values are worked out by hand from data/observations.csv (arithmetic in the comments).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis_utils.composite import indicators
from analysis_utils.composite.index import (
    IndicatorMatrix,
)
from analysis_utils.data.load import load
from analysis_utils.errors import AnalysisError, ParameterError
from tests._support.composite import A, B, C, ordered
from tests._support.data import DISTRICTS


@pytest.fixture(scope="module")
def matrix(data):
    return indicators.indicator_matrix(data, DISTRICTS, 2015)


def test_indicator_matrix_sizes_totals_per_resident(matrix):
    v = matrix.values
    assert v.shape == (3, 11) and list(v.index) == DISTRICTS
    assert v.loc["武昌区", "high_tech_firms"] == pytest.approx(0.6548673, rel=1e-6)   # 74 / 113
    assert v.loc["武昌区", "gdp"] == pytest.approx(7.6991150, rel=1e-6)               # 870 / 113
    assert v.loc["武昌区", "academicians"] == pytest.approx(0.2389381, rel=1e-6)      # 27 / 113
    assert v.loc["南山区", "talent_national_1000"] == pytest.approx(1.1428571, rel=1e-6)  # 128 / 112
    assert v.loc["余杭区", "innovation_carriers"] == pytest.approx(3.0365247, rel=1e-6)  # 281 / 92.54
    # intensities enter as printed
    assert v.loc["武昌区", "rd_intensity"] == 3.1 and v.loc["余杭区", "invention_patents_per_10k"] == 5.4


def test_indicator_matrix_keeps_qualifiers(matrix):
    v, q = matrix.values, matrix.qualifier
    assert v.loc["南山区", "rd_expenditure"] == pytest.approx(1.7857143, rel=1e-6)  # '>200' / 112
    assert q.loc["南山区", "rd_expenditure"] == "gt"
    assert math.isnan(v.loc["余杭区", "rd_expenditure"]) and q.loc["余杭区", "rd_expenditure"] == "missing"
    assert q.loc["武昌区", "gdp"] == ""
    # directions from data/indicators.csv: all eleven are higher-is-better
    assert (matrix.direction == 1).all() and list(matrix.direction.index) == list(v.columns)


def test_indicator_matrix_skips_a_range(data_copy):
    import pandas as pd


    path = data_copy / "observations.csv"
    obs = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = (obs["entity"] == "武昌区") & (obs["indicator"] == "makerspaces")
    obs.loc[row, ["value", "value_high", "qualifier", "printed"]] = ["10", "12", "range", "10—12"]
    obs.to_csv(path, index=False, encoding="utf-8")
    m = indicators.indicator_matrix(load(data_copy), ["武昌区"], 2015)
    assert math.isnan(m.values.loc["武昌区", "makerspaces"]) and m.qualifier.loc["武昌区", "makerspaces"] == "missing"


def test_without_the_population_the_sized_values_are_missing(data):
    """武汉市 has no resident_population in the report: its per-resident values are missing (not an error that
    would stop every focus), its R&D intensity (一(二)3: 2.9%) enters as it is; 2014 has no 表2 at all."""
    m = indicators.indicator_matrix(data, ["武昌区", "武汉市"], 2015)
    assert m.values.loc["武汉市", indicators.PER_RESIDENT].isna().all()
    assert set(m.qualifier.loc["武汉市", indicators.PER_RESIDENT]) == {"missing"}
    assert m.values.loc["武汉市", "rd_intensity"] == 2.9
    assert indicators.indicator_matrix(data, ["武昌区"], 2014).values.isna().all(axis=None)  # 表2 is 2015 only


def test_composite_nominal_returns_its_warnings(matrix):
    # three districts: min-max puts the best at 1, the worst at 0 -> one DegenerateMethodWarning
    result, messages = indicators.composite_nominal(matrix, normalisation="minmax")
    assert len(messages) == 1 and "minmax" in messages[0]
    assert sorted(result.ranks.tolist()) == [1, 2, 3]
    _result, none = indicators.composite_nominal(matrix, normalisation="rank")
    assert none == []


def test_run_uncertainty_reports_each_warning_once(matrix):
    result, messages = indicators.run_uncertainty(matrix, 100, 1)
    assert len(messages) == len(set(messages)) >= 1  # minmax is drawn in many samples, reported once
    assert result.rank_frequency.shape == (3, 3)


def test_check_index_params():
    names = ["a", "b", "c", "d"]
    good = dict(normalisation="zscore", aggregation="geometric", censored="exclude", missing="median",
                n_samples=500, seed=3, weights="", indicators=names)
    out = indicators.check_index_params(**good)
    assert {k: out[k] for k in ("normalisation", "aggregation", "censored", "missing", "n_samples", "seed")} == \
        {"normalisation": "zscore", "aggregation": "geometric", "censored": "exclude", "missing": "median",
         "n_samples": 500, "seed": 3}
    assert out["weights"].tolist() == [0.25] * 4 and list(out["weights"].index) == names  # empty text = equal


@pytest.mark.parametrize("name, value", [("normalisation", "softmax"), ("aggregation", "median"),
                                         ("censored", "guess"), ("missing", "drop"), ("n_samples", 99),
                                         ("n_samples", 1_000_001), ("seed", -1)])
def test_check_index_params_names_the_bad_one(name, value):
    args = dict(normalisation="minmax", aggregation="arithmetic", censored="bound", missing="mean",
                n_samples=1000, seed=0, weights="", indicators=["a", "b"]) | {name: value}
    with pytest.raises(ParameterError) as err:
        indicators.check_index_params(**args)
    assert err.value.name == name


def test_matrix_type(matrix):
    assert isinstance(matrix, IndicatorMatrix)
    assert np.isfinite(matrix.values.to_numpy(dtype=float)).sum() == 33 - 3  # 余杭区: output, R&D, R&D share '-'


def test_weights_table_shows_nominal_weights_and_those_in_use():
    """Nominal 1/2, 1/4, 1/4; the treatment drops b, so a and c are renormalised to 2/3 and 1/3 (worked by hand)."""
    import pandas as pd

    from analysis_utils.composite.indicators import weights_table

    nominal = pd.Series({"a": 0.5, "b": 0.25, "c": 0.25})
    in_use = pd.Series({"a": 2 / 3, "c": 1 / 3})
    table = weights_table(nominal, in_use)
    assert list(table.columns) == ["indicator", "nominal_weight", "weight_in_use"]
    assert table.to_dict("list") == {"indicator": ["a", "b", "c"], "nominal_weight": [0.5, 0.25, 0.25],
                                     "weight_in_use": [2 / 3, 0.0, 1 / 3]}


def test_index_inputs_count_the_indicators_and_say_who_is_ranked(data):
    # 2015: 武昌区 and 南山区 have all 11 indicators, 余杭区 8 (3 gaps); with min_coverage 1 only 余杭区 is
    # left out of the ranking (and still shown)
    t = indicators.index_inputs(data, DISTRICTS, 2015, min_coverage=1.0)
    assert list(t.index) == DISTRICTS and list(t.columns) == indicators.INDICATORS + ["n_values", "ranked",
                                                                                        "source_ids", "bounds"]
    assert t["source_ids"].tolist() == ["", "", ""]  # the report's own numbers
    # 南山's R&D expenditure is printed >200 (亿元): per 10,000 residents a lower bound, said in the table (a CSV
    # reader saw 1.786 where the page shows ≥1.786); 余杭's three '-' are missing, not bounds
    assert t["bounds"].tolist() == ["", "rd_expenditure:lower", ""]
    assert t["n_values"].tolist() == [11, 11, 8] and t["ranked"].tolist() == [True, True, False]
    # 74/113, 1641/112, 338/92.54
    assert t["high_tech_firms"].tolist() == pytest.approx([0.6548673, 14.651786, 3.6524746], rel=1e-6)
    # The default threshold ranks all three.
    assert indicators.index_inputs(data, DISTRICTS, 2015)["ranked"].tolist() == [True, True, True]


def test_focus_exactly_at_min_coverage_is_ranked():
    from analysis_utils.composite.indicators import _ranked

    shares = pd.Series({A: 0.5, B: 0.25, C: 1.0})
    assert _ranked([A, B, C], shares, 0.5) == [A, C]  # at the threshold counts; below does not


def test_run_uncertainty_passes_its_options_to_monte_carlo():
    from analysis_utils.composite.indicators import run_uncertainty

    result, _warnings = run_uncertainty(ordered(), 20, 1, aggregations=("geometric",), drop_indicators=False)
    assert result.levels["aggregation"] == ["geometric"] and result.levels["dropped_indicator"] == ["none"]


def test_index_inputs_read_the_year_asked(data):
    from analysis_utils.composite.indicators import index_inputs

    # the report gives the 11 indicators of 表2/表3, and the population that sizes them, for 2015 only; 表2 prints
    # "-" for three of Yuhang's (high-tech output, R&D expenditure, R&D intensity): 8 of 11, still >= one half
    districts = ["武昌区", "南山区", "余杭区"]
    y2015 = index_inputs(data, districts, 2015)
    assert y2015["n_values"].tolist() == [11, 11, 8] and y2015["ranked"].tolist() == [True] * 3
    y2014 = index_inputs(data, districts, 2014)  # no 表2 in 2014: nothing to rank, every district shown
    assert y2014["n_values"].tolist() == [0, 0, 0] and y2014["ranked"].tolist() == [False] * 3


# ---------------------------------------------------------------------------- thin data: shown, not ranked
def test_entities_below_the_coverage_threshold_are_shown_not_ranked(data):
    from analysis_utils.composite import indicators
    from analysis_utils.report.report_tables import snapshot_for_index

    districts = ["武昌区", "南山区", "余杭区"]
    # 余杭区 has 8 of the 11 indicators: 8/11 = 0.727 ≥ 0.5 (default) but < 0.8
    assert list(indicators.indicator_matrix(data, districts, 2015, min_coverage=0.5).values.index) == districts
    assert list(indicators.indicator_matrix(data, districts, 2015, min_coverage=0.8).values.index) == districts[:2]
    table = snapshot_for_index(data, districts, 2015, "en", min_coverage=0.8)
    assert table.iloc[:, -2:].values.tolist() == [["11/11", "yes"], ["11/11", "yes"], ["8/11", "no"]]
    # a thin focus is shown, not ranked, and the index is relative to the first ranked entity instead
    thin_focus = indicators.indicator_matrix(data, ["余杭区", "武昌区", "南山区"], 2015, min_coverage=0.8)
    assert list(thin_focus.values.index) == ["武昌区", "南山区"]
    assert indicators.reference(thin_focus, "余杭区") == "武昌区"
    assert indicators.reference(thin_focus, "南山区") == "南山区"
    with pytest.raises(AnalysisError, match="only 1 of the entities .* reach min_coverage 80%.*余杭区 73%"):
        indicators.indicator_matrix(data, ["余杭区", "武昌区"], 2015, min_coverage=0.8)


def test_the_index_inputs_name_their_sources_cell_by_cell_and_per_row(replaced_data):
    """SYNTHETIC additions (examples/synthetic-district, source synthetic_bulletin) and a replaced 武昌区 GDP (880
    for 870): the cells computed from them name the source, the report's cells ''; each row lists its sources."""
    entities = ["武昌区", "南山区", "示例区"]
    cells = indicators.index_sources(replaced_data, entities, 2015)
    assert cells.loc["武昌区", "gdp"] == "synthetic_bulletin"  # 880 / 113
    assert (cells.loc["武昌区"].drop("gdp") == "").all() and (cells.loc["南山区"] == "").all()
    assert cells.loc["示例区", "high_tech_firms"] == "synthetic_bulletin"  # 60 / 73
    assert cells.loc["示例区", "high_tech_output"] == ""  # the example has none: no number, nobody's
    inputs = indicators.index_inputs(replaced_data, entities, 2015)
    assert inputs["source_ids"].tolist() == ["synthetic_bulletin", "", "synthetic_bulletin"]
    assert inputs.loc["示例区", "high_tech_firms"] == pytest.approx(0.8219178, rel=1e-6)  # 60 / 73
    assert inputs.loc["武昌区", "gdp"] == pytest.approx(7.7876106, rel=1e-6)  # 880 / 113


def test_every_result_rests_on_the_sources_of_every_input():
    """A user's number under any district moves every score and rank (normalisation compares the districts): the
    results' sources are all the inputs' sources, each once, in join_source_ids' order; none for the report's."""
    import pandas as pd

    inputs = pd.DataFrame({"source_ids": ["", "b", "a;b", ""], "ranked": [True] * 4},
                          index=["武昌区", "示例区", "其他区", "南山区"])
    assert indicators.results_source_ids(inputs) == "a;b"
    assert indicators.results_source_ids(inputs.assign(source_ids="")) == ""
    # a thin district, shown but not ranked, enters no result: its source marks nothing
    assert indicators.results_source_ids(inputs.assign(ranked=[True, False, False, True])) == ""
    assert indicators.results_source_ids(inputs.assign(ranked=[True, True, False, True])) == "b"


def test_a_treatment_record_row_rests_on_the_cells_it_was_made_from(example_data):
    """A newcomer found every row of composite_treatment_record credited to their source, Nanshan's printed bound
    (>200, the report's) included. By hand, on the worked example (SYNTHETIC 示例区: gdp, firms, makerspaces,
    academicians, R&D intensity and patents from synthetic_bulletin): 南山区's R&D expenditure bound is its own cell
    (the report's: ''); 余杭区's R&D intensity, imputed as the mean of the other three, rests on 示例区's
    (synthetic_bulletin); 示例区's imputed high-tech output, the mean of 武昌区's and 南山区's, on the report's ('')."""
    entities = ["示例区", "武昌区", "南山区", "余杭区"]
    matrix = indicators.indicator_matrix(example_data, entities, 2015, min_coverage=0.5)
    nominal, _ = indicators.composite_nominal(matrix, normalisation="ratio", aggregation="geometric", weights=None,
                                              censored="bound", missing="mean", reference="示例区")
    ids = indicators.record_source_ids(nominal.record, indicators.index_sources(example_data, entities, 2015))
    by_row = dict(zip(zip(nominal.record["entity"], nominal.record["indicator"]), ids))
    assert by_row[("南山区", "rd_expenditure")] == ""
    assert by_row[("余杭区", "rd_intensity")] == "synthetic_bulletin"
    assert by_row[("示例区", "high_tech_output")] == ""
    assert set(ids) == {"", "synthetic_bulletin"}
