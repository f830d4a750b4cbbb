"""The one-page HTML file: myst-nb's hiding tags, glued values in the prose, and papermill's parameter
options (pure functions, no kernel)."""

import nbformat
import pandas as pd
import pytest

from reformbook import onepage

RECORD = "application/papermill.record/"


def code(source, tags, text):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = tags
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    return cell


def glue(name, text):
    return nbformat.v4.new_output("display_data", data={RECORD + "text/plain": text},
                                  metadata={"scrapbook": {"name": name, "mime_prefix": RECORD}})


@pytest.fixture
def html():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nFor {glue:text}`who`: {glue:text}`share:.1f`%, "
                                              "see {doc}`the sources <sources>`; {glue:text}`nope`."),
                code("removed_cell = 1", ["remove-cell"], "REMOVED-CELL-OUTPUT"),
                code("removed_input = 1", ["remove-input"], "OUTPUT-OF-REMOVED-INPUT"),
                code("hidden_input = 1", ["hide-input"], "OUTPUT-OF-HIDDEN-INPUT"),
                code("removed_output = 1", ["remove-output"], "REMOVED-OUTPUT"),
                code("hidden_output = 1", ["hide-output"], "HIDDEN-OUTPUT"),
                code("hidden_cell = 1", ["hide-cell"], "HIDDEN-CELL-OUTPUT")]
    nb.cells[1].outputs = [glue("who", "'Hà Nội'"), glue("share", "14.6789")]
    return onepage.to_html(nb, pd.DataFrame({"a": [1, 2]}), [], "t", {"provinces": "Hà Nội"})


def test_glued_values_replace_the_roles(html):
    assert "For Hà Nội: 14.7%, see the sources; [nope: not computed]." in html


def test_hiding_tags(html):
    assert "removed_cell" not in html and "REMOVED-CELL-OUTPUT" not in html
    assert "removed_input" not in html and "OUTPUT-OF-REMOVED-INPUT" in html
    assert "REMOVED-OUTPUT" not in html and "removed_output" in html
    for hidden, summary in (("hidden_input", "Show code"), ("HIDDEN-OUTPUT", "Show output"),
                            ("HIDDEN-CELL-OUTPUT", "Show cell")):
        before = html[:html.index(hidden)]
        assert before.rfind(f"<summary>{summary}</summary>") > before.rfind("</details>"), hidden


def test_data_is_a_download(html):
    assert '<a download="t.csv" href="data:text/csv;charset=utf-8;base64,YQoxCjIK">' in html
    assert "(CSV, 2 rows, UTF-8)" in html


def test_cli_parameters_follow_papermill(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("provinces: [Huế]\nindex: PAR\nyear: 2024-01-01\n", encoding="utf-8")
    got = onepage.cli_parameters(p=[("index", "dti"), ("years", "2022"), ("flag", "True"), ("none", "None")],
                                 r=[("raw", "48")], y=["provinces: [Đà Nẵng, Hải Phòng]"], f=[str(f)])
    assert got == {"provinces": ["Đà Nẵng", "Hải Phòng"], "index": "dti", "year": "2024-01-01", "years": 2022,
                   "flag": True, "none": None, "raw": "48"}


@pytest.mark.parametrize("kw,message", [({"y": ["[a, b]"]}, "must be a YAML mapping"),
                                        ({"y": ["a: [b"]}, "not valid YAML"),
                                        ({"f": ["/nonexistent.yaml"]}, "cannot read the file")])
def test_cli_parameters_bad_input(kw, message):
    with pytest.raises(onepage.PageFileError, match=message):
        onepage.cli_parameters(**kw)
