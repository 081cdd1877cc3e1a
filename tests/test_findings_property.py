"""Generated sentences agree with the tables they summarise, for every district as focus, in both languages.

The districts are the report's three plus a SYNTHETIC fourth that leads 武昌区 on some indicators (×2) and trails
it on others (×0.25, ×0.5), so every focus meets peers it leads and peers it trails. The expected values are worked
out here from the observations (peer value / focus value), not read from the code under test:
- a printed multiple is a lead, so it is ≥ 1: the peer's widest lead is its largest ratio above 1, the focus's
  widest lead is 1 / the smallest ratio below 1;
- the growth the focus needs exists only where the peer leads: r^(1/N) − 1 > 0 with N = 2020 − 2015;
  where the focus leads, the gap table has no required growth and no "years to close" (not −46 %, not 0).
"""
from __future__ import annotations

import re

import pytest
from conftest import SYNTHETIC_DISTRICT, add_synthetic_district
from test_findings import close, has_percent, numbers

from analysis_utils.analysis import compare, growth
from analysis_utils.data.load import load
from analysis_utils.labels import in_sentence
from analysis_utils.report import findings
from analysis_utils.report.names import entity_names, indicator_names, label_rows
from analysis_utils.report.report_tables import gap_view

LANGS = ("zh", "en")
# 武昌区 × 2 everywhere except: firms and makerspaces × 0.25, invention patents per 10k × 0.5, and R&D
# intensity × 1 (R&D and GDP are both doubled, so their quotient is unchanged).
SCALES = {"high_tech_firms": 0.25, "makerspaces": 0.25, "invention_patents_per_10k": 0.5, "rd_intensity": 1.0}
DISTRICTS = ["武昌区", "南山区", "余杭区", SYNTHETIC_DISTRICT]


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    import shutil

    from analysis_utils.paths import DATA_DIR

    target = tmp_path_factory.mktemp("four") / "data"
    shutil.copytree(DATA_DIR, target)
    add_synthetic_district(target, scale=2.0, scales=SCALES)
    return load(target)


def hand_ratios(data, focus, peer):
    """indicator -> (peer / focus, bound of that ratio) from the observations of 2015; missing values left out.

    A peer's lower bound over an exact focus value is a lower bound of the ratio; an exact peer value over a
    focus lower bound (南山区's R&D '>200' as focus) is an upper bound of the ratio.
    """
    obs = data.observations
    obs = obs[(obs["year"] == 2015) & obs["indicator"].isin(compare.EXTENSIVE_INDICATORS + compare.INTENSIVE_INDICATORS)]
    f = obs[obs["entity"] == focus].set_index("indicator")
    p = obs[obs["entity"] == peer].set_index("indicator")
    kind = data.qualifier_table.kind
    out = {}
    for indicator in f.index.intersection(p.index):
        kf, kp = kind(f.at[indicator, "qualifier"]), kind(p.at[indicator, "qualifier"])
        if "missing" in (kf, kp) or (kf != "exact" and kp != "exact"):
            continue
        bound = kp if kf == "exact" else {"lower": "upper", "upper": "lower"}[kf]
        out[indicator] = (float(p.at[indicator, "value"]) / float(f.at[indicator, "value"]), bound)
    return out


def number_after(sentence: str, label: str, lang: str) -> tuple[float, int, bool]:
    """The first number after ``label`` where it is followed by its separator ('，' / ', ')."""
    marker = in_sentence(label, lang) + ("，" if lang == "zh" else ", ")  # a name inside a sentence: lower-cased
    assert marker in sentence, (label, sentence)
    return numbers(sentence[sentence.index(marker) + len(marker):])[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("focus", DISTRICTS)
def test_ratio_sentences_call_a_lead_a_lead(four, focus, lang):
    peers = [d for d in DISTRICTS if d != focus]
    ratios = label_rows(compare.table2_ratios(four, focus, peers, 2015), four, lang)
    names = entity_names(four, lang)
    labels = indicator_names(four, lang)
    sentences = findings.ratio_extremes(ratios, names[focus], lang)
    assert len(sentences) == len(peers)
    for peer, sentence in zip(peers, sentences):
        assert sentence.startswith(names[peer]), sentence
        hand = hand_ratios(four, focus, peer)
        ahead = {i: r for i, (r, bound) in hand.items() if r > 1 and bound in ("exact", "lower")}
        behind = {i: r for i, (r, bound) in hand.items() if r < 1 and bound in ("exact", "upper")}
        # every multiple printed (a number with a decimal) is a lead, so at least 1
        multiples = [v for v, d, p in numbers(sentence) if d > 0 and not p]
        assert multiples and all(v >= 1 for v in multiples), sentence
        assert len(multiples) == (1 if ahead else 0) + (1 if behind else 0), sentence
        counts = sorted(int(v) for v, d, p in numbers(sentence) if d == 0 and not p)
        assert len(ahead) in counts and len(behind) in counts, (sentence, len(ahead), len(behind))
        if ahead:
            widest = max(ahead, key=ahead.get)
            assert close(number_after(sentence, labels[widest], lang), ahead[widest]), (sentence, widest)
        if behind:
            widest = min(behind, key=behind.get)
            assert close(number_after(sentence, labels[widest], lang), 1 / behind[widest]), (sentence, widest)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("focus", DISTRICTS)
def test_gap_sentences_and_table_never_ask_a_leader_to_catch_up(four, focus, lang):
    peers = [d for d in DISTRICTS if d != focus]
    names = entity_names(four, lang)
    table = label_rows(growth.gap_table(four, focus, peers, 2015, 2020,
                                        focus_growth=growth.historical_growth(four, focus)), four, lang)
    # the table: no required growth, no years where the focus leads; positive growth where the peer leads
    leads = table[table["position"] == "leads"]
    trails = table[table["position"] == "trails"]
    assert leads["required_growth"].isna().all() and leads["years_to_close"].isna().all()
    assert (leads["ratio"] <= 1).all() and (trails["ratio"] > 1).all()
    assert (trails["required_growth"] > 0).all()
    view = gap_view(table, lang)
    assert not (view.select_dtypes("number") < 0).any().any()  # nothing negative is shown to a reader
    sentences = findings.gaps(table, 2020, lang, focus=names[focus])
    for peer in peers:
        about = [s for s in sentences if names[peer] in s]
        rows = table[table["entity"] == peer]
        hand = hand_ratios(four, focus, peer)
        # the raw Table 2 rows of the gap table are the hand ratios: same direction, same values
        raw = rows[rows["denominator"] == "total"].set_index("indicator")
        for indicator, (r, bound) in hand.items():
            expected = "trails" if r > 1 and bound in ("exact", "lower") else \
                "leads" if r <= 1 and bound in ("exact", "upper") else "unknown"
            assert raw.at[indicator, "position"] == expected, (focus, peer, indicator, r, bound)
            assert raw.at[indicator, "ratio"] == pytest.approx(r)
        if (rows["position"] == "trails").any():
            # hardest: (largest trailing ratio)^(1/5) − 1, easiest: (smallest)^(1/5) − 1, in %
            trailing = rows.loc[rows["position"] == "trails", "ratio"]
            assert any(has_percent(s, (trailing.max() ** 0.2 - 1) * 100) and
                       has_percent(s, (trailing.min() ** 0.2 - 1) * 100) for s in about), about
        for s in about:
            assert not re.search(r"-\d", s), s  # never a negative growth
        n = int((rows["position"] == "leads").sum())
        if n:
            assert any(names[focus] in s and n in [int(v) for v, d, p in numbers(s) if d == 0] for s in about), about
        else:
            assert not any(names[focus] in s for s in about), about
