"""Every form papermill gives a parameter in parses to the same value; bad values fail with the
value, the reason and what is allowed."""

import pytest
import yaml

from reformbook import metrics, params
from reformbook.params import ParameterError

DA_NANG_HAI_PHONG = (("48", "31"), ("Đà Nẵng", "Hải Phòng"))


def papermill_p(value: str):
    """What ``papermill -p NAME VALUE`` puts in the notebook (papermill's own conversion)."""
    from papermill.cli import _resolve_type

    return _resolve_type(value)


@pytest.mark.parametrize("value", [
    papermill_p("Đà Nẵng, Hải Phòng"),
    papermill_p('["Đà Nẵng", "Hải Phòng"]'),
    papermill_p("['Đà Nẵng', 'Hải Phòng']"),
    papermill_p("[Đà Nẵng, Hải Phòng]"),
    yaml.safe_load("provinces: [Đà Nẵng, Hải Phòng]")["provinces"],
    yaml.safe_load("provinces:\n  - Đà Nẵng\n  - Hải Phòng\n")["provinces"],
    ["Đà Nẵng", "Hải Phòng"],
    ("Da Nang", "Haiphong"),
    papermill_p("48, 31"),
    yaml.safe_load("provinces: [48, 31]")["provinces"],
    "Đà Nẵng; Hải Phòng",
    ["Đà Nẵng", "Hải Phòng", "Danang"],  # a repeat is dropped
])
def test_every_form_of_two_provinces(value):
    assert params.parse_provinces(value) == DA_NANG_HAI_PHONG


@pytest.mark.parametrize("value", [papermill_p("Đà Nẵng"), papermill_p("48"), "48", 48, ["Đà Nẵng"],
                                   papermill_p('["Đà Nẵng"]'), "TP. Đà Nẵng", "danang"])
def test_every_form_of_one_province(value):
    assert params.parse_provinces(value) == (("48",), ("Đà Nẵng",))


def test_single_digit_code_from_papermill():
    assert params.parse_provinces(papermill_p("1")) == (("01",), ("Hà Nội",))


def test_provinces_among_the_34():
    assert params.parse_provinces("Huế, Hải Phòng", units="34") == (("46", "31"), ("Huế", "Hải Phòng"))
    assert params.parse_provinces("Huế", units=34)[0] == ("46",)


@pytest.mark.parametrize("value,message", [
    ("Hà Nộii", r"(?s)provinces: unknown province name 'Hà Nộii'.*did you mean: Hà Nội \(01\).*Allowed \(63 units"),
    ("Đà Nẵng, Atlantis", r"unknown province name 'Atlantis'"),
    ("Đà Nẵng,", r"empty name \(a stray comma\?\)"),
    ('["Đà Nẵng", "Hải Phòng"', r"starts like a list but does not parse"),
    ("[]", r"gives no province; give at least one province"),
    ([], r"gives no province"),
    ("", r"gives no province"),
    (None, r"gives no province"),
    ({"a": 1}, r"is a mapping; give a list"),
    (True, r"True is not a province name or a two-digit code"),
    ([4.5], r"4.5 is not a province name"),
    ("03", r"unknown province code '03'"),
    ("Hà Tây", r"former province: merged into Hà Nội \(01\) in 2008"),
])
def test_bad_provinces(value, message):
    with pytest.raises(ParameterError, match=message):
        params.parse_provinces(value)


def test_merged_province_among_the_34_names_its_unit():
    with pytest.raises(ParameterError, match=r"no longer exists among the 34 units.*part of Đà Nẵng \(48\)"):
        params.parse_provinces("Quảng Nam", units="34")


@pytest.mark.parametrize("value,years", [
    (papermill_p("2022"), (2022,)),
    ("2022", (2022,)),
    (papermill_p("2020-2024"), (2020, 2021, 2022, 2023, 2024)),
    ("2020–2022", (2020, 2021, 2022)),
    ("2020..2022", (2020, 2021, 2022)),
    (papermill_p("[2022, 2023]"), (2022, 2023)),
    ("2023, 2022", (2022, 2023)),
    (yaml.safe_load("years: [2022, 2023]")["years"], (2022, 2023)),
    (["2022", 2023], (2022, 2023)),
    (["2020-2021", 2023], (2020, 2021, 2023)),
    (None, None), (papermill_p("None"), None), ("all", None), ("", None),
])
def test_every_form_of_years(value, years):
    assert params.parse_years(value) == years


@pytest.mark.parametrize("value,message", [
    ("2024-2020", r"range '2024-2020' runs backwards; write it as 2020-2024"),
    ("22", r"'22' is not a year"),
    (22, r"22 is not a year; write a four-digit year"),
    (2022.5, r"2022.5 is not a year"),
    (True, r"True is not a year"),
    ("next year", r"'next year' is not a year; write 2022, a range"),
    ("[2022, 2023", r"starts like a list but does not parse"),
    ("[]", r"gives no year"),
])
def test_bad_years(value, message):
    with pytest.raises(ParameterError, match=message):
        params.parse_years(value)


