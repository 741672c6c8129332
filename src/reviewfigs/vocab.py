"""The book's vocabulary: one record per term, down to its words.

A leaf module (no imports from the package). Two parts of the vocabulary are data, so that an author
extends them with one CSV row and no Python edit: the gradient families (``data/families.csv``) and
the measured quantities (``data/quantities.csv``); :class:`Vocabulary` holds them once loaded. The
rest is fixed by the review and the schema and lives here, one record each: bounds and their words,
units and their text, cell types and formats, cathodes, chemistries and the review's sections with
their chapters. Every module that prints one of these terms imports it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: what a study or a row writes where its paper does not say
NOT_STATED = "not stated"
#: the book's title (figure credits, the handout, the PDF); _config.yml and CITATION.cff repeat it (tested)
BOOK_TITLE = "Gradient hosts for lithium metal anodes: a reproducible companion"
#: how a row of a study added after the review names its place in the study's own paper ('paper: Abstract')
PAPER_PREFIX = "paper: "
#: a cell that starts with this is a placeholder its author has still to fill: check refuses it, and
#: `reviewfigs new-study` refuses it as a study name
PLACEHOLDER = "TODO"
#: what a view prints for a test that a paper reports without a number the data can hold
NO_NUMBER = "reported, no number given"

#: what a table printed on a page shows in a cell where the data hold no value, or a computation has
#: none to start from (never 'NaN', 'None' or '<NA>')
NO_VALUE = "not given"

#: a full cell with no Li on the anode side (anode_li = 0: its Li comes from the cathode), in every view's words
ANODE_FREE = "anode-free"

#: studies.csv ``named_by`` for a study whose paper gives it no name: ``study`` is then this book's label,
#: and every view that names the study in words says so with OUR_LABEL_NOTE
OUR_LABEL = "book"
OUR_LABEL_NOTE = "our label: the paper names no study"


# ------------------------------------------------------------------------------------ bounds
@dataclass(frozen=True)
class Bound:
    """How a number relates to what the source says: '=' exact, '>' 'over', '<~' 'almost'."""

    symbol: str
    sign: str  # before a number in a table or a label: '> 200'
    words: str  # before a number in a sentence or a tooltip: 'more than 200'
    direction: int  # +1 the true value is higher, -1 lower, 0 about this value (arrows in figures)

    @property
    def tight(self) -> str:
        """The sign set close to its number, as Table 1 prints it: '>5000', '~1.2', but 'almost 950'."""
        sign = self.sign.strip()
        return sign + " " if sign.isalpha() else sign


BOUNDS: dict[str, Bound] = {b.symbol: b for b in (
    Bound("=", "", "", 0),
    Bound(">", "> ", "more than ", 1),
    Bound("<", "< ", "less than ", -1),
    Bound("~", "~", "about ", 0),
    Bound("<~", "almost ", "almost ", 0),  # "almost/nearly 950 cycles": just under, not a limit
)}


#: how data/thresholds.csv compares a cell with a threshold: the review asks for a capacity *above* 4.0 and
#: Li and electrolyte *below* their limits (analysis.practical.meets is the one place that applies them)
THRESHOLD_COMPARATORS = (">", "<")


# ------------------------------------------------------------------------------------- units
_SUPERSCRIPTS = {"2": "²", "3": "³"}


def unit_text(unit: str) -> str:
    """'mAh/cm2' -> 'mAh/cm²': a unit as the book prints it (powers of a length as superscripts)."""
    return re.sub(r"(?<=[a-zµ])([23])\b", lambda m: _SUPERSCRIPTS[m.group(1)], str(unit))


def readable_units(text: str) -> str:
    """The same rewriting inside a phrase: 'half cell, 1 mA/cm2' -> 'half cell, 1 mA/cm²'."""
    return re.sub(r"/(c?m|mm|µm)([23])\b", lambda m: f"/{m.group(1)}{_SUPERSCRIPTS[m.group(2)]}", str(text))


#: units of the condition and loading columns of measurements.csv (a quantity's unit is in quantities.csv)
LOADING_UNITS = ("mg/cm2", "mAh/cm2", "mg")
LI_UNITS = ("mAh/cm2", "mAh")


# -------------------------------------------------------------------------- cells and cathodes
@dataclass(frozen=True)
class CellType:
    name: str
    words: str  # 'symmetric cell'; empty for a property of the host (no cell)


CELL_TYPES: dict[str, CellType] = {c.name: c for c in (
    CellType("symmetric", "symmetric cell"),
    CellType("half", "half cell"),
    CellType("full", "full cell"),
    CellType("none", ""),
    CellType("unspecified", "cell type not stated"),  # never a bare "cell": the paper does not say which
)}


@dataclass(frozen=True)
class CellFormat:
    name: str
    cell_words: str  # 'pouch cell', for a cell of this format
    marked: bool  # figures and tables name the format next to the cell (the review's default, coin, is not named)


CELL_FORMATS: dict[str, CellFormat] = {f.name: f for f in (
    CellFormat("coin", "coin cell", False),
    CellFormat("pouch", "pouch cell", True),
    CellFormat("solid-state", "solid-state cell", True),
    CellFormat("quasi-solid", "flexible quasi-solid cell", True),
    CellFormat("unspecified", "cell", False),
)}


def marked_format(name: str) -> str:
    """The format a figure names beside a cell ('pouch'), or '' for coin, unspecified or a mix."""
    found = CELL_FORMATS.get(name)
    return found.name if found is not None and found.marked else ""

#: cathodes of a Li metal full cell (their capacities and voltages: models._energy.CATHODES)
CATHODES = ("LFP", "LTO", "LCO", "NCM111", "NCM622", "NCM811", "S", "SPAN")
#: cell chemistry of a metal-gas full cell, which has no cathode material: the chemistry names the cell
CHEMISTRIES = ("Li-O2", "Li-CO2", "Li-air")


# ------------------------------------------------------------------------------------ sections
@dataclass(frozen=True)
class Section:
    """A section of the review's Sect. 2: the gradient family it discusses (its words and colour) and the
    book's chapter for it. The review fixes these three; families it lacks are data (data/families.csv)."""

    number: str
    family: str
    label: str
    colour: str
    chapter: str


