"""Templates run with other parameters, and bad parameters fail at once with the allowed values."""

import json

import nbformat
import papermill as pm
import pytest

from reformbook import runner
from reformbook.paths import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow
TEMPLATES = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def run(template, tmp_path, **params):
    out = tmp_path / f"{template}.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / f"{template}.ipynb"), str(out), parameters=params, cwd=str(NOTEBOOKS),
                        kernel_name="python3", progress_bar=False)
    return nbformat.read(out, as_version=4)


def glued(nb):
    values = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                values[name] = out["data"].get(out["metadata"]["scrapbook"]["mime_prefix"] + "text/plain")
    return values


@pytest.mark.parametrize("template", [t for t in TEMPLATES
                                      if t not in ("coverage", "sources", "disputes", "province", "provinces_index")])
def test_template_runs_for_another_pair(template, tmp_path):
    nb = run(template, tmp_path, provinces=["Đà Nẵng", "Hải Phòng"])
    if "provinces" in glued(nb):
        assert glued(nb)["provinces"] == "'Đà Nẵng, Hải Phòng'"


def test_rankings_for_dti_and_one_year(tmp_path):
    nb = run("rankings", tmp_path, provinces=["Cần Thơ"], index="DTI", years=[2022])
    assert glued(nb)["years"] == "'2022–2022'"


@pytest.mark.parametrize("template,params,message", [
    ("procedures", {"provinces": ["Hà Nộii"]}, "did you mean: Hà Nội (01)"),
    ("dossiers", {"provinces": []}, "give at least one province"),
    ("rankings", {"index": "XYZ"}, "unknown index 'XYZ'; available: PAR, SIPAS, DTI"),
    ("rankings", {"index": "PAR", "years": [2031]}, "years: [2031] not available for PAR among the 63 units; available:"),
    ("ranked_twice", {"provinces": ["Quảng Nam"]}, "no longer exists among the 34 units from 2025-07-01: it is part of Đà Nẵng"),
    ("ranked_twice", {"index": "PAR"}, "index: no PAR ranking among the 34 units is held"),
    ("ranked_twice", {"year": 2022}, "years: [2022] not available for DTI among the 34 units; available: 2024"),
    ("province", {"province": "Hà Tây"}, "a former province: merged into Hà Nội (01) in 2008"),
    ("province", {"province": "Quảng Nam", "units": "34"}, "it is part of Đà Nẵng (48)"),
    ("disputes", {"index": "NOPE"}, "index: unknown index 'NOPE'; available: PAR, SIPAS, DTI"),
])
def test_bad_parameter_fails_in_first_cell_with_allowed_values(template, params, message, tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as exc:
        run(template, tmp_path, **params)
    assert message in str(exc.value)
    # cells run: 1 parameters, 2 papermill's injected parameters, 3 the validation cell
    assert exc.value.exec_count == 3


def test_ranked_twice_keeps_each_table_as_published():
    from reformbook import metrics
    t = metrics.ranked_twice("DTI", 2024).set_index("old_province")
    # Đà Nẵng and Quảng Nam merged: both old ranks sit beside the one published rank of the new unit
    assert t.loc["Đà Nẵng", "new_unit"] == t.loc["Quảng Nam", "new_unit"] == "Đà Nẵng"
    assert t.loc["Đà Nẵng", "rank_34"] == t.loc["Quảng Nam", "rank_34"]
    assert t.loc["Đà Nẵng", "rank_63"] != t.loc["Quảng Nam", "rank_63"]
    # each old province keeps its own 63-rank (all 63 held since the ministry's complete table); nothing is
    # carried over from its new unit (Bình Dương joined TP. Hồ Chí Minh)
    assert t.loc["Bình Dương", "rank_63"] == 29 != t.loc["TP. Hồ Chí Minh", "rank_63"]
    assert t.loc["Bình Dương", "rank_34"] == t.loc["TP. Hồ Chí Minh", "rank_34"]


def test_runner_refuses_unknown_parameter_names():
    with pytest.raises(runner.PageError, match=r"unknown parameter\(s\) \['province'\]"):
        runner.check_parameters(NOTEBOOKS / "procedures.ipynb", {"province": "Hà Nội"})


def test_toc_agrees_with_pages_yml():
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    assert toc == runner.toc_from(runner.load_pages())


def test_every_page_in_pages_yml_is_built():
    slugs = {p["slug"] for p in runner.all_pages(runner.load_pages())}
    assert slugs == {p.stem for p in (ROOT / "book" / "pages").glob("*.ipynb")}


def test_pages_print_no_warnings_or_errors():
    """A warning in a cell shows up on the published page (e.g. a glyph the chart font lacks)."""
    for page in (ROOT / "book" / "pages").glob("*.ipynb"):
        nb = nbformat.read(page, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                assert not (out.get("output_type") == "stream" and out.get("name") == "stderr"), (
                    f"{page.name}: {out.get('text', '')[:300]}")


def test_pages_hide_injected_parameters_and_carry_alt_text():
    for page in (ROOT / "book" / "pages").glob("*.ipynb"):
        nb = nbformat.read(page, as_version=4)
        assert "papermill" not in nb.metadata
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert all("remove-cell" in c.metadata["tags"] for c in injected)
        for cell in nb.cells:
            if any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
                assert cell.metadata["mystnb"]["image"]["alt"], page.name


@pytest.mark.parametrize("template", ["procedures", "dossiers", "project06", "rankings"])
def test_template_gives_an_honest_page_for_a_province_with_little_data(template, tmp_path):
    """Lai Châu has no procedure, dossier or Project 06 figures: the page says so in a sentence."""
    nb = run(template, tmp_path, provinces=["Lai Châu"])
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    text = " ".join(str(v) for v in glued(nb).values()) + html
    assert "held for Lai Châu" in text
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr", out.get("text", "")[:300]


@pytest.mark.parametrize("province,units", [("Lai Châu", "63"), ("Lai Châu", "34")])
def test_profile_of_a_province_with_little_data_says_what_is_held_and_what_is_not(province, units, tmp_path):
    nb = run("province", tmp_path, province=province, units=units)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    assert "No procedure counts by level are held for Lai Châu." in html
    assert "Missing (not found)" in html  # the coverage table
    if units == "34":
        assert "No PAPI dimension score is held for Lai Châu (PAPI surveys the 63 provinces" in html
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr", out.get("text", "")[:300]
