"""No number in the prose is typed by hand if it is a result: a data value, or a number a page computes.

Every page with prose is scanned, the models chapter and ``index.md`` included. The scanner and its rules
are in ``support/number_scan.py`` (the numbers of a page's prose, read from MyST's own tokens by
``support/prose.py``: code cells, inline code, math, roles, labels, directive options, comments and URLs are
not prose). Three rules judge the same scanned numbers:

* a number next to a result unit (%, mAh/g, mAh/cm², mA/cm², mV, V, cycles, h, Wh) is flagged, unless the
  page allows it by name (``numbers.ALLOWED``: constants the review quotes) or it is a test condition in
  mA/cm² or mAh/cm² that occurs among the data's condition values;
* a number equal to a value of the data in the same unit: ``value``/``value_max`` of ``data/measurements.csv``
  or a threshold of ``data/thresholds.csv`` ("90 µm" matches a host thickness of 90 µm; a number without a
  unit matches any data value only if it has decimals);
* a number glued by an executed page (``myst_nb.glue``), at the precision it is typed with ("92" matches a
  glued 91.67), outside exercise statements. Glued values are read from what MyST-NB writes to
  ``_build/jupyter_execute``; the book test builds a copy of the book to get them.

The last two allow what is prose and not a result: years, section/figure/table/equation/paragraph numbers,
reference numbers in brackets, discrepancy and row ids, numbered headings, digits inside names (NCM811, Li3N,
MOF-C(30)), test conditions next to mA/cm² or mAh/cm² and C-rates that occur among the data's condition
columns, and small whole numbers (up to 10) that carry no unit.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from support.number_scan import Facts, check, data_value, glued_value, numbers, result_with_unit, scan
from support.prose import CHAPTERS
from support.repo import REPO

# ------------------------------------------------------------------------------------------ glued values


def _outputs_of(files):
    """Glue outputs stored in these files: MyST-NB 1.x writes them to ``<page>.glue.json``; older
    versions (and papermill) leave them in the notebook as outputs tagged ``scrapbook``."""
    for f in files:
        if f.name.endswith(".glue.json"):
            yield from json.loads(f.read_text(encoding="utf-8")).values()
        else:
            for cell in json.loads(f.read_text(encoding="utf-8")).get("cells", []):
                yield from (o for o in cell.get("outputs", []) if "scrapbook" in o.get("metadata", {}))


def _glue_files(execute_dir: Path) -> list[Path]:
    return [*execute_dir.rglob("*.glue.json"), *execute_dir.rglob("*.ipynb")]


def _numbers(outputs) -> set[float]:
    """The numeric values among glue outputs (from the ``text/plain`` of each)."""
    values = set()
    for output in outputs:
        text = "".join(output.get("data", {}).get("text/plain", ""))
        match = re.fullmatch(r"(?:np\.\w+\()?\s*([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\)?", text.strip())
        if match:
            values.add(float(match.group(1)))
    return values


def glued_values(execute_dir: Path) -> set[float]:
    """Every numeric value glued by the pages MyST-NB executed."""
    return _numbers(_outputs_of(_glue_files(execute_dir)))


def glued_by_page(execute_dir: Path) -> dict[str, set[float]]:
    """Page file name (e.g. 'models.md') -> the numbers that page glues."""
    by_page: dict[str, list[Path]] = {}
    for f in _glue_files(execute_dir):
        by_page.setdefault(f.name.removesuffix(".glue.json").removesuffix(".ipynb") + ".md", []).append(f)
    return {page: _numbers(_outputs_of(files)) for page, files in by_page.items()}


# ------------------------------------------------------------------------------------------ the chapters


def test_no_result_number_is_typed_into_prose():
    found = scan(REPO, [result_with_unit])
    assert not found, "numbers typed into prose (use a {datum} role, or a glue from the data):\n" + "\n".join(found)


def test_no_data_value_is_typed_into_any_page():
    found = scan(REPO, [data_value])
    assert not found, "numbers typed into prose that are data values (use {datum} or glue):\n" + "\n".join(found)


@pytest.mark.book
def test_no_glued_value_is_typed_into_any_page(offline_book):
    """Read every glued number of the suite's shared cold build, and scan all pages for them."""
    book = offline_book.book
    glued = glued_by_page(book / "_build" / "jupyter_execute")
    assert any(glued.values()), "no glued values found: has MyST-NB changed where it writes executed notebooks?"
    found = scan(book, [data_value, glued_value], glued)
    assert not found, "numbers typed into prose that a page computes (glue them):\n" + "\n".join(found)


