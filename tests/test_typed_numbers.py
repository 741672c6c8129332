"""No number in the prose is typed by hand if it is a data value or a result computed on a page.

Every chapter is scanned, the models chapter included (``index.md`` too). A number in the prose
(code cells, math, roles and directive options removed, see ``test_own_words.strip_markup``) is
flagged when it equals

* a value of the data in the same unit: ``value``/``value_max`` of ``data/measurements.csv`` or a
  threshold of ``data/thresholds.csv`` ("90 µm" matches a host thickness of 90 µm; a number without
  a unit matches any data value only if it has decimals); or
* a number glued by an executed page (``myst_nb.glue``), at the precision it is typed with
  ("92" matches a glued 91.67). Glued values are read from the notebooks MyST-NB writes to
  ``_build/jupyter_execute``; the book test builds a copy of the book to get them.

Allowed, because they are prose and not results: years, section/figure/table/equation/paragraph
numbers, reference numbers in brackets, discrepancy and row ids, digits inside names (NCM811,
Li3N, MOF-C(30)), test conditions next to mA/cm² or mAh/cm² and C-rates that occur among the data's
condition columns, and small whole numbers (up to 10) that carry no unit. Pages may allow a few
named physical constants the review quotes (``ALLOWED``).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from support.prose import CHAPTERS, strip_markup
from support.repo import REPO

PAGES = sorted(CHAPTERS.glob("*.md")) + [REPO / "index.md"]
NOT_PROSE = {"bibliography.md"}

NUMBER = re.compile(r"(?<![\w.,/^])[-−]?(\d+(?:\.\d+)?)(?![\w]|\.\d)")
CONTEXT = re.compile(
    r"(?:\b(?:Sect|Sects|Section|Sections|Fig|Figs|Figure|Table|Tables|Eq|Eqs|para|paragraph|item|Chapter|"
    r"Chapters|ref|refs|suggestion|step|row|rows|part|§)\.?\s*[\d.,–\- and]*|\[[\d,–\- ]*|\b[Dm])$"
)
UNIT_AFTER = re.compile(r"^\s?(%|mAh ?/ ?g|mAh g|mAh ?/ ?cm|mAh cm|mA ?/ ?cm|mA cm|mV\b|V\b|cycles?\b|h\b|Wh|µm|g ?/ ?Ah|°C|C\b|kS|wt ?%|mg|cm²|cm2|cm\b)")
# prose unit (as matched by UNIT_AFTER, spaces removed) -> data unit
UNIT_OF = {"%": "%", "mAh/g": "mAh/g", "mAhg": "mAh/g", "mAh/cm": "mAh/cm2", "mAhcm": "mAh/cm2", "mV": "mV",
           "cycle": "cycles", "cycles": "cycles", "h": "h", "µm": "µm", "g/Ah": "g/Ah", "°C": "°C", "C": "C",
           "kS": "kS/cm", "wt%": "wt%", "cm²": "cm2", "cm2": "cm2"}
CONDITION_UNIT = re.compile(r"^\s?(mAh ?/ ?cm|mA ?/ ?cm)")
C_RATE = re.compile(r"^\s?C\b")
ALLOWED = {
    "introduction.md": {"3860", "3.04", "350", "400"},  # constants and history the review quotes in Sect. 1
    "models.md": {"100"},  # "100 % Coulombic efficiency": the ideal, not a result
}
CONDITION_COLUMNS = ("current_density", "areal_capacity", "anode_li", "cathode_loading", "cathode_loading_max")


def _csv(repo: Path, name: str) -> list[dict[str, str]]:
    with (repo / "data" / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def data_values(repo: Path = REPO) -> dict[str, set[float]]:
    """Every data value by its unit (measurements' values and ranges, thresholds)."""
    values: dict[str, set[float]] = {}
    for row in _csv(repo, "measurements.csv"):
        values.setdefault(row["unit"], set()).update(float(row[c]) for c in ("value", "value_max") if row[c])
    for row in _csv(repo, "thresholds.csv"):
        values.setdefault(row["unit"], set()).add(float(row["value"]))
    return values


def condition_values(repo: Path = REPO) -> tuple[set[float], set[float]]:
    rows = _csv(repo, "measurements.csv")
    conditions = {float(r[c]) for r in rows for c in CONDITION_COLUMNS if r[c]}
    conditions |= {float(row["value"]) for row in _csv(repo, "thresholds.csv")}
    rates = {float(r["c_rate"]) for r in rows if r["c_rate"]}
    return conditions, rates


def names(repo: Path = REPO) -> list[str]:
    """Study and sample names (they contain digits that are not numbers), longest first."""
    found = {r["study"] for r in _csv(repo, "studies.csv")} | {r["sample"] for r in _csv(repo, "measurements.csv")}
    return sorted(found, key=len, reverse=True)


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


def _matches(token: str, values: set[float]) -> bool:
    typed = float(token)
    decimals = len(token.split(".")[1]) if "." in token else 0
    return any(round(v, decimals) == typed for v in values)


def typed_numbers(text: str, page: str, values: dict[str, set[float]], glued: set[float] = frozenset(),
                  conditions: set[float] = frozenset(), rates: set[float] = frozenset(),
                  skip_names: list[str] = ()) -> list[str]:
    """The numbers of one page's prose that equal a data value or a glued value, as 'page:line: ...'."""
    prose = strip_markup(text)
    for name in skip_names:  # a name only where it stands alone: a sample called '.6' is not the end of '99.6'
        prose = re.sub(rf"(?<![\w.]){re.escape(name)}(?![\w.])", " ", prose)
    allowed = ALLOWED.get(page, set())
    every_value = set().union(*values.values()) if values else set()
    found = []
    for lineno, line in enumerate(prose.splitlines(), 1):
        for match in NUMBER.finditer(line):
            token, after, before = match.group(1), line[match.end():], line[:match.start()]
            number = float(token)
            if token in allowed or CONTEXT.search(before) or re.fullmatch(r"\s*#+\s*", before):
                continue  # allowed by name, a section/figure/... number, or a numbered heading
            if "." not in token and 1900 <= number <= 2100:
                continue  # a year
            if CONDITION_UNIT.match(after) and number in conditions:
                continue  # a test condition, not a result
            if C_RATE.match(after) and number in rates:
                continue
            unit = UNIT_AFTER.match(after)
            if "." not in token and number <= 10 and not unit:
                continue  # small counts and ordinals read as words
            data_unit = UNIT_OF.get(re.sub(r"\s", "", unit.group(1)).rstrip("/")) if unit else None
            in_data = number in values.get(data_unit, set()) if unit else ("." in token and number in every_value)
            in_glue = bool(glued) and (number > 10 or "." in token) and _matches(token, glued)
            if in_data or in_glue:
                found.append(f"{page}:{lineno}: '{token}' in: {line.strip()[:110]}")
    return found


def glued_by_page(execute_dir: Path) -> dict[str, set[float]]:
    """Page file name (e.g. 'models.md') -> the numbers that page glues."""
    by_page: dict[str, list[Path]] = {}
    for f in _glue_files(execute_dir):
        by_page.setdefault(f.name.removesuffix(".glue.json").removesuffix(".ipynb") + ".md", []).append(f)
    return {page: _numbers(_outputs_of(files)) for page, files in by_page.items()}


EXERCISE = re.compile(r"^(`{3,})\{exercise\}.*?^\1\s*$", re.S | re.M)


def without_exercises(text: str) -> str:
    """The page with its exercise statements blanked (line count kept): an exercise states its own
    inputs, which its solution then glues; those givens are not results typed by hand."""
    return EXERCISE.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def scan(repo: Path, glued: dict[str, set[float]] | None = None) -> list[str]:
    """Data values typed anywhere in the prose; and, per page, numbers equal to what that page glues."""
    values = data_values(repo)
    conditions, rates = condition_values(repo)
    skip = names(repo)
    pages = sorted((repo / "chapters").glob("*.md")) + [repo / "index.md"]
    found = []
    for page in pages:
        if page.name in NOT_PROSE:
            continue
        text = page.read_text(encoding="utf-8")
        found += typed_numbers(text, page.name, values, frozenset(), conditions, rates, skip)
        page_glue = (glued or {}).get(page.name, set())
        if page_glue:
            found += typed_numbers(without_exercises(text), page.name, {}, page_glue, conditions, rates, skip)
    return sorted(set(found), key=found.index)


def test_no_data_value_is_typed_into_any_page():
    found = scan(REPO)
    assert not found, "numbers typed into prose that are data values (use {datum} or glue):\n" + "\n".join(found)


def test_the_check_catches_a_planted_data_value(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(REPO / "data", book / "data")
    (book / "chapters").mkdir()
    (book / "index.md").write_text("# Index\n", encoding="utf-8")
    original = (CHAPTERS / "dual.md").read_text(encoding="utf-8")
    (book / "chapters" / "dual.md").write_text(original, encoding="utf-8")
    clean = scan(book)
    planted = original.replace("{datum}`m093`", "99.6 %", 1)
    assert planted != original
    (book / "chapters" / "dual.md").write_text(planted, encoding="utf-8")
    caught = [f for f in scan(book) if f not in clean]
    assert len(caught) == 1 and "'99.6'" in caught[0], caught


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
    typed = "The spare lithium lasts about 92 cycles (Sect. 2.3, Fig. 9h, Table 1, [113], 2023)."
    found = typed_numbers(typed, "dual.md", {}, glued)
    assert len(found) == 1 and "'92'" in found[0], found
    fine = "In Sect. 2.3 para 5 (Fig. 4e, Table 1, ref. [120], D4, row m093, 2019) NCM811 and Li3N appear."
    assert typed_numbers(fine, "dual.md", {"": {2.3, 4.0, 1.0, 120.0, 811.0, 3.0, 2019.0, 93.0}}, glued) == []
    assert typed_numbers("## 2 Where", "models.md", {"": {2.0}}) == []


@pytest.mark.book
def test_no_glued_value_is_typed_into_any_page(offline_book):
    """Read every glued number of the suite's shared cold build, and scan all pages for them."""
    book = offline_book.book
    glued = glued_by_page(book / "_build" / "jupyter_execute")
    assert any(glued.values()), "no glued values found: has MyST-NB changed where it writes executed notebooks?"
    found = scan(book, glued)
    assert not found, "numbers typed into prose that a page computes (glue them):\n" + "\n".join(found)
