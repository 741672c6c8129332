"""Teaching material: objectives, notation, visible data conditions, gallery, problems, launch buttons.

Fast tests read sources and call the library; the ``book`` tests build a copy of the book and read
its HTML (conditions visible without hover, every figure in the gallery, launch buttons when a
repository URL is set, no link to the answer key).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from slides import DECKS as CHAPTERS_WITH_OBJECTIVES  # every chapter with a slide deck (tools/slides.py)
from support.repo import REPO, measurement_row, study_bibkey


def _visible_source(key: str) -> str:
    """How a number's paper is named next to it, read from references.bib by hand: '[97]' for the review's
    reference [97]; for a paper added later its first author's surname, or 'authors not recorded'."""
    bib = (REPO / "references.bib").read_text(encoding="utf-8")
    entry = bib[bib.index("{" + key + ","):]
    entry = entry[: entry.find("\n@")]
    if number := re.search(r"reviewnumber\s*=\s*\{(\d+)\}", entry):
        return f"[{number.group(1)}]"
    author = re.search(r"author\s*=\s*\{(.*)\}", entry).group(1)
    first = author.split(" and ")[0]
    return "authors not recorded" if first.strip() == "others" else first.split(",")[0].strip()


def _expected_conditions(mid: str) -> list[str]:
    """What a reader must see next to a number, worked out from the CSV files (not from the library)."""
    row = measurement_row(mid)
    tokens = []
    if row["current_density"]:
        tokens.append(f"{float(row['current_density']):g} mA/cm²")
    if row["areal_capacity"]:
        tokens.append(f"{float(row['areal_capacity']):g} mAh/cm²")
    if row["at_cycle"] and row["unit"] != "cycles":  # a first-cycle value is not a one-cycle test
        tokens.append("initial (cycle 1)" if float(row["at_cycle"]) == 1 else f"{float(row['at_cycle']):g} cycles")
    key = row.get("bibkey") or study_bibkey(row["study"])
    tokens.append(_visible_source(key))
    return tokens


# ------------------------------------------------------------------------------------ fast
@pytest.mark.parametrize("name", CHAPTERS_WITH_OBJECTIVES)
def test_every_chapter_has_three_to_five_objectives_after_its_title(name):
    from slides import chapter_objectives

    text = (REPO / "chapters" / f"{name}.md").read_text(encoding="utf-8")
    after_title = text[text.index("\n# "):].split("\n", 2)[2]
    assert after_title.lstrip().startswith("```{admonition} Learning objectives"), f"{name}: block not right after the title"
    assert 3 <= len(chapter_objectives(REPO, name)) <= 5


def test_notation_page_labels_the_symbols_of_the_models():
    text = (REPO / "chapters" / "notation.md").read_text(encoding="utf-8")
    labels = re.findall(r"^\((notation-[\w-]+)\)=$", text, re.M)
    assert len(labels) == len(set(labels)), "duplicate notation labels"
    for slug in ("sand-time", "j", "j-lim", "j-loc", "a", "l", "al", "i0", "nu", "sigma-eff", "kappa-eff", "eta", "r",
                 "qc", "np", "ec", "ce", "n", "ta", "d", "c0", "faraday", "gas-constant", "temperature"):
        assert f"notation-{slug}" in labels, slug
    models = (REPO / "chapters" / "models.md").read_text(encoding="utf-8")
    for symbol in (r"\sigma_\mathrm{eff}", r"\kappa_\mathrm{eff}", "i_0", r"\nu", "J_\\mathrm{lim}", "Q_c", "t_a"):
        assert symbol in models and symbol in text, symbol


def test_conditions_printed_after_a_number_match_the_data():
    import reviewfigs as rf
    from reviewfigs.text.provenance import visible_conditions

    review = rf.review(REPO)
    for mid in ("m006", "m088", "m093"):
        shown = visible_conditions(review.tidy().set_index("id", drop=False).loc[mid], review.bib)
        for token in _expected_conditions(mid):
            assert token in shown, (mid, token, shown)


def test_gallery_lists_every_registered_figure_with_its_data():
    import reviewfigs as rf
    from reviewfigs import teaching
    from reviewfigs.figures import FIGURES

    review = rf.review(REPO)
    text = teaching.gallery_myst(review)
    for name in FIGURES:
        assert f"gallery/{name}.svg" in text and f"gallery/{name}.png" in text, name
    assert text.count("Attribution (CC BY 4.0):") == len(FIGURES)
    assert "no data file" not in text and "## 1. `" not in text  # human headings, not registry names
    assert len(FIGURES["ce_map"].sources(review).rows) > 0


