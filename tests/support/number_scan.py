"""The numbers typed into a page's prose, and the rules that flag those that should come from the data.

:func:`numbers` reads a page as a reader does (:func:`support.prose.prose_lines`: MyST's own tokens, so
code cells, inline code, math, roles, labels, directive options, comments and URLs are not prose) and
returns each number with the unit typed after it and the line of the page it is on. Three rules judge them:

* :func:`result_with_unit`: a number next to a result unit (%, mAh/g, mAh/cm², mA/cm², mV, V, cycles,
  h, Wh) is a result, unless the page allows it by name (``ALLOWED``: constants and framing numbers the
  review quotes) or it is a test condition (mA/cm², mAh/cm²) that occurs among the data's condition values;
* :func:`data_value`: a number equal to a value of the data in the same unit (``value``/``value_max`` of
  ``data/measurements.csv``, a threshold of ``data/thresholds.csv``); a number without a unit matches any
  data value, but only if it has decimals;
* :func:`glued_value`: a number equal to one its page glues (``myst_nb.glue``), at the precision it is
  typed with ("92" matches a glued 91.67), outside exercise statements (an exercise states its own inputs,
  which its solution then glues).

The last two spare the numbers that are prose, not results (:func:`is_prose_number`): years, section/figure/
table/equation/paragraph numbers, reference numbers in brackets, discrepancy and row ids, the number of a
numbered heading, test conditions and C-rates that occur among the data's conditions, small whole numbers
(up to 10) without a unit, and the page's ``ALLOWED`` numbers. Digits inside a word or a study or sample
name (NCM811, Li3N, MOF-C(30)) are not numbers at all.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from support.prose import prose_lines
from support.repo import REPO

#: Pages that are not prose (the bibliography is generated).
NOT_PROSE = {"bibliography.md"}

NUMBER = re.compile(r"(?<![\w.,/^])([-−]?)(\d+(?:\.\d+)?)(?!\d|\.\d)")
# A unit typed right after a number (one space at most). 'mAh g' is 'mAh g⁻¹', 'mA cm' is 'mA cm⁻²'.
UNIT = re.compile(r"\s?(wt ?%|%|mAh ?/ ?g\b|mAh g\b|mAh ?/ ?cm|mAh cm|mA ?/ ?cm|mA cm|mV\b|V\b|cycles?\b|h\b|Wh\b|µm\b|"
                  r"g ?/ ?Ah\b|°C\b|C\b|kS\b|mg\b|cm²|cm2\b|cm\b)")
# the unit as typed (spaces removed) -> the unit of the data
UNIT_OF = {"%": "%", "wt%": "wt%", "mAh/g": "mAh/g", "mAhg": "mAh/g", "mAh/cm": "mAh/cm2", "mAhcm": "mAh/cm2",
           "mA/cm": "mA/cm2", "mAcm": "mA/cm2", "mV": "mV", "V": "V", "cycle": "cycles", "cycles": "cycles", "h": "h",
           "Wh": "Wh", "µm": "µm", "g/Ah": "g/Ah", "°C": "°C", "C": "C", "kS": "kS/cm", "mg": "mg", "cm²": "cm2",
           "cm2": "cm2", "cm": "cm"}
#: Units whose number is a result (a test condition only when it is among the data's conditions).
RESULT_UNITS = {"%", "mAh/g", "mAh/cm2", "mA/cm2", "mV", "V", "cycles", "h", "Wh"}
CONDITION_UNITS = {"mA/cm2", "mAh/cm2"}
CONDITION_COLUMNS = ("current_density", "areal_capacity", "anode_li", "cathode_loading", "cathode_loading_max")
#: Text before a number that makes it a section/figure/... number, a reference or a row id.
CONTEXT = re.compile(
    r"(?:\b(?:Sect|Sects|Section|Sections|Fig|Figs|Figure|Table|Tables|Eq|Eqs|para|paragraph|item|Chapter|"
    r"Chapters|ref|refs|suggestion|step|row|rows|part|§)\.?\s*[\d.,–\- and]*|\[[\d,–\- ]*|\b[Dm])$"
)
#: Numbers with their unit a page may type: constants and framing numbers, not study results.
ALLOWED = {
    # constants of lithium and the review's framing numbers of Sect. 1 (not study data)
    "introduction.md": {"3860 mAh/g", "−3.04 V", "350 Wh", "400 Wh"},
    "notation.md": {"3860 mAh/g"},
    # "100 % CE" is the ideal, not a result; 300 Wh/kg is an exercise's target, an input the reader chooses
    "models.md": {"100 %", "300 Wh"},
}
#: Directives whose numbers are givens a reader works with, not results typed by hand (glued_value only).
GIVENS = {"exercise"}


@dataclass(frozen=True)
class Number:
    """One number as typed in the prose, with the unit after it and where it stands."""

    line: int  # the line of the page, from 1
    sign: str
    digits: str  # '99.6'
    unit: str  # as typed ('mAh cm', '%'), '' if none
    before: str  # the prose of its line before it
    text: str  # the prose of its line
    heading: bool = False
    within: tuple[str, ...] = ()

    @property
    def value(self) -> float:
        return float(self.digits)

    @property
    def decimals(self) -> int:
        return len(self.digits.split(".")[1]) if "." in self.digits else 0

    @property
    def data_unit(self) -> str | None:
        """The unit as the data spells it ('mAh cm' -> 'mAh/cm2'); None without a unit."""
        return UNIT_OF.get(re.sub(r"\s", "", self.unit)) if self.unit else None

    @property
    def typed(self) -> str:
        return self.sign + self.digits + (" " + self.unit if self.unit else "")

    def at(self, page: str) -> str:
        return f"{page}:{self.line}: '{self.typed}' in: {self.text.strip()[:110]}"


def numbers(markdown: str, names: Sequence[str] = ()) -> list[Number]:
    """Every number a reader sees in a page's prose, in reading order. Digits inside a word are not a number
    ('NCM811', '3D', '2nd'; '5mV' is a number with its unit); nor are digits of a study or sample name
    (``names``, longest first), where the name stands alone: a sample called '.6' is not the end of '99.6'."""
    found = []
    for line in prose_lines(markdown):
        text = line.text
        for name in names:
            text = re.sub(rf"(?<![\w.]){re.escape(name)}(?![\w.])", " ", text)
        for match in NUMBER.finditer(text):
            after = text[match.end():]
            unit = UNIT.match(after)
            if re.match(r"[^\W\d]", after) and not (unit and unit.start(1) == 0):
                continue  # digits inside a word
            found.append(Number(line.number, match.group(1), match.group(2), unit.group(1) if unit else "",
                                text[:match.start()], text, line.heading, line.within))
    return found


# ------------------------------------------------------------------------------------------ the data


def _csv(repo: Path, name: str) -> list[dict[str, str]]:
    with (repo / "data" / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Facts:
    """What the rules compare typed numbers with."""

    values: dict[str, set[float]]  # every data value by its unit
    conditions: set[float] = field(default_factory=set)  # test conditions (current, capacity, loading, thresholds)
    rates: set[float] = field(default_factory=set)  # C-rates of the data
    names: Sequence[str] = ()  # study and sample names, longest first
    glued: dict[str, set[float]] = field(default_factory=dict)  # page file name -> the numbers it glues


def facts(repo: Path = REPO, glued: dict[str, set[float]] | None = None) -> Facts:
    """The facts of a repository's data (and of what its pages glue, after a build)."""
    rows, thresholds = _csv(repo, "measurements.csv"), _csv(repo, "thresholds.csv")
    values: dict[str, set[float]] = {}
    for row in rows:
        values.setdefault(row["unit"], set()).update(float(row[c]) for c in ("value", "value_max") if row[c])
    for row in thresholds:
        values.setdefault(row["unit"], set()).add(float(row["value"]))
    conditions = {float(r[c]) for r in rows for c in CONDITION_COLUMNS if r[c]} | {float(r["value"]) for r in thresholds}
    rates = {float(r["c_rate"]) for r in rows if r["c_rate"]}
    names = {r["study"] for r in _csv(repo, "studies.csv")} | {r["sample"] for r in rows}
    return Facts(values, conditions, rates, sorted(names, key=len, reverse=True), glued or {})


