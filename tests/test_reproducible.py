"""Two clean builds of the same sources, in different folders, give byte-identical HTML and SVG."""

from __future__ import annotations

import filecmp
import shutil

import pytest

from bookbuild import build
from conftest import COPY_IGNORE, REPO

pytestmark = pytest.mark.book

#: Files that legitimately differ between builds, with the reason.
EXCLUDED = {
    ".buildinfo": "Sphinx's own build hash file, not served to readers",
}


def test_two_clean_builds_are_identical(tmp_path):
    outputs = []
    for name in ("first", "second-with-a-longer-path"):
        book = tmp_path / name / "book"
        shutil.copytree(REPO, book, ignore=COPY_IGNORE)
        done, _ = build(book)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        outputs.append(book / "_build" / "html")
    first, second = outputs
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file() and p.suffix in (".html", ".svg", ".js", ".csv", ".json", ".bib", ".png"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file() and p.suffix in (".html", ".svg", ".js", ".csv", ".json", ".bib", ".png"))
    different = [str(f) for f in files if f.name not in EXCLUDED and not filecmp.cmp(first / f, second / f, shallow=False)]
    assert different == [], different
