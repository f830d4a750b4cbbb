"""Claim cards, chart helpers and the doctests of the reader modules."""

import doctest
import re

import numpy as np
import pandas as pd
import pytest

from reformbook import claims, figures, tables


@pytest.mark.parametrize("module", [tables, claims, figures])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


def test_badge_says_by_how_much_and_refuses_unknown_verdicts():
    assert claims.badge("inconsistent", "off by 4 places") == "inconsistent, off by 4 places"
    assert claims.badge("not checkable", "ignored") == "not checkable"
    with pytest.raises(ValueError, match="verdict 'maybe' is not one of"):
        claims.badge("maybe")


SRC = pd.DataFrame({"source_id": ["s1", "s2"], "publisher": ["Báo A", "Báo B"], "title": ["Tin <1>", "Tin 2"],
                    "url": ["https://a.example/1", ""], "date_published": ["2024-01-02", ""]})


def five_claims():
    verdicts = ["consistent", "inconsistent", "not checkable", "consistent", "inconsistent"]
    return pd.DataFrame({
        "claim_id": [f"C{i}" for i in range(5)], "source_id": ["s1", "s1", "s2", "s2", "s1"],
        "province_code": ["79"] * 5, "claim": [f"Claim {i}" for i in range(5)], "verdict": verdicts,
        "computation": ["1 + 1 = 2"] * 5, "gap": ["", "off by 4 places", "", "", "off by 1"],
        "why": ["Because."] * 5,
        "badge": [claims.badge(v, g) for v, g in zip(verdicts, ["", "off by 4 places", "", "", "off by 1"])],
        "figures": [[{"label": "Dossiers", "level": "all", "period": "2023", "value": 22500000.0,
                      "is_approx": True, "source_id": "s1", "province": "TP. Hồ Chí Minh"},
                     {"label": "Rank", "level": "province", "period": "2022", "value": 24.0,
                      "is_approx": False, "source_id": "s2", "province": "Hà Nội"}]] * 5,
    })


def test_cards_keep_the_markup_contract():
    h = claims.cards_html(five_claims(), SRC)
    cards = re.findall(r'<article class="claim-card[^"]*".*?</article>', h)
    assert len(cards) == 5
    for card in cards:
        badges = re.findall(r'class="verdict-badge[^"]*">([^<]*)<', card)
        assert len(badges) == 1 and badges[0].startswith(("consistent", "inconsistent", "not checkable"))
    assert "inconsistent, off by 4 places" in h
    assert '<a href="https://a.example/1">Tin &lt;1&gt;</a>' in h  # titles linked and escaped
    assert "Dossiers, 2023: about 22,500,000" in h and "Rank, 2022: 24" in h
    assert "undated" in h


def test_cards_for_no_claims_say_so():
    assert "No claims" in claims.cards_html(five_claims().iloc[0:0], SRC)


def test_every_real_claim_has_a_badge_a_reason_and_its_sources():
    led = claims.ledger()
    assert led.badge.str.match(r"^(consistent|inconsistent|not checkable)").all()
    assert (led.why.str.len() > 10).all()
    assert all(c in ids for c, ids in zip(led.source_id, led.source_ids))
    assert not led.computation.str.contains(r"_(?:count|rank|pct)\b").any()  # no metric ids for readers


def test_ordered_sources_puts_highlighted_first():
    assert figures.ordered_sources(["z", "b", "a"], first=["z", "q"]) == ["z", "a", "b"]


def ranks_frame():
    return pd.DataFrame({
        "province_code": ["01", "01", "01", "79", "79"], "province": ["Hà Nội"] * 3 + ["TP. Hồ Chí Minh"] * 2,
        "year": [2018, 2020, 2021, 2018, 2019], "score": [np.nan, 80.0, 81.0, 82.0, 83.0],
        "rank": [2.0, 5.0, np.nan, 10.0, 7.0], "disputed": [True, False, True, False, False],
        "source_ids": [("s1", "s2"), ("s1",), ("s2", "s3"), ("s4",), ("s4",)],
    })


def test_plot_ranks_returns_chart_table_and_sources(monkeypatch):
    monkeypatch.setattr(figures, "cite", lambda ids, first=(), limit=4: "Sources: test")
    chart, table, ids = figures.plot_ranks(ranks_frame(), ["01"], "PAR Index")
    assert isinstance(chart, figures.Chart) and chart.png.startswith(b"\x89PNG")
    assert "Hà Nội: 2018 rank 2 (score disputed), 2020 rank 5" in chart.alt
    assert list(table.province_code.unique()) == ["01"]
    assert ids[:3] == ["s1", "s2", "s3"] and ids[-1] == "s4"  # highlighted province's sources first
    data, meta = chart._repr_mimebundle_()
    assert meta["image/png"]["alt"] == chart.alt


def test_plot_ranks_breaks_lines_at_a_missing_edition(monkeypatch):
    """2018 → 2020 for Hà Nội must not be one segment: 2019 is a gap."""
    monkeypatch.setattr(figures, "cite", lambda ids, first=(), limit=4: "")
    drawn = []
    real = figures.plt.Axes.plot

    def spy(self, x, y, *a, **k):
        drawn.append((list(x), list(y), k.get("lw")))
        return real(self, x, y, *a, **k)

    monkeypatch.setattr(figures.plt.Axes, "plot", spy)
    figures.plot_ranks(ranks_frame(), ["01"], "PAR Index")
    line = next(d for d in drawn if d[2] == 2.4)
    assert line[0] == [2018, 2019, 2020, 2021]
    assert np.isnan(line[1][1]) and np.isnan(line[1][3])


def test_chart_html_keeps_alt_text():
    c = figures.Chart(b"\x89PNG", 'Rank "3"', "t")
    assert 'alt="Rank &quot;3&quot;"' in c.html() and "data:image/png;base64," in c.html()
