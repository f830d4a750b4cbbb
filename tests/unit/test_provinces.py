import pandas as pd
import pytest

from reformbook import provinces as pv
from reformbook.paths import DATA

RESEARCH_ALIASES = pd.read_csv(DATA / "raw" / "research" / "aliases.csv", dtype=str)


@pytest.mark.parametrize("alias,code", list(zip(RESEARCH_ALIASES.alias, RESEARCH_ALIASES.code)))
def test_every_research_alias_resolves_to_its_code(alias, code):
    assert pv.resolve(alias).code == code


@pytest.mark.parametrize("name", ["TP.HCM", "TPHCM", "Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", "tp hồ chí minh",
                                  "Ho Chi Minh City", "HO CHI MINH", "Thanh pho Ho Chi Minh"])
def test_hcmc_spellings(name):
    assert pv.resolve(name) == pv.Province("79", "TP. Hồ Chí Minh", "63")


@pytest.mark.parametrize("variant,code", [
    ("Hoà Bình", "17"), ("Hòa Bình", "17"), ("Khánh Hoà", "56"), ("Thanh Hoá", "38"),  # tone placement
    ("Hoa Binh", "17"), ("Da Nang", "48"), ("Dak Nong", "67"), ("Ba Ria Vung Tau", "77"),  # ASCII
    ("Bà Rịa – Vũng Tàu", "77"), ("Bà Rịa—Vũng Tàu", "77"), ("  hà   nội ", "01"),  # dashes, spacing
    ("Tỉnh Nghệ An", "40"), ("Thành phố Cần Thơ", "92"), ("TP.Huế", "46"),  # prefixes
])
def test_normalised_variants(variant, code):
    assert pv.resolve(variant).code == code


def test_decomposed_unicode_resolves():
    import unicodedata
    assert pv.resolve(unicodedata.normalize("NFD", "Đắk Lắk")).code == "66"


def test_unknown_name_is_an_error_with_suggestions():
    with pytest.raises(pv.ProvinceError, match=r"unknown province name 'Hà Nộii'.*did you mean: Hà Nội \(01\)") as exc:
        pv.resolve("Hà Nộii")
    assert exc.value.suggestions[0] == "01"


def test_gibberish_is_an_error():
    with pytest.raises(pv.ProvinceError, match="unknown province name 'Atlantis'"):
        pv.resolve("Atlantis")


def test_unknown_code_is_an_error():
    with pytest.raises(pv.ProvinceError, match="unknown province code '03'"):
        pv.resolve("03")


def test_after_reorganisation_uses_the_34_units():
    assert pv.resolve("Lào Cai", when="2025-08-01").code == "15"  # new Lào Cai took Yên Bái's code
    assert pv.resolve("Lào Cai", when=2024).code == "10"
    assert pv.resolve("TT-Huế", units="34") == pv.Province("46", "Huế", "34")


def test_merged_away_province_after_2025_names_its_successor():
    with pytest.raises(pv.ProvinceError, match=r"no longer exists.*part of Lào Cai \(15\)"):
        pv.resolve("Yên Bái", units="34")


def test_tables_have_63_and_34_units():
    assert len(pv.provinces_63()) == 63 and pv.provinces_63().code.is_unique
    assert len(pv.units_34()) == 34 and pv.units_34().code.is_unique
    assert set(pv.merger().old_code) == set(pv.provinces_63().code)
    assert set(pv.merger().new_code) == set(pv.units_34().code)


def test_successor_and_predecessors():
    assert pv.successor("74") == "79"
    assert pv.predecessors("79") == ["74", "77", "79"]


def test_codes_agree_with_vietnamadminunits_legacy():
    """Independent check of our 63 codes against vietnamadminunits' legacy parser."""
    from vietnamadminunits import ParseMode, parse_address

    for row in pv.provinces_63().itertuples():
        got = parse_address(row.name_vi, mode=ParseMode.LEGACY, level=1)
        assert got.province_code == row.code, row.name_vi


def test_crosswalk_agrees_with_vietnamadminunits_converter():
    from vietnamadminunits import convert_address

    for row in pv.merger().itertuples():
        assert pv.fold(convert_address(row.old_name_vi).province) == pv.fold(row.new_full_name_vi), row.old_name_vi


def test_34_units_agree_with_vietnam_provinces():
    from vietnam_provinces import Province

    theirs = {f"{p.code.value:02d}": p.name for p in Province.iter_all()}
    ours = dict(zip(pv.units_34().code, pv.units_34().full_name_vi))
    assert set(theirs) == set(ours)
    for code, name in theirs.items():
        assert pv.fold(name) in (pv.fold(ours[code]), pv.fold(ours[code].split(" ", 1)[-1])), code