def test_at_least_eight_combined_problems_with_computed_answers():
    import reviewfigs as rf
    from reviewfigs import teaching

    review = rf.review(REPO)
    assert len(teaching.PROBLEMS) >= 8
    assert all(len(p.chapters) >= 2 for p in teaching.PROBLEMS)
    for p in teaching.PROBLEMS:
        assert re.search(r"\d", p.answer(review)), p.label
    # one answer checked against the thresholds file, worked out here: CE = 1 - (N/P)/n with N/P = Li/Q_c
    with (REPO / "data" / "thresholds.csv").open(newline="", encoding="utf-8") as handle:
        th = {r["quantity"]: float(r["value"]) for r in csv.DictReader(handle)}
    ce = 100 * (1 - th["anode_li"] / th["cathode_areal_capacity"] / 1000)
    answer = next(p for p in teaching.PROBLEMS if p.label == "pr-ce-needed").answer(review)
    assert f"{ce:.5g} %" in answer
    every = teaching.exercises(REPO)
    listing = teaching.problems_myst(review, REPO)
    assert len(every) >= 20 and all(label in listing for _, label, _ in every)


def test_problem_sources_type_no_numbers():
    """Answers are computed: the problem functions hold no result numbers typed as text."""
    source = (REPO / "src" / "reviewfigs" / "teaching.py").read_text(encoding="utf-8")
    block = source[source.index("PROBLEMS: list[Problem] = ["):source.index("def exercises")]
    typed = re.findall(r'"[^"{}]*\d+(?:\.\d+)? ?(?:%|h|cycles|Wh/kg|µm|mAh/cm²)[^"{}]*"', block)
    assert not typed, typed


def test_launch_buttons_only_with_a_repository_url():
    from reviewfigs.sphinxext.teaching import configure_launch_buttons

    off = configure_launch_buttons({"repository_url": "", "launch_buttons": {"binderhub_url": "https://mybinder.org"}}, {})
    assert "repository_url" not in off and off["launch_buttons"] == {}
    on = configure_launch_buttons({"repository_url": ""}, {"REVIEWFIGS_REPOSITORY_URL": "https://github.com/o/r",
                                                          "REVIEWFIGS_JUPYTERHUB_URL": "https://hub.example.org"})
    assert on["repository_url"] == "https://github.com/o/r"
    assert on["launch_buttons"]["binderhub_url"] and on["launch_buttons"]["colab_url"]
    assert on["launch_buttons"]["jupyterhub_url"] == "https://hub.example.org"


# ------------------------------------------------------------------------------------ book
# the suite's shared offline build (support/books.py, offline_book); the launch buttons' settings are unit-tested above
@pytest.mark.book
def test_no_condition_is_reachable_only_by_hover(offline_book):
    from bs4 import BeautifulSoup

    checked = 0
    for page in sorted((offline_book.book / "_build" / "html" / "chapters").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("a.datum"):
            mid = re.search(r"data row (m\d+)", a["title"]).group(1)
            shown = a.find_next_sibling("span", class_="datum-conditions")
            assert shown is not None, f"{page.name}: {mid} has its conditions only in the tooltip"
            visible = shown.get_text()
            for token in _expected_conditions(mid):
                assert token in visible, f"{page.name}: {mid}: '{token}' only in the tooltip ({visible})"
            checked += 1
    assert checked > 50


@pytest.mark.book
def test_gallery_page_and_files_cover_every_figure(offline_book):
    from bs4 import BeautifulSoup

    from reviewfigs.figures import FIGURES

    html = offline_book.book / "_build" / "html"
    soup = BeautifulSoup((html / "chapters" / "gallery.html").read_text(encoding="utf-8"), "html.parser")
    images = {Path(img["src"]).stem for img in soup.select("img.gallery-figure") if img.get("alt")}
    assert images == set(FIGURES)
    for name in FIGURES:
        for ext in ("svg", "png"):
            assert (html / "gallery" / f"{name}.{ext}").stat().st_size > 1000


@pytest.mark.book
def test_answer_key_is_not_linked_from_any_page(offline_book):
    for html_page in (offline_book.book / "_build" / "html").rglob("*.html"):
        assert not re.search(r'href="[^"]*answer-key', html_page.read_text(encoding="utf-8")), html_page
