"""The installed commands, run in a subprocess as a user types them: ``reformbook page`` (one page as
a standalone HTML file) and ``reformbook add-page --part``; and every template for data-poor provinces."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from reformbook.paths import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow
REFORMBOOK = str(Path(sys.executable).with_name("reformbook"))  # the installed console script


def reformbook(*args, cwd=None, env=None):
    return subprocess.run([REFORMBOOK, *args], capture_output=True, text=True, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("page")
    proc = reformbook("page", "procedures", "-p", "provinces", "Đà Nẵng, Hải Phòng", "--html", str(out / "p.html"),
                      "--ipynb", str(out / "p.ipynb"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_page_html_is_standalone_with_chart_prose_sources_and_data(page):
    text = (page / "p.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<title>Procedures by level" in text
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}" alt="Hải Phòng', text)  # the chart
    assert "<strong>Đà Nẵng, Hải Phòng</strong>" in text and "{glue" not in text  # glued values in the prose
    assert "from myst_nb import glue" not in text  # remove-cell
    assert "figures.plot_procedures" not in text  # remove-input (hide-input is covered in tests/unit/test_onepage.py)
    assert 'href="https://news.baohaiphong.vn/print/519878.html"' in text  # sources as links
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', text)  # nothing loads from the network
    csv = re.search(r'<a download="procedures.csv" href="data:text/csv;charset=utf-8;base64,([^"]+)"', text)
    data = pd.read_csv(io.BytesIO(base64.b64decode(csv.group(1))), dtype=str)
    assert set(data.province_code) == {"31", "48"} and "source_id" in data


def test_page_keeps_the_notebook(page):
    import nbformat

    nb = nbformat.read(page / "p.ipynb", as_version=4)
    assert not any("reformbook-export" in c.metadata.get("tags", []) for c in nb.cells)
    assert "papermill" not in nb.metadata


def test_page_takes_yaml_and_files(tmp_path):
    (tmp_path / "params.yaml").write_text("provinces: [Cần Thơ]\nindex: dti\n", encoding="utf-8")
    proc = reformbook("page", "rankings", "-f", str(tmp_path / "params.yaml"), "-y", "years: [2022, 2023]",
                      "--html", str(tmp_path / "r.html"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<strong>Cần Thơ</strong>" in text and "2022–2023" in text


@pytest.mark.parametrize("args,code,message", [
    (["page", "nope", "--html", "x.html"], 1, "unknown template 'nope'; templates: claims, coverage"),
    (["page", "procedures", "-p", "provinces", "Hà Nộii", "--html", "x.html"], 1,
     "notebooks/procedures.ipynb failed in cell [3]: ParameterError: provinces: unknown province name 'Hà Nộii'"),
    (["page", "procedures", "-p", "province", "Hà Nội", "--html", "x.html"], 1, "unknown parameter(s) ['province']"),
    (["page", "procedures", "-p", "provinces", "Hà Nội"], 1, "say where to write the page: --html"),
    (["page", "procedures", "-y", "provinces: [Hà Nội", "--html", "x.html"], 2, "-y 'provinces: [Hà Nội': not valid YAML"),
    (["page", "procedures", "-y", "- Hà Nội", "--html", "x.html"], 2, "must be a YAML mapping"),
    (["page", "procedures", "-f", "missing.yaml", "--html", "x.html"], 2, "-f missing.yaml: cannot read the file"),
])
def test_page_bad_input(args, code, message, tmp_path):
    proc = reformbook(*args, cwd=tmp_path)
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr
    assert not (tmp_path / "x.html").exists()


@pytest.fixture
def repo_copy(tmp_path):
    for name in ("_toc.yml", "book", "notebooks", "data"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    return tmp_path, {**os.environ, "REFORMBOOK_ROOT": str(tmp_path)}


def test_add_page_goes_in_the_part_named(repo_copy):
    work, env = repo_copy
    proc = reformbook("add-page", "procedures", "procedures_48", "-p", "provinces", '["Đà Nẵng"]',
                      "--part", "checking THE record", cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    spec = yaml.safe_load((work / "book" / "pages.yml").read_text(encoding="utf-8"))
    part = next(p for p in spec["parts"] if p["caption"] == "Checking the record")
    assert part["pages"][-1] == {"slug": "procedures_48", "template": "procedures", "params": {"provinces": ["Đà Nẵng"]}}
    assert (work / "book" / "pages" / "procedures_48.ipynb").exists()
    assert "book/pages/procedures_48" in (work / "_toc.yml").read_text(encoding="utf-8")


def test_add_page_unknown_part_lists_the_parts_and_writes_nothing(repo_copy):
    work, env = repo_copy
    before = (work / "book" / "pages.yml").read_text(encoding="utf-8")
    proc = reformbook("add-page", "procedures", "procedures_48", "-p", "provinces", "Đà Nẵng", "--part", "Maps",
                      cwd=work, env=env)
    assert proc.returncode == 2
    assert "--part 'Maps' is not a part of the book; parts: 'About this book'; 'Administrative reform" in proc.stderr
    assert (work / "book" / "pages.yml").read_text(encoding="utf-8") == before
    assert not (work / "book" / "pages" / "procedures_48.ipynb").exists()


#: provinces with little or nothing held: a page must still come out, saying what is missing
DATA_POOR = ["Hòa Bình", "Bà Rịa - Vũng Tàu", "Lai Châu"]
TEMPLATES = ["claims", "dossiers", "procedures", "project06", "rankings"]


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_runs_for_data_poor_provinces(template, tmp_path):
    for province in DATA_POOR:
        out = subprocess.run([str(Path(sys.executable).with_name("papermill")), str(NOTEBOOKS / f"{template}.ipynb"),
                              str(tmp_path / "out.ipynb"), "--cwd", str(NOTEBOOKS), "-y", f"provinces: [{province}]"],
                             capture_output=True, text=True)
        assert out.returncode == 0, f"{template} for {province}:\n{out.stderr[-3000:]}"


@pytest.mark.parametrize("unit", ["Lai Châu", "Cao Bằng"])
def test_ranked_twice_runs_for_units_with_little_held(unit, tmp_path):
    out = subprocess.run([str(Path(sys.executable).with_name("papermill")), str(NOTEBOOKS / "ranked_twice.ipynb"),
                          str(tmp_path / "out.ipynb"), "--cwd", str(NOTEBOOKS), "-p", "provinces", unit],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
