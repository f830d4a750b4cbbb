"""scripts/weigh: a page's own weight (HTML + its images) and the shared assets counted once."""

import pytest

from reformbook import weight

PAGE = """<html><head><link rel="stylesheet" href="{up}_static/site.css"><script src="{up}_static/app.js"></script>
<link rel="icon" href="{up}_static/favicon.png"><script src="https://cdn.example/x.js"></script></head>
<body><img src="{up}_images/{img}" alt="a chart"><img src="data:image/png;base64,AAAA" alt="inline"></body></html>"""


@pytest.fixture
def site(tmp_path):
    (tmp_path / "_static" / "fonts").mkdir(parents=True)
    (tmp_path / "_images").mkdir()
    (tmp_path / "book").mkdir()
    (tmp_path / "_static" / "site.css").write_text(
        "@font-face{font-family:X;src:url(fonts/x.woff2) format('woff2'),url(fonts/x.ttf)}"
        ".a{background:url('bg.png')}", encoding="utf-8")
    (tmp_path / "_static" / "fonts" / "x.woff2").write_bytes(b"w" * 3000)
    (tmp_path / "_static" / "fonts" / "x.ttf").write_bytes(b"t" * 9000)
    (tmp_path / "_static" / "bg.png").write_bytes(b"b" * 100)
    (tmp_path / "_static" / "app.js").write_bytes(b"j" * 2000)
    (tmp_path / "_static" / "favicon.png").write_bytes(b"f" * 50)
    (tmp_path / "_images" / "one.png").write_bytes(b"1" * 5000)
    (tmp_path / "_images" / "two.png").write_bytes(b"2" * 500_000)
    (tmp_path / "index.html").write_text(PAGE.format(up="", img="one.png"), encoding="utf-8")
    (tmp_path / "book" / "big.html").write_text(PAGE.format(up="../", img="two.png"), encoding="utf-8")
    return tmp_path


def test_own_weight_is_html_plus_its_images(site):
    report = weight.weigh(site)
    pages = {p.path: p for p in report.pages}
    assert set(pages) == {"index.html", "book/big.html"}
    index = pages["index.html"]
    assert index.images == {"_images/one.png": 5000}
    assert index.own == (site / "index.html").stat().st_size + 5000


def test_shared_assets_listed_once_with_the_first_font_format_only(site):
    report = weight.weigh(site)
    assert report.shared == {"_static/app.js": 2000, "_static/fonts/x.woff2": 3000, "_static/bg.png": 100,
                             "_static/favicon.png": 50, "_static/site.css": (site / "_static" / "site.css").stat().st_size}
    assert not report.missing


def test_over_budget_and_check_exit_code(site, capsys):
    report = weight.weigh(site)
    assert [p.path for p in report.over_budget()] == ["book/big.html"]
    assert weight.main([str(site), "--check"]) == 1
    out = capsys.readouterr().out
    assert "book/big.html" in out and "OVER BUDGET" in out and "1 of 2 pages within budget" in out
    assert weight.main([str(site), "--check", "--budget-kb", "1000"]) == 0
    assert weight.main([str(site)]) == 0  # without --check it only reports


def test_missing_local_file_is_reported(site):
    (site / "_images" / "one.png").unlink()
    report = weight.weigh(site)
    assert report.missing == {"_images/one.png": ["index.html"]}


def test_no_built_site_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(FileNotFoundError, match="no index.html here; build the book first"):
        weight.weigh(tmp_path)
    assert weight.main([str(tmp_path)]) == 2
    assert "build the book first" in capsys.readouterr().err
