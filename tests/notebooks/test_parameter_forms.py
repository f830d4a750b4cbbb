"""Every template takes its parameters in each form papermill users reach for, with the same meaning.

In process: each form is turned into a value exactly as papermill's command line does (``-p`` through
papermill's own conversion, ``-y``/``-f`` through its YAML loader), injected with papermill's own
translator after the template's parameters cell, then the template's first cell after the parameters
runs. The slow test at the end runs the papermill command itself, each template with another form.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from papermill.cli import _resolve_type
from papermill.iorw import NoDatesSafeLoader
from papermill.translators import translate_parameters

from reformbook import params
from reformbook.paths import NOTEBOOKS, ROOT

WITH_PROVINCES = ["claims", "dossiers", "procedures", "project06", "ranked_twice", "rankings"]

#: (command-line options, what they mean) — the forms of the issue, for the provinces parameter
PROVINCE_FORMS = {
    "one name": (["-p", "provinces", "Đà Nẵng"], ("48",)),
    "comma-separated": (["-p", "provinces", "Đà Nẵng, Hải Phòng"], ("48", "31")),
    "JSON list": (["-p", "provinces", '["Đà Nẵng", "Hải Phòng"]'], ("48", "31")),
    "YAML": (["-y", "provinces: [Đà Nẵng, Hải Phòng]"], ("48", "31")),
    "YAML file": (["-f", "provinces:\n  - Đà Nẵng\n  - Hải Phòng\n"], ("48", "31")),
    "a code": (["-p", "provinces", "48"], ("48",)),
    "codes": (["-p", "provinces", "48, 31"], ("48", "31")),
    "other spellings": (["-p", "provinces", "Danang, Haiphong"], ("48", "31")),
}


def as_papermill(options: list[str]) -> dict:
    """The parameters papermill's command line makes of these options."""
    out, it = {}, iter(options)
    for opt in it:
        if opt == "-p":
            name = next(it)
            out[name] = _resolve_type(next(it))
        elif opt == "-r":
            name = next(it)
            out[name] = next(it)
        elif opt == "-y":
            out.update(yaml.load(next(it), Loader=NoDatesSafeLoader))
        elif opt == "-f":
            out.update(yaml.load(next(it), Loader=NoDatesSafeLoader))  # the file's text
    return out


def first_cell_after_parameters(template: str, values: dict) -> dict:
    """Run the parameters cell, papermill's injected cell and the next cell; return the namespace."""
    nb = nbformat.read(NOTEBOOKS / f"{template}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    at = next(i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", []))
    ns: dict = {}
    exec(code[at].source, ns)
    exec(translate_parameters("python", "python", values, "Parameters"), ns)
    exec(code[at + 1].source, ns)
    return ns


def checked(ns: dict) -> params.Params:
    """The parameters as the template's validation call returned them (whatever the variable is called)."""
    return next(v for v in ns.values() if isinstance(v, params.Params))


def frame_with(ns: dict, column: str):
    import pandas as pd

    return next(v for v in ns.values() if isinstance(v, pd.DataFrame) and column in v)


@pytest.mark.parametrize("form", PROVINCE_FORMS)
@pytest.mark.parametrize("template", WITH_PROVINCES)
def test_provinces_in_every_form(template, form):
    options, codes = PROVINCE_FORMS[form]
    ns = first_cell_after_parameters(template, as_papermill(options))
    assert checked(ns).codes == codes


@pytest.mark.parametrize("options,years", [
    (["-p", "years", "2022"], (2022,)),
    (["-p", "years", "2020-2024"], (2020, 2021, 2022, 2023, 2024)),
    (["-p", "years", "[2022, 2023]"], (2022, 2023)),
    (["-y", "years: [2022, 2023]"], (2022, 2023)),
    (["-p", "years", "None"], (2020, 2021, 2022, 2023, 2024)),
])
@pytest.mark.parametrize("index", ["DTI", "dti", "Dti"])
def test_years_and_index_in_every_form(options, years, index):
    ns = first_cell_after_parameters("rankings", as_papermill(options + ["-p", "index", index]))
    assert (checked(ns).index, checked(ns).years) == ("DTI", years)


@pytest.mark.parametrize("options", [["-p", "year", "2024"], ["-y", "year: 2024"], ["-p", "index", "dti"]])
def test_ranked_twice_year_and_index(options):
    ns = first_cell_after_parameters("ranked_twice", as_papermill(options))
    assert (checked(ns).index, checked(ns).years) == ("DTI", (2024,))


@pytest.mark.parametrize("options", [["-p", "units", "63"], ["-r", "units", "63"], ["-y", "units: '63'"]])
def test_coverage_units(options):
    ns = first_cell_after_parameters("coverage", as_papermill(options))
    cov = frame_with(ns, "target")
    assert len(cov) and set(cov.target) == {63}


@pytest.mark.parametrize("options,kinds", [(["-p", "kinds", "seed"], {"seed"}),
                                           (["-p", "kinds", "seed, news"], {"seed", "news"}),
                                           (["-y", "kinds: [seed, dataset]"], {"seed", "dataset"})])
