"""Spellings people type: run-together names, and provinces that no longer exist."""

import pytest

from reformbook import provinces as pv


@pytest.mark.parametrize("name,code", [("Haiphong", "31"), ("Cantho", "92"), ("Daklak", "66"), ("DakLak", "66"),
                                       ("Hue", "46"), ("Danang", "48"), ("Saigon", "79"), ("HaNoi", "01"),
                                       ("Bariavungtau", "77"), ("Quangninh", "22")])
def test_run_together_names(name, code):
    assert pv.resolve(name).code == code


def test_run_together_names_among_the_34():
    assert pv.resolve("Haiphong", units="34").code == "31"
    with pytest.raises(pv.ProvinceError, match=r"no longer exists among the 34 units.*part of Đà Nẵng \(48\)"):
        pv.resolve("Quangnam", units="34")


def test_no_run_together_key_means_two_provinces():
    for units in pv.UNIT_SETS:
        assert {k: v for k, v in pv._index(units).squashed.items() if len(v) > 1} == {}


@pytest.mark.parametrize("name", ["Hà Tây", "Ha Tay", "tỉnh Hà Tây", "Hatay"])
def test_ha_tay_names_ha_noi_not_tay_ninh(name):
    with pytest.raises(pv.ProvinceError) as exc:
        pv.resolve(name)
    msg = str(exc.value)
    assert "former province: merged into Hà Nội (01) in 2008" in msg and "Tây Ninh" not in msg
    assert exc.value.suggestions == ["01"]


def test_ha_tay_among_the_34():
    with pytest.raises(pv.ProvinceError, match=r"merged into Hà Nội \(01\) in 2008.*not among the 34 units"):
        pv.resolve("Hà Tây", units="34")


def test_split_province_names_every_successor():
    with pytest.raises(pv.ProvinceError, match=r"Sông Bé, a former province: split into Bình Dương \(74\) and "
                                               r"Bình Phước \(70\) in 1997") as exc:
        pv.resolve("Song Be")
    assert exc.value.suggestions == ["74", "70"]


def test_former_provinces_table_is_sourced_and_names_real_codes():
    table = pv.former_provinces()
    assert table.source_url.str.startswith("http").all()
    for codes in table.successor_codes_63:
        for code in codes.split():
            assert code in pv.names("63")
    # a former name must not also be the name of a current province
    for name in table.name_vi:
        with pytest.raises(pv.ProvinceError, match="former province"):
            pv.resolve(name)
