"""tools/pdf.py reads the table of contents with sphinx-external-toc: nested sections and globs included."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from support.repo import REPO


@pytest.fixture(scope="module")
def pdf():
    spec = importlib.util.spec_from_file_location("tools_pdf", REPO / "tools" / "pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sections_and_globs_are_followed_in_reading_order(pdf, tmp_path: Path):
    for name in ("index", "intro", "part/a", "part/a1", "part/a2", "extra/x", "extra/y"):
        (tmp_path / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f"{name}.md").write_text(f"# {name}\n", encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n"
        "  - caption: One\n    chapters:\n      - file: intro\n"
        "      - file: part/a\n        sections:\n          - file: part/a1\n          - file: part/a2\n"
        "  - caption: Two\n    chapters:\n      - glob: extra/*\n      - url: https://example.org\n        title: Away\n",
        encoding="utf-8")
    assert pdf.toc_pages(tmp_path) == ["index.html", "intro.html", "part/a.html", "part/a1.html", "part/a2.html",
                                       "extra/x.html", "extra/y.html"]


def test_the_books_toc_lists_every_chapter_once(pdf):
    pages = pdf.toc_pages(REPO)
    assert pages[0] == "index.html" and len(pages) == len(set(pages))
    toc = (REPO / "_toc.yml").read_text(encoding="utf-8")
    listed = [line.split("file:", 1)[1].strip() for line in toc.splitlines() if "file:" in line]
    assert pages[1:] == [f"{name}.html" for name in listed]