SECTIONS: dict[str, Section] = {s.number: s for s in (
    Section("2.1", "lithiophilicity", "gradient lithiophilicity", "#D55E00", "lithiophilicity"),
    Section("2.2", "conductivity", "gradient conductivity", "#0072B2", "conductivity"),
    Section("2.3", "dual", "dual gradient", "#009E73", "dual"),
)}
SECTION_OF_FAMILY = {s.family: s.number for s in SECTIONS.values()}
REVIEW_FAMILIES = tuple(SECTION_OF_FAMILY)


# ----------------------------------------------------------------------------- data-driven part
#: colours a family gets when families.csv gives none, in this order: Okabe & Ito's three family
#: colours, then Paul Tol's muted scheme minus what the cathodes use (all distinguishable with
#: common colour-vision deficiencies)
FAMILY_PALETTE = ("#D55E00", "#0072B2", "#009E73", "#5E3C99", "#882255", "#117733", "#332288",
                  "#999933", "#44AA99", "#CC6677", "#AA4499", "#DDCC77")


@dataclass(frozen=True)
class Family:
    """A gradient family (one row of data/families.csv)."""

    name: str
    label: str  # 'gradient lithiophilicity': in a sentence
    colour: str

    @property
    def title(self) -> str:
        """'Gradient lithiophilicity': at the start of a table cell or a title (the rest keeps its case)."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def section(self) -> str | None:
        """The review's section for the family, or None for a family the review has no section for."""
        return SECTION_OF_FAMILY.get(self.name)


@dataclass(frozen=True)
class Quantity:
    """A measured quantity (one row of data/quantities.csv)."""

    name: str
    unit: str
    label: str  # 'average Coulombic efficiency': in a tooltip or a sentence
    short: str  # 'average CE': in a table cell; empty where the unit says it ('950 cycles')
    low: float = 0.0
    high: float = float("inf")
    whole: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """The families and quantities of one data folder, in file order, with a colour for every family."""

    families: dict[str, Family] = field(default_factory=dict)
    quantities: dict[str, Quantity] = field(default_factory=dict)
    #: the review's cathodes, then those data/cathodes.csv adds
    cathodes: tuple[str, ...] = CATHODES

    def family(self, name: str) -> Family:
        try:
            return self.families[name]
        except KeyError:
            raise KeyError(f"unknown gradient family {name!r}; data/families.csv has {', '.join(self.families)}") from None

    def quantity(self, name: str) -> Quantity:
        try:
            return self.quantities[name]
        except KeyError:
            raise KeyError(f"unknown quantity {name!r}; data/quantities.csv has {', '.join(self.quantities)}") from None

    def colours(self) -> dict[str, str]:
        return {f.name: f.colour for f in self.families.values()}


def review_families() -> list[Family]:
    """The review's three families (one per section of its Sect. 2)."""
    return [Family(s.family, s.label, s.colour) for s in SECTIONS.values()]


def assign_colours(rows: list[tuple[str, str, str | None]]) -> list[Family]:
    """The review's families, then families from (name, label, colour or None) rows: a missing colour is
    the palette's next one that no family uses."""
    review = review_families()
    used = {c.upper() for _, _, c in rows if c} | {f.colour.upper() for f in review}
    free = iter(c for c in FAMILY_PALETTE if c.upper() not in used)
    out = []
    for name, label, colour in rows:
        if not colour:
            colour = next(free, None)
            if colour is None:
                raise ValueError(f"no colour left in the palette for family {name!r}; give it a colour in data/families.csv")
        out.append(Family(name, label, colour))
    return review + out
