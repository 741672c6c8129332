"""Every page that counts full cells, or cells past a threshold, shows the same count.

The counts are read from what the built pages show: the values the pages glue into their prose,
the rows of the practical-gap table, and the full-cell map's text description.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

#: quantity -> the (page, glue name) pairs that print it
COUNTED = {
    "full cells": [("outlook", "n_full"), ("models", "n_cells")],
    "cells past the cathode threshold": [("outlook", "n_cathode_ok"), ("models", "n_past_capacity")],
}


def disagreements(shown: dict[str, dict[str, int]]) -> list[str]:
    """Quantities whose pages disagree, as 'quantity: page=value, ...' (``shown``: quantity -> page -> value)."""
    return [f"{quantity}: " + ", ".join(f"{page}={value}" for page, value in pages.items())
            for quantity, pages in shown.items() if len(set(pages.values())) > 1]


def glued_number(execute_dir: Path, page: str, name: str) -> int:
    store = json.loads(next(execute_dir.rglob(f"{page}.glue.json")).read_text(encoding="utf-8"))
    text = "".join(store[name]["data"]["text/plain"])
    return int(float(re.search(r"[-+]?\d+(?:\.\d+)?", text).group(0)))


def test_disagreements_catch_a_planted_count():
    agree = {"full cells": {"outlook": 19, "models": 19, "gap table": 19}}
    assert disagreements(agree) == []
    planted = {"full cells": {"outlook": 19, "models": 20, "gap table": 19}}  # a page that split the SPAN cell
    assert disagreements(planted) == ["full cells: outlook=19, models=20, gap table=19"]


@pytest.mark.book
def test_every_page_shows_the_same_counts(offline_book, real_review):
    from bs4 import BeautifulSoup

    from reviewfigs.analysis import gap_counts

    book = offline_book.book
    execute = book / "_build" / "jupyter_execute"
    shown = {quantity: {f"{page}:{name}": glued_number(execute, page, name) for page, name in pairs}
             for quantity, pairs in COUNTED.items()}
    outlook = BeautifulSoup((book / "_build" / "html" / "chapters" / "outlook.html").read_text(encoding="utf-8"), "html.parser")
    gap_table = outlook.find(id="tbl-practical-gap")
    gap_table = gap_table if gap_table.name == "table" else gap_table.find_parent("table") or gap_table.find("table")
    shown["full cells"]["outlook: practical-gap table rows"] = len(gap_table.find("tbody").find_all("tr"))
    described = re.search(r"Of the (\d+) full cells", outlook.get_text(" "))
    assert described, "the full-cell map's text description no longer states its count"
    shown["full cells"]["outlook: full-cell map description"] = int(described.group(1))
    assert disagreements(shown) == []
    # and the pages agree with the one definition in the library
    counts = gap_counts(real_review)
    assert set(shown["full cells"].values()) == {counts["full_cells"]}
    assert set(shown["cells past the cathode threshold"].values()) == {counts["meet_cathode_areal_capacity"]}


def teaching_counts(review, root: Path) -> dict[str, dict[str, int]]:
    """The same two counts as the problem set's answer key, the outlook and table-1 slides and the gallery
    print them (each read back from the text those pages are made of)."""
    import importlib.util
    import sys

    from reviewfigs import teaching
    from reviewfigs.figures import FIGURES

    tools = root / "tools"
    sys.path.insert(0, str(tools))
    try:
        spec = importlib.util.spec_from_file_location("slides_for_counts", tools / "slides.py")
        slides = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(slides)
    finally:
        sys.path.remove(str(tools))
    key = teaching.problems_myst(review, root, mode=teaching.KEY)
    loading = re.search(r"(\d+) of the (\d+) full cells whose cathode capacity is known exceed it \((\d+) full cells in all",
                        key)
    assert loading, "the answer key no longer states the loading-gap count"
    deck = slides.main_numbers(review, "outlook")[1]
    on_slide = re.search(r"exceeding the cathode threshold .*?: (\d+) of the (\d+) with a known capacity \((\d+) full cells", deck)
    assert on_slide, "the outlook slide no longer states the count"
    alt = FIGURES["fullcell_map"].alt(review)
    gallery = re.search(r"Of the (\d+) full cells, (\d+) meet the cathode threshold", alt)
    assert gallery, "the full-cell map's alt text (gallery, slides) no longer states its counts"
    return {"full cells": {"answer key": int(loading.group(3)), "slides": int(on_slide.group(3)),
                           "gallery": int(gallery.group(1))},
            "cells past the cathode threshold": {"answer key": int(loading.group(1)), "slides": int(on_slide.group(1)),
                                                 "gallery": int(gallery.group(2))}}


def test_problem_set_answer_key_slides_and_gallery_show_the_library_counts(real_review, repo):
    from reviewfigs.analysis import gap_counts

    shown = teaching_counts(real_review, repo)
    assert disagreements(shown) == []
    counts = gap_counts(real_review)
    assert set(shown["full cells"].values()) == {counts["full_cells"]}
    assert set(shown["cells past the cathode threshold"].values()) == {counts["meet_cathode_areal_capacity"]}
