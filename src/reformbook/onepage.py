"""One page as a file to share: ``python -m reformbook page TEMPLATE -p … --html out.html``.

The template is executed with papermill (parameters given as papermill's own ``-p``/``-r``/``-y``/``-f``
give them), then written as one standalone HTML file: the book's hiding rules (myst-nb's cell tags
``remove-cell``, ``remove-input``, ``remove-output``, ``hide-cell``, ``hide-input``, ``hide-output``), the glued
numbers put into the prose, charts embedded as images, the page's sources as links, and the data
behind the page as a CSV download inside the file. Nothing in the file loads from the network.

Why not nbconvert's HTML exporter: its templates load require.js and MathJax from a CDN, it knows
neither myst-nb's ``{glue:text}`` roles nor the hide-input tag, and a few dozen lines over
markdown-it-py and Pygments (both already pinned for the book) do the rest.
"""

from __future__ import annotations

import ast
import base64
import datetime as dt
import html
import json
import re
import tempfile
from pathlib import Path

import nbformat
import pandas as pd

from .paths import NOTEBOOKS

EXPORT_TAG = "reformbook-export"


class PageFileError(RuntimeError):
    pass


# --------------------------------------------------------------------------- parameters, as papermill reads them
def cli_parameters(p=(), r=(), y=(), f=()) -> dict:
    """Parameters from command-line options with papermill's meaning and precedence: ``-f`` files, then
    ``-y`` YAML strings, then ``-p NAME VALUE`` (numbers, True/False/None converted), then ``-r`` (raw)."""
    import yaml
    from papermill.cli import _resolve_type  # papermill's own conversion of -p values (pinned version)
    from papermill.iorw import NoDatesSafeLoader

    out: dict = {}
    for path in f:
        try:
            loaded = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=NoDatesSafeLoader) or {}
        except OSError as exc:
            raise PageFileError(f"-f {path}: cannot read the file ({exc.strerror})") from None
        except yaml.YAMLError as exc:
            raise PageFileError(f"-f {path}: not valid YAML ({str(exc).splitlines()[0]})") from None
        if not isinstance(loaded, dict):
            raise PageFileError(f"-f {path}: must be a YAML mapping of name: value")
        out.update(loaded)
    for text in y:
        try:
            loaded = yaml.load(text, Loader=NoDatesSafeLoader) or {}
        except yaml.YAMLError as exc:
            raise PageFileError(f"-y {text!r}: not valid YAML ({str(exc).splitlines()[0]})") from None
        if not isinstance(loaded, dict):
            raise PageFileError(f"-y {text!r}: must be a YAML mapping, e.g. 'provinces: [Đà Nẵng, Hải Phòng]'")
        out.update(loaded)
    for name, value in p:
        out[name] = _resolve_type(value)
    for name, value in r:
        out[name] = value
    return out


# --------------------------------------------------------------------------- the data behind a page (runs in the kernel)
def export(namespace: dict, path: str) -> None:
    """Write the page's data (CSV) and its source ids (JSON beside it); called from a cell added at
    the end of the executed notebook and removed from the output. The data is what the template
    names ``page_data`` (a frame, or a dict of name → frame); a template that names none offers the
    facts behind its sources (``page_sources``)."""
    frames: dict[str, pd.DataFrame] = {}
    chosen = namespace.get("page_data")
    if isinstance(chosen, pd.DataFrame):
        frames = {"data": chosen}
    elif isinstance(chosen, dict):
        frames = {k: v for k, v in chosen.items() if isinstance(v, pd.DataFrame)}
    sources = sorted(str(s) for s in namespace.get("page_sources", set()) or set())
    if not frames and sources:
        from . import data

        facts = data.facts()
        frames = {"facts": facts[facts.source_id.isin(sources)]}
    if len(frames) > 1:
        table = pd.concat([v.assign(table=k) for k, v in frames.items()], ignore_index=True)
    else:
        table = next(iter(frames.values()), pd.DataFrame())
    table.to_csv(path, index=False)
    Path(path).with_suffix(".json").write_text(json.dumps(sources), encoding="utf-8")