# ------------------------------------------------------------------------------------------ the rules

Rule = Callable[[Number, str, Facts], bool]


def _allowed(number: Number, page: str) -> bool:
    return number.typed.replace(" ", "") in {a.replace(" ", "") for a in ALLOWED.get(page, ())}


def _condition(number: Number, facts: Facts) -> bool:
    return number.data_unit in CONDITION_UNITS and number.value in facts.conditions


def result_with_unit(number: Number, page: str, facts: Facts) -> bool:
    """A number next to a result unit that is neither allowed by name nor a test condition of the data."""
    return number.data_unit in RESULT_UNITS and not _allowed(number, page) and not _condition(number, facts)


def is_prose_number(number: Number, page: str, facts: Facts) -> bool:
    """A number a reader reads as prose, not as a result: see the module's docstring."""
    whole = "." not in number.digits
    return (_allowed(number, page) or bool(CONTEXT.search(number.before))
            or (number.heading and not number.before.strip())  # a numbered heading
            or (whole and 1900 <= number.value <= 2100)  # a year
            or _condition(number, facts)
            or (number.data_unit == "C" and number.value in facts.rates)
            or (whole and number.value <= 10 and not number.unit))  # small counts and ordinals read as words


def data_value(number: Number, page: str, facts: Facts) -> bool:
    """A number equal to a data value in the same unit (without a unit: any data value, if it has decimals)."""
    if is_prose_number(number, page, facts):
        return False
    if number.unit:
        return number.value in facts.values.get(number.data_unit or "", set())
    return number.decimals > 0 and any(number.value in values for values in facts.values.values())


def glued_value(number: Number, page: str, facts: Facts) -> bool:
    """A number equal, at its typed precision, to a number its page glues (exercise statements aside)."""
    glued = facts.glued.get(page, set())
    if not glued or GIVENS & set(number.within) or is_prose_number(number, page, facts):
        return False
    if number.value <= 10 and not number.decimals:
        return False
    return any(round(v, number.decimals) == number.value for v in glued)


# ------------------------------------------------------------------------------------------ scanning pages


def check(markdown: str, page: str, rules: Iterable[Rule], facts: Facts) -> list[str]:
    """The numbers of one page that a rule flags, as 'page:line: 'typed' in: prose'."""
    rules = list(rules)
    return [n.at(page) for n in numbers(markdown, facts.names) if any(rule(n, page, facts) for rule in rules)]


def pages(repo: Path = REPO) -> list[Path]:
    """Every page with prose: the chapters (the models chapter included) and ``index.md``."""
    return [p for p in sorted((repo / "chapters").glob("*.md")) if p.name not in NOT_PROSE] + [repo / "index.md"]


def scan(repo: Path, rules: Iterable[Rule], glued: dict[str, set[float]] | None = None) -> list[str]:
    """What the rules flag on every page of a repository (``glued``: page -> its glued numbers, for glued_value)."""
    known, rules = facts(repo, glued), list(rules)
    found = []
    for page in pages(repo):
        found += check(page.read_text(encoding="utf-8"), page.name, rules, known)
    return found