def test_sources_kinds(options, kinds):
    ns = first_cell_after_parameters("sources", as_papermill(options))
    assert set(frame_with(ns, "kind").kind) == kinds


@pytest.mark.parametrize("template,options,message", [
    ("procedures", ["-p", "provinces", "Đà Nẵng, Hà Nộii"], "unknown province name 'Hà Nộii'"),
    ("procedures", ["-p", "provinces", '["Đà Nẵng", "Hải Phòng"'], "starts like a list but does not parse"),
    ("dossiers", ["-p", "provinces", "Hà Tây"], "a former province: merged into Hà Nội (01) in 2008"),
    ("rankings", ["-p", "index", "dtx"], "unknown index 'dtx'; available: PAR, SIPAS, DTI"),
    ("rankings", ["-p", "index", "DTI", "-p", "years", "2024-2020"], "runs backwards"),
    ("rankings", ["-p", "index", "DTI", "-p", "years", "2018-2021"], "years: [2018, 2019] not available for DTI"),
    ("ranked_twice", ["-p", "provinces", "Quảng Nam"], "it is part of Đà Nẵng (48)"),
    ("ranked_twice", ["-p", "year", "[2023, 2024]"], "must be exactly one year"),
    ("coverage", ["-p", "units", "62"], "units: 62 is not a unit set"),
    ("sources", ["-p", "kinds", "blog"], "unknown source kind 'blog'"),
    ("province", ["-p", "province", "Quảng Nam", "-p", "units", "34"], "it is part of Đà Nẵng (48)"),
    ("province", ["-p", "province", "Hà Nội, Đà Nẵng"], "names 2 provinces; a profile is of one"),
    ("province", ["-p", "units", "62"], "units: 62 is not a unit set"),
    ("provinces_index", ["-p", "indices", "PAR, XYZ"], "unknown index 'XYZ'"),
])
def test_bad_values_fail_in_the_first_cell(template, options, message):
    with pytest.raises(params.ParameterError) as exc:
        first_cell_after_parameters(template, as_papermill(options))
    assert message in str(exc.value)


@pytest.mark.parametrize("options,code,units", [
    (["-p", "province", "TP.HCM"], "79", "63"),
    (["-p", "province", "48", "-p", "units", "34"], "48", "34"),
    (["-r", "units", "34", "-r", "province", "Danang"], "48", "34"),
    (["-y", "province: Quảng Nam\nunits: 63"], "49", "63"),
    (["-f", "province: 12\n"], "12", "63"),
])
def test_province_profile_in_every_form(options, code, units):
    ns = first_cell_after_parameters("province", as_papermill(options))
    assert (ns["prof"].code, ns["prof"].units) == (code, units)


@pytest.mark.parametrize("options,chosen", [(["-p", "indices", "dti"], ["DTI"]),
                                            (["-p", "indices", "pci, papi egov"], ["PCI", "PAPI_EGOV"]),
                                            (["-y", "indices: [PAR, DTI]"], ["PAR", "DTI"])])
def test_provinces_index_indices(options, chosen):
    assert first_cell_after_parameters("provinces_index", as_papermill(options))["chosen"] == chosen


def test_help_notebook_shows_type_default_and_allowed_values():
    for template in sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")):
        out = subprocess.run([str(Path(sys.executable).with_name("papermill")), "--help-notebook",
                              str(NOTEBOOKS / f"{template}.ipynb")], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        lines = [l for l in out.stdout.splitlines() if l.startswith("  ") and "(default " in l]
        assert lines, template
        for line in lines:
            assert "Unknown type" not in line, (template, line)
        text = " ".join(out.stdout.split())
        if template in WITH_PROVINCES:
            assert "any spelling or two-digit code" in text or "any common spelling or as two-digit codes" in text
    text = subprocess.run([str(Path(sys.executable).with_name("papermill")), "--help-notebook",
                           str(NOTEBOOKS / "rankings.ipynb")], capture_output=True, text=True).stdout
    assert all(code in text for code in params.index_codes()), "the index help must list every index"


SLOW_FORMS = list(PROVINCE_FORMS)


@pytest.mark.slow
@pytest.mark.parametrize("template", WITH_PROVINCES)
def test_papermill_command(template, tmp_path):
    """The papermill command itself, each template with a different form (all forms across templates)."""
    form = SLOW_FORMS[WITH_PROVINCES.index(template) % len(SLOW_FORMS)]
    options, codes = PROVINCE_FORMS[form]
    if options[0] == "-f":
        (tmp_path / "params.yaml").write_text(options[1], encoding="utf-8")
        options = ["-f", str(tmp_path / "params.yaml")]
    out = subprocess.run([str(Path(sys.executable).with_name("papermill")), str(NOTEBOOKS / f"{template}.ipynb"),
                          str(tmp_path / "out.ipynb"), "--cwd", str(NOTEBOOKS), *options],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
