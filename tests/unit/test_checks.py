"""The findings, each written once: agreement at published precision, parts vs total, rank vs score order."""

import pandas as pd
import pytest

from reformbook import checks


@pytest.mark.parametrize("a,b,agree", [
    (("41.6286", False), ("41.629", False), True),      # same figure, rounded by one source
    (("91.81", False), ("91.87", False), False),
    (("83.9", False), ("83.98", False), False),
    (("37000", True), ("37649", False), True),          # 'hơn 37.000' and 37,649
    (("37000", True), ("38649", False), False),
    (("22600000", True), ("22587000", False), True),    # 'gần 22,6 triệu'
    (("7", False), ("8", False), False),                # ranks
    (("2000", False), ("2049", False), False),          # an exact whole number is precise to 1
])
def test_agree_at_the_coarser_precision(a, b, agree):
    (ta, qa), (tb, qb) = a, b
    sa, sb = checks.precision_step(ta, qa), checks.precision_step(tb, qb)
    assert checks.agree(float(ta), sa, qa, float(tb), sb, qb) is agree
    assert checks.agree(float(tb), sb, qb, float(ta), sa, qa) is agree


def frame(rows):
    cols = ["province_code", "units", "metric", "level", "period", "value", "source_id", "step", "is_approx"]
    df = pd.DataFrame(rows, columns=cols[: len(rows[0])])
    for c, d in (("units", "63"), ("step", 0.01), ("is_approx", False)):
        if c not in df:
            df[c] = d
    return df


def test_disputed_compares_the_province_row_with_the_published_total():
    # Hải Phòng SIPAS 2024: 91.1 filed as the province's, 90.59 as the total (level all)
    df = pd.DataFrame({"province_code": ["31", "31"], "units": "63", "metric": "sipas_score_pct",
                       "level": ["province", "all"], "period": "2024", "value": [91.1, 90.59],
                       "source_id": ["a", "b"], "step": [0.1, 0.01], "is_approx": False})
    assert checks.disputed(df, {"sipas_score_pct"}).all()
    assert not checks.disputed(df, set()).any()  # not an index metric: province and all are different tiers
    d = checks.disagreements(df, {"sipas_score_pct"})
    assert d["values"].item() == [90.59, 91.1] and d.source_ids.item() == ["a", "b"]


def test_values_equal_at_precision_are_not_disputed():
    df = pd.DataFrame({"province_code": "01", "units": "63", "metric": "papi_score_points", "level": "province",
                       "period": "2020", "value": [41.6286, 41.629], "source_id": ["a", "b"],
                       "step": [0.0001, 0.001], "is_approx": False})
    assert not checks.disputed(df, {"papi_score_points"}).any()


def test_parts_vs_total():
    df = pd.DataFrame({"province_code": "79", "units": "63", "metric": "procedures_count",
                       "level": ["all", "province", "district", "commune"], "period": "2024",
                       "value": [100.0, 50, 30, 15], "source_id": "s"})
    r = checks.parts_vs_total(df).iloc[0]
    assert (r.total, r.parts_sum, r.gap, r.parts) == (100, 95, 5, "commune, district, province")
    only_parts = checks.parts_vs_total(df[df.level != "all"]).iloc[0]
    assert pd.isna(only_parts.gap)


def test_order_breaks_checks_every_pair_and_disputed_values():
    rows = []
    for code, rank, score in (("01", 1, 90.0), ("02", 2, 85.0), ("03", 3, 80.0)):
        rows += [(code, "63", "x_rank", "province", "2020", rank, "s"),
                 (code, "63", "x_score_pct", "province", "2020", score, "s")]
    rows.append(("03", "63", "x_score_pct", "province", "2020", 95.0, "t"))  # a disputed score of 03
    df = pd.DataFrame(rows, columns=["province_code", "units", "metric", "level", "period", "value", "source_id"])
    b = checks.order_breaks(df, {"x_rank": "x_score_pct"})
    # 03 ranked 3rd with 95 breaks order with 01 (not adjacent) and 02
    assert sorted(b.code_a) == ["01", "02"] and set(b.code_b) == {"03"} and set(b.score_b) == {95.0}
    assert "t" in b.sources_b.iloc[0]


def test_arithmetic_note():
    assert checks.describes_arithmetic("derived score: 91.81 minus stated increase 1.72")
    assert checks.describes_arithmetic("derived: 69.69-5.85=63.84, 5+24=29")
    assert not checks.describes_arithmetic("derived rank: 2021 rank 14, up 2 places; 2020 score stated")
    assert not checks.describes_arithmetic("EN translation; 90.02% called 'average value'")