# --------------------------------------------------------------------------- execution
def execute(template: str, params: dict, workdir: Path) -> tuple[nbformat.NotebookNode, pd.DataFrame, list[str]]:
    import papermill as pm

    from . import runner

    path = NOTEBOOKS / f"{template}.ipynb"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")))
        raise PageFileError(f"unknown template {template!r}; templates: {known}")
    try:
        runner.check_parameters(path, params)
    except runner.PageError as exc:
        raise PageFileError(str(exc)) from None
    nb = nbformat.read(path, as_version=4)
    csv = workdir / "page-data.csv"
    cell = nbformat.v4.new_code_cell(
        f"import reformbook.onepage as _onepage\n"
        f"_onepage.export(globals(), {str(csv)!r})")
    cell.metadata["tags"] = [EXPORT_TAG, "remove-cell"]
    nb.cells.append(cell)
    out = workdir / f"{template}.ipynb"
    try:
        pm.execute_notebook(nb, str(out), parameters=params, cwd=str(NOTEBOOKS), kernel_name="python3",
                            progress_bar=False, log_output=False)
    except pm.PapermillExecutionError as exc:
        raise PageFileError(f"notebooks/{template}.ipynb failed in cell [{exc.exec_count}]: "
                            f"{exc.ename}: {exc.evalue}") from None
    done = nbformat.read(out, as_version=4)
    done.cells = [c for c in done.cells if EXPORT_TAG not in c.metadata.get("tags", [])]
    runner.postprocess(done)
    table = pd.read_csv(csv, dtype=str, keep_default_na=False) if csv.stat().st_size > 1 else pd.DataFrame()
    sources = json.loads(csv.with_suffix(".json").read_text(encoding="utf-8"))
    return done, table, sources


