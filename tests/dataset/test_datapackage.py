"""The Frictionless data package: current, valid (``frictionless validate``), catches a broken key, describes
every table; and the downloadable archive holds the package, the tables and the data dictionary."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from reformbook import package
from reformbook.paths import ROOT

FRICTIONLESS = str(Path(sys.executable).with_name("frictionless"))


def _validate(descriptor: Path) -> dict:
    proc = subprocess.run([FRICTIONLESS, "validate", str(descriptor), "--json"], capture_output=True, text=True)
    return json.loads(proc.stdout)


def test_committed_descriptor_is_current():
    committed = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert committed == package.descriptor(), "run `python -m reformbook package` and commit data/datapackage.json"


def test_frictionless_validates_the_package():
    report = _validate(ROOT / "data" / "datapackage.json")
    assert report["valid"], json.dumps(report["tasks"], ensure_ascii=False)[:3000]


@pytest.mark.parametrize("table, column, bad, error", [
    ("facts/seeds.csv", "source_id", "nowhere-000000", "foreign-key"),
    ("facts/seeds.csv", "value", "lots", "type-error"),
    ("metrics.csv", "metric", None, "primary-key"),
])
def test_frictionless_catches_bad_rows(tmp_path, table, column, bad, error):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("raw"))
    df = pd.read_csv(data / table, dtype=str, keep_default_na=False)
    if bad is None:  # a duplicated key
        df = pd.concat([df, df.head(1)])
    else:
        df.loc[0, column] = bad
    df.to_csv(data / table, index=False)
    report = _validate(data / "datapackage.json")
    assert not report["valid"]
    assert error in {e["type"] for t in report["tasks"] for e in t["errors"]}


def test_every_table_in_data_is_described():
    described = {r["path"] for r in package.descriptor()["resources"]}
    tables = {p.relative_to(ROOT / "data").as_posix() for pattern in ("*.csv", "facts/*.csv", "reference/*.csv")
              for p in (ROOT / "data").glob(pattern)}
    assert tables == described


def test_every_field_is_documented_and_every_resource_licensed():
    for r in package.descriptor()["resources"]:
        assert r["licenses"] and r["sources"], r["name"]
        for f in r["schema"]["fields"]:
            assert f["description"], (r["name"], f["name"])


def test_archive_holds_package_tables_and_dictionary(tmp_path):
    dest = package.write_archive(tmp_path / "data.zip")
    names = set(zipfile.ZipFile(dest).namelist())
    assert {"reformbook-data/datapackage.json", "reformbook-data/DATA_DICTIONARY.md", "reformbook-data/LICENSE.md",
            "reformbook-data/facts/indices.csv", "reformbook-data/sources.csv"} <= names
    again = package.write_archive(tmp_path / "again.zip")
    assert again.read_bytes() == dest.read_bytes()  # the same data make the same archive