# ------------------------------------------------------------------------------------------ the rules fail when they should


def test_number_check_would_catch_a_typed_result():
    facts = Facts({})
    typed = "GSCP kept an average CE of 99.0% over 400 cycles {cite:p}`yan2020bottom`."
    assert [n.typed for n in numbers(typed) if result_with_unit(n, "dual.md", facts)] == ["99.0 %", "400 cycles"]
    assert check("GSCP kept {datum}`m006` over {datum}`m010`.", "dual.md", [result_with_unit], facts) == []
    # a condition is a result unless the data has it among its conditions; a constant only on its page
    assert check("at 1 mA/cm² and 2 mAh cm⁻²", "dual.md", [result_with_unit], Facts({}, conditions={1.0})) == [
        "dual.md:1: '2 mAh cm' in: at 1 mA/cm² and 2 mAh cm⁻²"]
    assert check("3860 mAh/g", "introduction.md", [result_with_unit], facts) == []
    assert len(check("3860 mAh/g", "dual.md", [result_with_unit], facts)) == 1


def test_the_check_catches_a_planted_data_value(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(REPO / "data", book / "data")
    (book / "chapters").mkdir()
    (book / "index.md").write_text("# Index\n", encoding="utf-8")
    original = (CHAPTERS / "dual.md").read_text(encoding="utf-8")
    (book / "chapters" / "dual.md").write_text(original, encoding="utf-8")
    clean = {rule: scan(book, [rule]) for rule in (data_value, result_with_unit)}
    planted = original.replace("{datum}`m093`", "99.6 %", 1)
    assert planted != original
    line = planted[:planted.index("99.6 %")].count("\n") + 1
    (book / "chapters" / "dual.md").write_text(planted, encoding="utf-8")
    for rule, before in clean.items():  # each rule catches it on its own
        caught = [f for f in scan(book, [rule]) if f not in before]
        assert len(caught) == 1 and caught[0].startswith(f"dual.md:{line}: '99.6 %'"), (rule.__name__, caught)
    # in another unit it is not that data value
    assert check("99.6 mV and 99.6 %", "dual.md", [data_value], Facts({"%": {99.6}})) == [
        "dual.md:1: '99.6 %' in: 99.6 mV and 99.6 %"]


def test_the_check_catches_a_planted_glued_value_and_allows_prose_numbers(tmp_path):
    notebook = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [
        {"output_type": "display_data", "metadata": {"scrapbook": {"name": "np_n", "mime_prefix": ""}},
         "data": {"text/plain": "91.66666666666659"}}]}]}
    (tmp_path / "page.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    store = {"rank_np": {"output_type": "display_data", "metadata": {"scrapbook": {"name": "rank_np"}},
                         "data": {"text/plain": "np.float64(2.5)"}},
             "study": {"output_type": "display_data", "metadata": {"scrapbook": {"name": "study"}},
                       "data": {"text/plain": "<IPython.core.display.Markdown object>", "text/markdown": "ZGIL"}}}
    (tmp_path / "page.glue.json").write_text(json.dumps(store), encoding="utf-8")
    glued = glued_values(tmp_path)
    assert glued == {91.66666666666659, 2.5}
    assert glued_by_page(tmp_path) == {"page.md": glued}
    facts = Facts({}, glued={"dual.md": glued})
    typed = "The spare lithium lasts about 92 cycles (Sect. 2.3, Fig. 9h, Table 1, [113], 2023)."
    found = check(typed, "dual.md", [glued_value], facts)
    assert len(found) == 1 and "'92 cycles'" in found[0], found
    # an exercise states its own inputs; its solution glues them
    exercise = "````{exercise} Cycles\n:label: ex-a\nWith 92 cycles left, ...\n````\n"
    assert check(exercise, "dual.md", [glued_value], facts) == []
    fine = "In Sect. 2.3 para 5 (Fig. 4e, Table 1, ref. [120], D4, row m093, 2019) NCM811 and Li3N appear."
    every = Facts({"": {2.3, 4.0, 1.0, 120.0, 811.0, 3.0, 2019.0, 93.0}}, glued={"dual.md": glued})
    assert check(fine, "dual.md", [data_value, glued_value], every) == []
    assert check("## 2 Where", "models.md", [data_value], Facts({"": {2.0}})) == []
    assert check("## 2.5 Where", "models.md", [data_value], Facts({"": {2.5}})) == []
    assert len(check("Where 2.5 goes", "models.md", [data_value], Facts({"": {2.5}}))) == 1


