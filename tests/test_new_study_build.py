"""An author adds a paper to a copy of the book; after `check` and a build it shows up everywhere.

The same copy carries a `<script>` in a note and in a host description: the pages must show it
as text, never run it.
"""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from typer.testing import CliRunner

from bookbuild import build, html
from conftest import COPY_IGNORE, REPO
from reviewfigs import load_review
from reviewfigs.cli import app

pytestmark = pytest.mark.book
NAME = "ZX-9 host"
KEY = "synthetic2026graded"
ATTACK = "<script>alert('x')</script>"
ENTRY = f"""@article{{{KEY},
  author = {{Tester, A. and Writer, B.}},
  title = {{A synthetic graded host for checking the book}},
  journal = {{Journal of Synthetic Results}},
  year = {{2026}},
  volume = {{1}},
  pages = {{1--2}},
  note = {{Not cited in the review; synthetic entry made by the test suite}}
}}
"""
ROWS = [  # id, sample, cell_type, cell_format, quantity, value, bound, unit, at_cycle, J, Q, c_rate, cathode, loading, loading_unit, li, li_unit, np, notes
    ("half", "unspecified", "average_ce", "98.5", "%", "300", "2.0", "2.0", "", "", "", "", "", "", "", ATTACK),
    ("symmetric", "unspecified", "lifespan", "1500", "h", "", "2.0", "2.0", "", "", "", "", "", "", "", ""),
    ("full", "coin", "cycles", "200", "cycles", "", "", "", "0.5", "NCM811", "25", "mg/cm2", "8.0", "mAh/cm2", "1.6", ""),
    ("full", "coin", "capacity_retention", "85.0", "%", "200", "", "", "0.5", "NCM811", "25", "mg/cm2", "8.0", "mAh/cm2", "1.6", ""),
]


def add_synthetic_study(book):
    entry = book / "entry.bib"
    entry.write_text(ENTRY, encoding="utf-8")
    result = CliRunner().invoke(app, ["new-study", KEY, "--name", NAME, "--section", "2.2", "--bib", str(entry), "--root", str(book)])
    assert result.exit_code == 0, result.output
    entry.unlink()
    studies = book / "data" / "studies.csv"
    text = studies.read_text(encoding="utf-8")
    text = text.replace("TODO: the 3D host (scaffold)", f"carbon felt {ATTACK}")
    for todo in ("TODO: what is lithiophilic, and where", "TODO: what conducts electrons, and where", "TODO: how the host is made"):
        text = text.replace(todo, "synthetic")
    studies.write_text(text, encoding="utf-8")
    path = book / "data" / "measurements.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        columns = list(rows[0])
    next_id = max(int(r["id"][1:]) for r in rows) + 1
    for i, (ctype, fmt, quantity, value, unit, at, j, q, c, cathode, load, lunit, li, liunit, np, notes) in enumerate(ROWS):
        rows.append({**{c_: "" for c_ in columns}, "id": f"m{next_id + i:03d}", "study": NAME, "sample": NAME, "role": "host",
                     "cell_type": ctype, "cell_format": fmt, "quantity": quantity, "value": value, "bound": "=", "unit": unit,
                     "at_cycle": at, "current_density": j, "areal_capacity": q, "c_rate": c, "cathode": cathode,
                     "cathode_loading": load, "cathode_loading_unit": lunit, "anode_li": li, "anode_li_unit": liunit,
                     "np_ratio": np, "source": "Fig. 2", "notes": notes})
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def grown_book(tmp_path_factory):
    book = tmp_path_factory.mktemp("grown") / "book"
    shutil.copytree(REPO, book, ignore=COPY_IGNORE)
    add_synthetic_study(book)
    load_review(book)  # `reviewfigs check` passes
    done, _ = build(book)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-3000:]
    return book


def test_new_study_in_table1(grown_book):
    page = html(grown_book, "chapters/table1.html")
    assert "ZX-9 host" in page and "Gradient conductivity (added " in page
    assert "NCM811 (25 mg/cm²), N/P 1.6, 0.5 C: 200 cycles" in page


def test_new_study_in_its_section_comparison(grown_book):
    page = html(grown_book, "chapters/conductivity.html")
    table = page[page.index('id="tbl-compare-2-2"') - 3000:]
    assert "ZX-9 host" in table and ">98.5 %<" in table and ">1500 h<" in table


def test_new_study_in_every_plot_it_qualifies_for(grown_book):
    descriptions = {
        "chapters/comparisons.html": 3,  # CE map, lifespan bubbles, retention (no overpotential reported)
        "chapters/outlook.html": 1,  # full-cell map
        "chapters/conductivity.html": 1,  # family comparison of Sect. 2.2
    }
    for page, expected in descriptions.items():
        text = html(grown_book, page)
        described = re.findall(r"Text description of the figure.*?</div>\s*</div>", text, re.S)
        assert sum("ZX-9 host" in d for d in described) >= expected, page


def test_new_study_in_practical_gap_table(grown_book):
    page = html(grown_book, "chapters/outlook.html")
    row = re.search(r"<tr[^>]*>\s*<td><p>ZX-9 host</p></td>(.*?)</tr>", page, re.S)
    assert row, "ZX-9 host missing from the practical-gap table"
    assert row.group(1).count("✓ yes") == 2  # 5 mAh/cm² cathode and 8 mAh/cm² Li meet their thresholds


def test_new_study_in_bibliography_and_whats_new(grown_book):
    bibliography = html(grown_book, "chapters/bibliography.html")
    assert f'id="cite-{KEY}"' in bibliography and "A synthetic graded host for checking the book" in bibliography
    new = html(grown_book, "chapters/whats_new.html")
    assert "ZX-9 host" in new and re.search(r"\d{4}-\d{2}-\d{2}", new)


def test_script_from_the_data_is_shown_as_text(grown_book):
    for page in (grown_book / "_build" / "html").rglob("*.html"):
        assert "<script>alert('x')</script>" not in page.read_text(encoding="utf-8"), page.name
    conductivity = html(grown_book, "chapters/conductivity.html")
    assert "carbon felt &lt;script&gt;alert(" in conductivity  # host description in the comparison table
    assert "note: &lt;script&gt;alert(" in conductivity  # the note, in the number's tooltip