# --------------------------------------------------------------------------- HTML
_ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<text>[^`]*)`")
_RECORD = "application/papermill.record/"


def glued(nb) -> dict[str, object]:
    """Values stored with myst-nb's ``glue``: name → Python value (or its text)."""
    values = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            text = out.get("data", {}).get(_RECORD + "text/plain")
            if name and text is not None:
                try:
                    values[name] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    values[name] = text
    return values


def _roles(text: str, values: dict) -> str:
    """Put glued values in place of ``{glue:text}`name``` and reduce other roles to their text."""

    def one(m):
        role, body = m.group("role"), m.group("text")
        if role.startswith("glue"):
            name, _, spec = body.partition(":")
            if name not in values:
                return f"[{name}: not computed]"
            v = values[name]
            return format(v, spec) if spec else str(v)
        label = re.match(r"^(.*?)\s*<[^>]*>$", body)  # {doc}`Title <path>`
        return label.group(1) if label else body

    return _ROLE.sub(one, text)


def _markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


def _code(source: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(source, PythonLexer(), HtmlFormatter(noclasses=True, nowrap=False))


def _output(out) -> str:
    kind = out.get("output_type")
    if kind == "stream":
        return f'<pre class="{html.escape(out.get("name", "stdout"))}">{html.escape(out.get("text", ""))}</pre>'
    if kind == "error":
        return f'<pre class="stderr">{html.escape(out.get("ename", ""))}: {html.escape(out.get("evalue", ""))}</pre>'
    data = out.get("data", {})
    if data and all(k.startswith(_RECORD) for k in data):
        return ""  # a glued value: shown in the prose
    meta = out.get("metadata", {})
    if "image/png" in data:
        alt = meta.get("image/png", {}).get("alt", "chart")
        return f'<img src="data:image/png;base64,{data["image/png"].strip()}" alt="{html.escape(alt)}">'
    if "image/svg+xml" in data:
        return data["image/svg+xml"]
    if "text/html" in data:
        return data["text/html"]
    if "text/markdown" in data:
        return _markdown(data["text/markdown"])
    if "text/plain" in data:
        return f"<pre>{html.escape(data['text/plain'])}</pre>"
    return ""


def _cell(cell, values: dict) -> str:
    tags = set(cell.metadata.get("tags", []))
    if "remove-cell" in tags:
        return ""
    if cell.cell_type == "markdown":
        return _markdown(_roles(cell.source, values))
    if cell.cell_type != "code":
        return ""
    parts = []
    if "remove-input" not in tags and cell.source.strip():
        code = _code(cell.source)
        parts.append(f"<details><summary>Show code</summary>{code}</details>" if "hide-input" in tags else code)
    if "remove-output" not in tags:
        shown = "".join(_output(o) for o in cell.get("outputs", []))
        if shown:
            parts.append(f"<details><summary>Show output</summary>{shown}</details>" if "hide-output" in tags
                         else shown)
    if parts and "hide-cell" in tags:
        return f'<div class="cell"><details><summary>Show cell</summary>{"".join(parts)}</details></div>'
    return f'<div class="cell">{"".join(parts)}</div>' if parts else ""


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #222; }
img { max-width: 100%; height: auto; }
pre { overflow-x: auto; background: #f6f6f6; padding: .5rem; font-size: .85rem;
      font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: .2rem .4rem; text-align: left; vertical-align: top; }
details { margin: .5rem 0; } summary { cursor: pointer; color: #555; }
.about { color: #555; font-size: .85rem; border-top: 1px solid #ddd; margin-top: 2rem; padding-top: .5rem; }
"""


def to_html(nb, table: pd.DataFrame, sources: list[str], template: str, params: dict) -> str:
    from . import data

    values = glued(nb)
    body = "".join(_cell(c, values) for c in nb.cells)
    heading = next((c.source.lstrip("# ").splitlines()[0] for c in nb.cells
                    if c.cell_type == "markdown" and c.source.startswith("# ")), template)
    src = data.sources()
    src = src[src.source_id.isin(sources)].sort_values("source_id")
    items = "".join(
        f'<li>{html.escape(r.publisher)}, “{html.escape(r.title)}”'
        + (f" ({html.escape(str(r.date_published))})" if str(r.date_published).strip() else "")
        + (f' — <a href="{html.escape(r.url)}">{html.escape(r.url)}</a>' if r.url else " (no address known)")
        + "</li>" for r in src.itertuples())
    links = f"<h2>Sources, with links</h2><ol>{items}</ol>" if items else ""
    csv = table.to_csv(index=False).encode("utf-8")
    download = (f'<h2>Data</h2><p><a download="{html.escape(template)}.csv" '
                f'href="data:text/csv;charset=utf-8;base64,{base64.b64encode(csv).decode()}">Download the data '
                f"behind this page</a> (CSV, {len(table)} row{'' if len(table) == 1 else 's'}, UTF-8).</p>"
                f"<details><summary>Show the data</summary>{table.to_html(index=False, na_rep='—')}</details>")
    about = (f'<p class="about">Made with <code>python -m reformbook page {html.escape(template)}</code> on '
             f"{dt.date.today().isoformat()}; parameters: <code>{html.escape(json.dumps(params, ensure_ascii=False))}"
             "</code>.</p>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(heading)}</title><style>{CSS}</style></head>"
            f"<body><main>{body}{links}{download}{about}</main></body></html>\n")


def make(template: str, params: dict, html_out: Path | None = None, ipynb_out: Path | None = None) -> None:
    """Execute one page and write it as standalone HTML and/or the executed notebook."""
    if html_out is None and ipynb_out is None:
        raise PageFileError("say where to write the page: --html out.html and/or --ipynb out.ipynb")
    with tempfile.TemporaryDirectory() as tmp:
        nb, table, sources = execute(template, params, Path(tmp))
    if ipynb_out is not None:
        nbformat.write(nb, str(ipynb_out))
    if html_out is not None:
        Path(html_out).write_text(to_html(nb, table, sources, template, params), encoding="utf-8")