# ------------------------------------------------------------------------------------------ the scanner


PAGE = """---
jupytext: {text_representation: {format_version: 0.13}}
---
(fig-41)=
# 42 A heading

A paragraph with 43 % and `44 %` and $45\\,\\%$ and {datum}`m046` {cite:p}`key47`.
See https://doi.org/10.1002/48.49 and [the 50 % paper](https://example.org/51) and <sup>[52]</sup>.
% 53 % in a comment
<!-- 54 % in an HTML comment -->

- an item of 55 cycles
- {term}`56 h <a term>` and {numref}`fig-57`

| a | b |
|---|---|
| 58 mV | 59 V |

$$
60 = 61
$$

```{code-cell} ipython3
:tags: [remove-input]
print(62)
```

````{exercise} A title with 63 %
:label: ex-64
:width: 65 %

The body has 66 mAh/g.

```python
x = 67
```
````

```{math}
68
```
"""
# (line, number as typed, heading?, directives around it)
EXPECTED = [(5, "42", True, ()), (7, "43 %", False, ()), (8, "50 %", False, ()), (12, "55 cycles", False, ()),
            (13, "56 h", False, ()), (17, "58 mV", False, ()), (17, "59 V", False, ()),
            (28, "63 %", False, ("exercise",)), (32, "66 mAh/g", False, ("exercise",))]


def test_the_scanner_finds_the_numbers_a_reader_reads_with_their_lines():
    assert [(n.line, n.typed, n.heading, n.within) for n in numbers(PAGE)] == EXPECTED


@pytest.mark.parametrize("snippet", [
    "```{code-cell} ipython3\nprint(99.6)\n```", "a `99.6 %` b", "a $99.6\\,\\%$ b", "$$\n99.6\n$$",
    "a {datum}`m099` b", "(sec-99)=\n# Title", "```{admonition} Title\n:width: 99 %\n```",
    "see https://x.org/q?n=99.6 or www.x.org/q?n=99.6", "[a paper](https://x.org/q?n=99.6)", "% 99.6 %",
    "<!-- check -> 99.6 % -->", "a <!-- check -> 99.6 % --> b", "a<sup>[99]</sup>", "a <ftp://x.org/q?n=99.6> b",
    "---\nversion: 99.6\n---\ntext", "```\n99.6\n```", "~~~python\n99.6\n~~~",
    "```{bibliography}\n:filter: 99\n```", "{cite:p}`smith1999` and {numref}`fig-99`", "NCM811, Li3N, 3D and 2nd",
])
def test_the_scanner_ignores_numbers_that_are_not_prose(snippet):
    assert numbers(snippet) == []


@pytest.mark.parametrize("snippet, line", [
    ("Text.\n\nA paragraph\nwith 99.6 % here.", 4), ("- one\n- two at 99.6 %", 2), ("| a |\n|---|\n| 99.6 % |", 3),
    ("````{exercise}\n:label: ex-a\n\nGiven 99.6 %.\n````", 4), ("```{note} Title 99.6 %\nbody\n```", 1),
    ("````{solution} ex-a\n:class: dropdown\n\n```{admonition} Deeper\nA 99.6 % body.\n```\n````", 5),
    ("{term}`the\nterm <x>` and\n99.6 % after a role across lines", 3), ("A {ref}`99.6 % case <sec-a>`", 1),
    ("term\n: defined as 99.6 %", 2), ("<div>\n99.6 % in HTML\n</div>", 2), ("a 99.6% b", 1), ("a 99.6mV b", 1),
    # text markdown-it does not give back as typed (an entity) still gets its line, after a break or a role
    ("a\nR&amp;D at 99.6 %", 2), ("{term}`a\nterm <x>` R&amp;D at 99.6 %", 2),
])
def test_the_scanner_finds_a_number_in_prose_on_its_line(snippet, line):
    found = numbers(snippet)
    assert [(n.line, n.digits) for n in found] == [(line, "99.6")], found
