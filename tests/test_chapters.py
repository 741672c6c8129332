"""Fast checks on the chapters' sources (no book build): data ids, citations, glossary, structure.

The book build (tests/test_rebuilds.py, tests/test_built_site.py) catches broken roles too, but only after a minute of
executing notebooks; these checks name the file and the line in a fraction of a second. Numbers typed into the
prose are checked by tests/test_typed_numbers.py.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from support.prose import CHAPTERS
from support.repo import REPO

NOT_PROSE = {"bibliography.md"}

DATUM = re.compile(r"\{datum\}`~?([^`]+)`")
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
TERM = re.compile(r"\{term\}`([^`]+)`")
LABEL = re.compile(r"^\(([\w.:-]+)\)=\s*$", re.M)
EXERCISE = re.compile(r"^`{3,}\{exercise(?:-start)?\}", re.M)
SOLUTION_BLOCK = re.compile(r"^(`{3,})\{solution\}[^\n]*\n(.*?)^\1\s*$", re.M | re.S)
GATED_SOLUTION = re.compile(r"^`{3,}\{solution-start\}.*?^`{3,}\{solution-end\}", re.M | re.S)

SECTION_FILES = {"2.1": "lithiophilicity.md", "2.2": "conductivity.md", "2.3": "dual.md"}
EXERCISE_FILES = ["introduction.md", "lithiophilicity.md", "conductivity.md", "dual.md", "outlook.md"]


def _read(name: str) -> str:
    return (CHAPTERS / name).read_text(encoding="utf-8")


def _pages() -> list[Path]:
    return sorted(p for p in CHAPTERS.glob("*.md") if p.name not in NOT_PROSE)


def _csv(name: str) -> list[dict[str, str]]:
    with (REPO / "data" / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _bib_keys() -> set[str]:
    return set(re.findall(r"^@\w+\{([^,\s]+),", (REPO / "references.bib").read_text(encoding="utf-8"), re.M))


def _glossary_groups() -> list[list[str]]:
    """Each glossary entry as the list of its term lines (aliases share one definition)."""
    text = _read("glossary.md")
    body = re.search(r"^(`{3,})\{glossary\}[^\n]*\n(.*?)^\1\s*$", text, re.M | re.S)
    assert body, "chapters/glossary.md has no {glossary} directive"
    groups: list[list[str]] = []
    previous_was_term = False
    for line in body.group(2).splitlines():
        if not line.strip() or line.lstrip().startswith(":"):
            previous_was_term = False
            continue
        if line[0].isspace():
            previous_was_term = False
            continue
        if previous_was_term:
            groups[-1].append(line.strip())
        else:
            groups.append([line.strip()])
        previous_was_term = True
    return groups


def _term_target(body: str) -> str:
    explicit = re.match(r"^.*<([^>]+)>$", body, re.S)
    return (explicit.group(1) if explicit else body).strip().lower()


def _slug(study: str) -> str:
    return "study-" + re.sub(r"[^a-z0-9]+", "-", study.lower()).strip("-")


def test_every_datum_id_exists():
    ids = {row["id"] for row in _csv("measurements.csv")}
    unknown = [f"{p.name}: {mid}" for p in _pages() for mid in DATUM.findall(p.read_text(encoding="utf-8")) if mid not in ids]
    assert not unknown, "unknown measurement ids in {datum} roles:\n" + "\n".join(unknown)


def test_every_citation_key_exists():
    keys = _bib_keys()
    unknown = []
    for page in _pages():
        for group in CITE.findall(page.read_text(encoding="utf-8")):
            unknown += [f"{page.name}: {k.strip()}" for k in group.split(",") if k.strip() not in keys]
    assert not unknown, "citation keys missing from references.bib:\n" + "\n".join(unknown)


def test_glossary_is_large_enough_and_every_term_is_used():
    groups = _glossary_groups()
    assert len(groups) >= 18, f"the glossary defines {len(groups)} terms; at least 18 expected"
    used = set()
    for page in _pages():
        if page.name != "glossary.md":
            used |= {_term_target(t) for t in TERM.findall(page.read_text(encoding="utf-8"))}
    unused = [" / ".join(g) for g in groups if not any(alias.lower() in used for alias in g)]
    assert not unused, "glossary terms never used with {term} in a chapter:\n" + "\n".join(unused)
    defined = {alias.lower() for g in groups for alias in g}
    undefined = sorted(used - defined)
    assert not undefined, f"{{term}} roles pointing to terms the glossary does not define: {undefined}"


def test_every_study_has_its_own_labelled_section():
    missing = []
    for row in _csv("studies.csv"):
        if row["added"] or row["section"] not in SECTION_FILES:
            continue
        name = SECTION_FILES[row["section"]]
        if _slug(row["study"]) not in LABEL.findall(_read(name)):
            missing.append(f"{row['study']} -> ({_slug(row['study'])})= in chapters/{name}")
    assert not missing, "studies without a labelled subsection:\n" + "\n".join(missing)


@pytest.mark.parametrize("name", EXERCISE_FILES)
def test_chapter_has_exercises_and_a_worked_solution_with_code(name):
    text = _read(name)
    assert len(EXERCISE.findall(text)) >= 2, f"{name}: fewer than two exercises"
    solutions = GATED_SOLUTION.findall(text) + [m.group(2) for m in SOLUTION_BLOCK.finditer(text)]
    with_code = [s for s in solutions if "{code-cell}" in s or "```python" in s]
    assert with_code, f"{name}: no solution that shows code"
    hidden = re.findall(r"\{solution(?:-start)?\}[^\n]*\n:class: dropdown", text)
    assert len(hidden) == len(solutions), f"{name}: every solution should be hidden behind a toggle (:class: dropdown)"


def test_executable_pages_have_notebook_front_matter():
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        if "{code-cell}" in text:
            assert text.startswith("---\njupytext:") and "kernelspec:" in text.split("\n---", 2)[0] + text[:400], page.name