def test_one_year():
    assert params.parse_year(2024) == params.parse_year("2024") == params.parse_year(" 2024 ") == 2024


@pytest.mark.parametrize("value", ["2023-2024", "[2024]", [2024], None, 2024.0, True])
def test_one_year_and_nothing_else(value):
    with pytest.raises(ParameterError, match=r"year: .* must be exactly one year, written as 2024"):
        params.parse_year(value)
    with pytest.raises(ParameterError, match=r"year: 24 is not a year"):
        params.parse_year(24)


@pytest.mark.parametrize("value,code", [("DTI", "DTI"), ("dti", "DTI"), ("Par", "PAR"), (" sipas ", "SIPAS"),
                                        ("papi_egov", "PAPI_EGOV"), ("PAPI-EGOV", "PAPI_EGOV"),
                                        ("papi egov", "PAPI_EGOV")])
def test_index_any_case(value, code):
    assert params.parse_index(value) == code


@pytest.mark.parametrize("value", ["XYZ", "", None, 3, ["DTI"]])
def test_bad_index_lists_the_indices(value):
    with pytest.raises(ParameterError, match=r"index: unknown index .*; available: PAR, SIPAS, DTI, DTI_GOV, DTI_ECON, DTI_SOC, PCI, PAPI, PAPI_PARTICIPATION"):
        params.parse_index(value)


def test_index_lookup_agrees_with_metrics():
    assert list(params.index_codes()) == list(metrics.INDICES)


@pytest.mark.parametrize("value", [63, "63", " 63 "])
def test_units(value):
    assert params.parse_units(value) == "63"


@pytest.mark.parametrize("value", [62, "sixty-three", None, True])
def test_bad_units(value):
    with pytest.raises(ParameterError, match=r"units: .* is not a unit set; allowed: \"63\".*or \"34\""):
        params.parse_units(value)


@pytest.mark.parametrize("value,kinds", [("seed", ("seed",)), ("Seed, news", ("seed", "news")),
                                         ('["seed", "news"]', ("seed", "news")), (["dataset"], ("dataset",))])
def test_kinds(value, kinds):
    assert params.parse_kinds(value) == kinds


@pytest.mark.parametrize("value,message", [("blog", r"unknown source kind 'blog'; allowed: seed, news"),
                                           ([], r"gives no kind")])
def test_bad_kinds(value, message):
    with pytest.raises(ParameterError, match=message):
        params.parse_kinds(value)


def test_validate_takes_the_papermill_forms():
    p = params.validate("Cần Thơ", index="dti", years="2022")
    assert (p.codes, p.index, p.years) == (("92",), "DTI", (2022,))
    assert params.validate('["Cần Thơ"]', index="DTI", years="[2022, 2023]").years == (2022, 2023)
    assert params.validate("92", index="DTI", years=None).years == tuple(metrics.index_years("DTI", "63"))


def test_validate_refuses_years_not_held():
    with pytest.raises(ParameterError, match=r"years: \[2031\] not available for PAR among the 63 units; available:"):
        params.validate("Hà Nội", index="PAR", years="2031")


def test_validate_twice_takes_a_string_year():
    p = params.validate_twice("Đà Nẵng, Huế", "dti", "2024")
    assert (p.codes, p.index, p.years) == (("48", "46"), "DTI", (2024,))


def test_a_name_with_a_comma_is_not_split(monkeypatch):
    real = params.pv.resolve

    def resolve(name, units="63", when=None):  # as if an alias "Hà Nội, Việt Nam" were listed
        if name == "Hà Nội, Việt Nam":
            return params.pv.Province("01", "Hà Nội", units)
        return real(name, units=units)

    monkeypatch.setattr(params.pv, "resolve", resolve)
    assert params.parse_provinces("Hà Nội, Việt Nam") == (("01",), ("Hà Nội",))
    assert params.parse_provinces("Hà Nội, Huế") == (("01", "46"), ("Hà Nội", "Thừa Thiên Huế"))


def test_a_string_read_two_ways_is_refused(monkeypatch):
    real = params.pv.resolve

    def resolve(name, units="63", when=None):
        if name == "Hà Nội, Huế":
            return params.pv.Province("01", "Hà Nội", units)
        return real(name, units=units)

    monkeypatch.setattr(params.pv, "resolve", resolve)
    with pytest.raises(ParameterError, match=r"'Hà Nội, Huế' is ambiguous: it names one province as a whole"):
        params.parse_provinces("Hà Nội, Huế")
