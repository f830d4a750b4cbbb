"""Every shell command in the code blocks of README.md and book/*.md, run as typed in a copy of the
repository (the worktree's .venv linked in, so nothing is reinstalled).

A block is a fenced code block whose language is bash, sh, shell or console (in console blocks, the
lines starting with ``$ ``). An HTML comment on the line before a block changes what is expected:

- ``<!-- expect-fail: exit 2, "message" -->``: every command of the block must exit with that status and
  print the message (stdout or stderr);
- ``<!-- not-run-here: reason -->``: the block is not run; the reason says why (and where it is tested).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from reformbook.paths import ROOT

pytestmark = pytest.mark.slow

DOCS = [ROOT / "README.md", *sorted((ROOT / "book").glob("*.md"))]
SHELLS = {"bash", "sh", "shell", "console"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w-]*)")
MARK = re.compile(r"<!--\s*(?P<kind>expect-fail|not-run-here)\s*:\s*(?P<body>.*?)\s*-->")
EXPECT = re.compile(r'^exit\s+(?P<code>\d+)\s*,\s*"(?P<message>.*)"$')
IGNORE = shutil.ignore_patterns(".venv", ".git", "_build", ".build-staging", "__pycache__", ".pytest_cache",
                                "*.egg-info")


@dataclass
class Command:
    doc: str
    line: int
    text: str
    expect_code: int = 0
    expect_message: str | None = None
    skip: str | None = None

    def __str__(self):
        return f"{self.doc}:{self.line}: {self.text}"


def commands(path: Path, root: Path = ROOT) -> list[Command]:
    """The shell commands of one Markdown file, with what each is expected to do."""
    out: list[Command] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    doc = path.relative_to(root).as_posix()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = len(m.group("indent")), m.group("fence"), m.group("lang")
        prev = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        mark = MARK.search(prev)
        body, j = [], i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            body.append((j + 1, lines[j][indent:] if lines[j][:indent].isspace() else lines[j].lstrip()))
            j += 1
        if lang in SHELLS:
            code, message, skip = 0, None, None
            if mark and mark.group("kind") == "expect-fail":
                e = EXPECT.match(mark.group("body"))
                assert e, f"{doc}:{i}: write expect-fail as: exit N, \"message\""
                code, message = int(e.group("code")), e.group("message")
            elif mark:
                skip = mark.group("body")
                assert skip, f"{doc}:{i}: not-run-here needs a reason"
            pending, start = "", None
            for lineno, text in body:
                if lang == "console":
                    if not (text.startswith("$ ") or pending):
                        continue
                    text = text[2:] if text.startswith("$ ") else text
                if not pending and (not text.strip() or text.lstrip().startswith("#")):
                    continue
                start = start or lineno
                if text.rstrip().endswith("\\"):
                    pending += text.rstrip()[:-1] + " "
                    continue
                out.append(Command(doc, start, pending + text, code, message, skip))
                pending, start = "", None
        i = j + 1
    return out


ALL = [c for doc in DOCS for c in commands(doc)]


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """One copy of the repository per document, made on first use."""
    made: dict[str, Path] = {}

    def get(doc: str) -> Path:
        if doc not in made:
            work = tmp_path_factory.mktemp(re.sub(r"\W", "_", doc)) / "repo"
            shutil.copytree(ROOT, work, ignore=IGNORE)
            (work / ".venv").symlink_to(ROOT / ".venv")
            made[doc] = work
        return made[doc]

    return get


def test_the_docs_have_commands():
    docs = {c.doc for c in ALL}
    assert "README.md" in docs and "book/methods.md" in docs
    assert any(c.expect_code for c in ALL)


@pytest.mark.parametrize("command", ALL, ids=str)
def test_documented_command(command, copies):
    if command.skip:
        pytest.skip(f"not run here: {command.skip}")
    work = copies(command.doc)
    env = {**os.environ, "REFORMBOOK_ROOT": str(work), "MPLBACKEND": "Agg"}
    env.pop("PYTEST_CURRENT_TEST", None)
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", command.text], cwd=work, env=env, capture_output=True,
                          text=True, timeout=600)
    said = proc.stdout + proc.stderr
    assert proc.returncode == command.expect_code, (
        f"{command}\nexit {proc.returncode}, expected {command.expect_code}\n{said[-3000:]}")
    if command.expect_message:
        assert command.expect_message in said, f"{command}\nexpected {command.expect_message!r} in:\n{said[-3000:]}"


def test_the_extractor_reads_marks_and_continuations(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text('Text\n\n<!-- expect-fail: exit 2, "bad" -->\n```bash\nfalse \\\n  --flag\n# a comment\n```\n'
                   '  <!-- not-run-here: slow -->\n  ```sh\n  sleep 1000\n  ```\n```console\n$ echo hi\nhi\n```\n'
                   '```python\nprint(1)\n```\n', encoding="utf-8")
    found = commands(doc, root=tmp_path)
    assert [(c.text, c.expect_code, c.expect_message, c.skip) for c in found] == [
        ("false  --flag", 2, "bad", None), ("sleep 1000", 0, None, "slow"), ("echo hi", 0, None, None)]
