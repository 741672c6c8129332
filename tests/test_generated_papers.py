"""Every view, proven over generated papers (Hypothesis) rather than over today's data.

Each example adds one or two valid papers drawn from the schema (tests/generated_papers.py) to the
review's data and builds every view at library level: the pages' tables and texts, the figures' text
descriptions, the tooltips, the exports, the gallery and the problems with their answers. For every
example: nothing raises; no 'nan', 'None' or '[None]' in any text; no mark of another study is lost or
changed; each full cell is counted once (k cells added => every full-cell count grows by exactly k),
and every page that shows that count shows the same number. Examples are seeded (derandomized), so a
failure is the same on every run and shrinks to the smallest paper that breaks the invariant.
"""

from __future__ import annotations

import os
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from reviewfigs.anchors import added_anchor
from reviewfigs.data.load import read_all
from reviewfigs.vocab import OUR_LABEL, OUR_LABEL_NOTE, SECTIONS
from support.generated_papers import MISSING_TOKENS, REPO, add_in_memory, base_of, papers

#: HYPOTHESIS_PROFILE=no-shrink reports the first failing paper at once (shrinking a slow example takes minutes);
#: HYPOTHESIS_PROFILE=everyday (make test-fast) draws a tenth of the papers, at least 3 per test; make test and
#: CI draw them all
settings.register_profile("no-shrink", phases=(Phase.explicit, Phase.reuse, Phase.generate))
settings.register_profile("everyday", max_examples=settings.default.max_examples // 10)
FULL_BUDGET = settings.default.max_examples  # Hypothesis's own default profile
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def examples(full: int) -> int:
    """``full`` examples under the default profile, the same share of them under a smaller one."""
    return max(3, full * settings.default.max_examples // FULL_BUDGET)


TABLES, BIB, _ISSUES = read_all(REPO)
BASE = base_of(TABLES, BIB)
EXAMPLES = settings(max_examples=examples(200), derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


CROSS_FAMILY = ("ce_map", "lifespan_bubbles", "fullcell_map", "retention_vs_cycles", "overpotentials")


def views(review, everything: bool = True, ids=None) -> dict[str, str]:
    """The texts the book builds from the data, by the library functions the pages call.

    ``everything=False`` keeps the views a paper can change in one place (its tables, What's new, the
    practical gap, the cross-family figures' descriptions, the export and the tooltips of rows ``ids``)
    for the many-example test; ``True`` adds the gallery, the problems and every figure description."""
    from reviewfigs.analysis.electrolytes import electrolyte_groups
    from reviewfigs.analysis.exercises import ANSWERS, answer
    from reviewfigs.data.warnings import view_warnings
    from reviewfigs.export import render
    from reviewfigs.figures import FIGURES
    from reviewfigs.teaching import KEY, gallery_myst, problems_myst
    from reviewfigs.text.gap import practical_gap_myst
    from reviewfigs.text.interactive import table1_frame
    from reviewfigs.text.provenance import describe, visible_conditions
    from reviewfigs.text.tables import comparison_myst, discrepancy_list_myst, table1_myst, whats_new_myst

    tidy = review.tidy()
    texts = {
        "table1": table1_myst(review),
        "table1 (interactive)": table1_frame(review).to_csv(index=False),
        "what's new": whats_new_myst(review), "practical gap": practical_gap_myst(review),
        "electrolytes": electrolyte_groups(review).to_csv(index=False),
        "export (csv)": render(tidy if ids is None else tidy[tidy["id"].isin(ids)], "csv"),
        "check warnings": "\n".join(str(w) for w in view_warnings(review)),
    }
    for name in (FIGURES if everything else CROSS_FAMILY):
        texts[f"figure {name} (description)"] = FIGURES[name].alt(review)
    rows = tidy if ids is None else tidy[tidy["id"].isin(ids)]
    for _, row in rows.iterrows():
        texts[f"tooltip {row['id']}"] = describe(row, review.bib) + " | " + visible_conditions(row, review.bib)
    sections = set(SECTIONS) if everything or ids is None else set(rows["section"].dropna())
    for section in sorted(sections):
        texts[f"comparison {section}"] = comparison_myst(review, section)
    if everything:
        texts.update({"discrepancies": discrepancy_list_myst(review), "gallery": gallery_myst(review, REPO),
                      "problems": problems_myst(review, REPO, mode=KEY)})
        # the chapters' exercise solutions glue these numbers and names into their prose
        texts.update({f"exercise {label}": repr(answer(label, review)) for label in ANSWERS})
    return texts


BASE_REVIEW = add_in_memory(REPO, TABLES, BIB, [])
BASE_VIEWS = views(BASE_REVIEW)
BASE_TOOLTIPS = {name: text for name, text in BASE_VIEWS.items() if name.startswith("tooltip ")}


def full_cell_counts(review, texts) -> dict[str, int]:
    """The number of full cells as each page shows it."""
    from reviewfigs.analysis.cells import full_cells
    from reviewfigs.analysis.practical import gap_counts

    shown = re.search(r"Of the (\d+) full cells", texts["figure fullcell_map (description)"])
    return {
        "analysis.full_cells": len(full_cells(review.tidy())),
        "gap_counts": gap_counts(review)["full_cells"],
        "practical-gap table rows": texts["practical gap"].count("\n* - ") - 1,  # minus the header row
        "full-cell map description": int(shown.group(1)),
    }


BASE_COUNTS = full_cell_counts(BASE_REVIEW, BASE_VIEWS)


def test_the_review_alone_counts_its_full_cells_alike_on_every_page():
    assert len(set(BASE_COUNTS.values())) == 1, BASE_COUNTS


def _draw_papers(data) -> list:
    """One paper, sometimes two (the second new to the first)."""
    import dataclasses

    first = data.draw(papers(BASE), label="paper")
    added = [first]
    if data.draw(st.booleans(), label="a second paper"):
        base = dataclasses.replace(BASE, studies=BASE.studies | {first.study["study"]},
                                   bibkeys=BASE.bibkeys | {first.study["bibkey"]},
                                   next_id=BASE.next_id + len(first.measurements),
                                   colours=BASE.colours | {f["colour"].upper() for f in first.families if f["colour"]})
        second = data.draw(papers(base), label="second paper")
        if not {f["family"] for f in second.families} & {f["family"] for f in first.families} and \
                not {q["quantity"] for q in second.quantities} & {q["quantity"] for q in first.quantities} and \
                not {c["cathode"] for c in second.cathodes} & {c["cathode"] for c in first.cathodes}:
            added.append(second)
    return added


def check_invariants(review, added, texts) -> None:
    for name, text in texts.items():  # no nan, None or [None] (an empty CSV cell is not one)
        found = MISSING_TOKENS.search(text)
        assert found is None, f"{name}: {found.group(0)!r} in …{text[max(0, found.start() - 80):found.end() + 40]}…"
    for name, text in BASE_TOOLTIPS.items():  # the review's own numbers read the same
        if name in texts:
            assert texts[name] == text, name
    check_words(review, added, texts)
    counts = full_cell_counts(review, texts)
    k = sum(p.full_cells for p in added)
    assert len(set(counts.values())) == 1, counts  # every page shows the same number
    assert counts["gap_counts"] == BASE_COUNTS["gap_counts"] + k, (counts, k)  # each cell counted once


#: a bound's word glued to its number ('almost950'), or a number with nothing to say what it is
GLUED_BOUND = re.compile(r"\b(?:almost|about|more than|less than)\d")
BARE_DATUM = re.compile(r"(?:^|; |- ){datum}", re.M)


def check_words(review, added, texts) -> None:
    """The words around an added paper's numbers: a family by its label, a word for every number, a bound
    apart from its number, a cell whose type the paper does not state said so, a value's cycle with it."""
    for name, text in texts.items():
        found = GLUED_BOUND.search(text)
        assert found is None, f"{name}: {found.group(0)!r}"
    news = texts["what's new"]
    tidy = review.tidy().set_index("id", drop=False)
    for bare in BARE_DATUM.finditer(news):  # allowed only where the printed number's unit names it ('950 cycles')
        r = tidy.loc[re.match(r"`(m\d+)`", news[bare.end():]).group(1)]
        assert pd.notna(r["value"]) and r["quantity_label"].lower() == r["unit"].lower(), \
            f"What's new lists {r['id']} ({r['quantity']}) with no word for what it is"
    for paper in added:
        row = news[news.index(f'<span id="{added_anchor(paper.study["study"])}">'):]
        label = review.vocabulary.family(paper.study["gradient"]).label
        assert f"  - {label}\n" in row, (paper.study["gradient"], label)
        ours = paper.study["named_by"] == OUR_LABEL  # the study's name is the book's label: every naming view says so
        assert (OUR_LABEL_NOTE in row.split("\n* - ")[0]) == ours, ("What's new", paper.study)
        for r in tidy[tidy["study"] == paper.study["study"]].itertuples():
            tip = texts.get(f"tooltip {r.id}")
            assert tip is None or tip.startswith(f"{r.study} ({OUR_LABEL_NOTE}): ") == ours, tip
    for m in (m for p in added for m in p.measurements):
        tip = texts.get(f"tooltip {m['id']}")
        if tip is None:
            continue
        r = tidy.loc[m["id"]]
        if r["cell_type"] == "unspecified":
            assert "not stated" in tip.split(" · ")[1], tip
        if str(m.get("at_cycle", "")).strip() and r["unit"] != "cycles":
            assert re.search(rf"\b{int(float(m['at_cycle']))} cycles|initial \(cycle 1\)", tip), tip


@EXAMPLES
@given(st.data())
def test_every_view_holds_for_generated_papers(data):
    added = _draw_papers(data)
    review = add_in_memory(REPO, TABLES, BIB, added)
    ids = {m["id"] for p in added for m in p.measurements} | {"m006", "m018", "m039"}
    check_invariants(review, added, views(review, everything=False, ids=ids))  # nothing raises


@settings(EXAMPLES, max_examples=examples(15))
@given(st.data())
def test_every_page_including_gallery_and_problems_holds_for_generated_papers(data):
    added = _draw_papers(data)
    review = add_in_memory(REPO, TABLES, BIB, added)
    check_invariants(review, added, views(review))


# --------------------------------------------------------------------- the figures themselves
FIGURE_EXAMPLES = settings(EXAMPLES, max_examples=examples(12))


def _marks(review, name):
    import matplotlib.pyplot as plt

    from reviewfigs.figures import FIGURES
    from reviewfigs.plots._links import marks_of

    fig = FIGURES[name].build(review)
    marks = {(m.study, m.what, m.conditions, m.ids) for m in marks_of(fig)}
    points = sum(len(c.get_offsets()) for ax in fig.axes for c in ax.collections if c.get_gid() == "data")
    plt.close(fig)
    return marks, points


BASE_MARKS = {}


@pytest.fixture(scope="module")
def base_marks():
    if not BASE_MARKS:
        BASE_MARKS.update({name: _marks(BASE_REVIEW, name) for name in CROSS_FAMILY})
    return BASE_MARKS


@FIGURE_EXAMPLES
@given(st.data())
def test_figures_keep_every_other_mark_for_generated_papers(base_marks, data):
    paper = data.draw(papers(BASE), label="paper")
    review = add_in_memory(REPO, TABLES, BIB, [paper])
    new_ids = {m["id"] for m in paper.measurements}
    for name in CROSS_FAMILY:
        before, points_before = base_marks[name]
        after, points_after = _marks(review, name)
        assert before <= after, (name, sorted(before - after)[:3])  # no mark of another study lost or changed
        assert all(set(ids) & new_ids for *_, ids in after - before), name
        assert points_after >= points_before, name  # a valid paper never blanks a chart
