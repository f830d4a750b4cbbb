import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "reformbook", *args], capture_output=True, text=True)


def test_resolve_prints_code_and_name():
    out = run("resolve", "TP.HCM", "Thừa Thiên - Huế")
    assert out.returncode == 0
    assert out.stdout.splitlines() == ["79\tTP. Hồ Chí Minh", "46\tThừa Thiên Huế"]


def test_resolve_unknown_exits_2_with_suggestions():
    out = run("resolve", "Hà Nộii")
    assert out.returncode == 2
    assert "did you mean: Hà Nội (01)" in out.stderr


def test_resolve_year_after_reorganisation():
    out = run("resolve", "--year", "2026", "Lào Cai")
    assert out.stdout.strip() == "15\tLào Cai"


def test_coverage_for_one_index_lists_the_missing():
    out = run("coverage", "--index", "PCI", "--missing")
    assert out.returncode == 0
    head = out.stdout.splitlines()[0].split()
    assert head[:3] == ["index", "year", "target"] and "not_published" in head
    assert "PCI 2023," in out.stdout and "PAPI" not in out.stdout


def test_coverage_unknown_index_exits_2():
    out = run("coverage", "--index", "NOPE")
    assert out.returncode == 2 and "available: PAR, SIPAS" in out.stderr


def test_coverage_takes_index_in_any_case_and_the_34_units():
    out = run("coverage", "--index", "dti", "--units", "34")
    assert out.returncode == 0, out.stderr
    row = [line.split() for line in out.stdout.splitlines() if line.split()[:2] == ["DTI", "2024"]]
    assert row and row[0][2:4] == ["34", "34"]  # target 34, a score for each of the 34 units


def test_coverage_refuses_unknown_units():
    out = run("coverage", "--units", "35")
    assert out.returncode == 2 and "invalid choice: '35'" in out.stderr
