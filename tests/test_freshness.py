"""Never stale: a data edit re-executes exactly the pages that read data; a no-change rebuild executes nothing."""

from __future__ import annotations

import re
import shutil

import pytest

from bookbuild import build, html
from conftest import COPY_IGNORE, REPO

pytestmark = pytest.mark.book
EXECUTED = re.compile(r"Executing notebook")


def executed(done) -> int:
    return len(EXECUTED.findall(done.stdout + done.stderr))


def notebook_pages(book) -> set[str]:
    return {p.stem for p in (book / "chapters").glob("*.md") if "{code-cell}" in p.read_text(encoding="utf-8")}


def test_data_edit_shows_up_and_only_data_pages_rerun(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(REPO, book, ignore=COPY_IGNORE)
    cold, _ = build(book, "-v")
    assert cold.returncode == 0, cold.stdout[-3000:]
    assert executed(cold) == len(notebook_pages(book))
    page = html(book, "chapters/lithiophilicity.html")
    assert ">99.0 %<" in page  # GSCP's average CE (row m006) as the review prints it

    path = book / "data" / "measurements.csv"
    text = path.read_text(encoding="utf-8")
    assert "m006,GSCP,GSCP,host,half,unspecified,average_ce,99.0," in text
    path.write_text(text.replace("m006,GSCP,GSCP,host,half,unspecified,average_ce,99.0,", "m006,GSCP,GSCP,host,half,unspecified,average_ce,97.7,"), encoding="utf-8")
    edited, _ = build(book, "-v")
    assert edited.returncode == 0, edited.stdout[-3000:]
    page = html(book, "chapters/lithiophilicity.html")
    assert ">97.7 %<" in page and ">99.0 %<" not in page
    assert executed(edited) == len(notebook_pages(book)), "every page that runs code reads the data, so all re-execute"

    again, _ = build(book, "-v")
    assert again.returncode == 0
    assert executed(again) == 0
    assert "0 added, 0 changed, 0 removed" in again.stdout


def test_editing_prose_reruns_only_that_page(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(REPO, book, ignore=COPY_IGNORE)
    assert build(book)[0].returncode == 0
    page = book / "chapters" / "outlook.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence for the test.\n", encoding="utf-8")
    done, _ = build(book, "-v")
    assert done.returncode == 0
    assert executed(done) == 1
    assert "One more sentence for the test." in html(book, "chapters/outlook.html")
