"""The data schema, declared once: columns, types, categories, units and ranges.

Every CSV file in ``data/`` has one pydantic model here. Loading goes through these models
(see :mod:`reviewfigs.data.load`), so a value that breaks a rule can never reach a table, a
figure or a page. ``data/README.md`` documents the same rules for people.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .. import vocab

# ---------------------------------------------------------------------------- categories
# The words of each category are one record in reviewfigs.vocab; the families and quantities are data
# (data/families.csv, data/quantities.csv) and are checked against those files while loading.
SECTIONS = tuple(vocab.SECTIONS)
GRADIENT_OF_SECTION = {s.number: s.family for s in vocab.SECTIONS.values()}
NOT_STATED = vocab.NOT_STATED
DEPOSITION_MODES = ("bottom-up", "top-growth", "uniform", NOT_STATED)
ROLES = ("host", "control")
CELL_TYPES = tuple(vocab.CELL_TYPES)
CELL_FORMATS = tuple(vocab.CELL_FORMATS)
CATHODES = vocab.CATHODES
CHEMISTRIES = vocab.CHEMISTRIES
BOUNDS = tuple(vocab.BOUNDS)
LOADING_UNITS = vocab.LOADING_UNITS
LI_UNITS = vocab.LI_UNITS
DISCREPANCY_KINDS = ("text-vs-table", "unit-typo", "rounding", "conditions", "title-vs-text")
THRESHOLD_QUANTITIES = ("cathode_areal_capacity", "anode_li", "electrolyte_amount")
#: the key under which loading passes the data folder's Vocabulary to the validators (pydantic context)
VOCABULARY = "vocabulary"

#: a place in the review (rows of the review's own studies)
REVIEW_SOURCE = r"Sect\. [123](\.[1-3])? para [1-9][0-9]?|Table 1|Fig\. [1-9][0-9]?[a-h]?(-[a-h])?"
#: a place in the study's own paper (rows of studies added after the review), e.g. 'paper: Abstract'
PAPER_SOURCE = r"paper: (Abstract|text|Sect\. [1-9][0-9.]*|(Fig\.|Table|Fig\. S|Table S)[ ]?[1-9][0-9]?[a-z]?(-[a-z])?)"
PAPER_PREFIX = vocab.PAPER_PREFIX
SOURCE_PATTERN = rf"^({REVIEW_SOURCE}|{PAPER_SOURCE})$"

#: what a patterned field expects, in words (an author should not have to read a regular expression)
PATTERN_WORDS = {
    "source": "a place in the review ('Sect. 2.1 para 3', 'Table 1', 'Fig. 4b') or, for a study added later, in its "
              "own paper ('paper: Abstract', 'paper: text', 'paper: Fig. 2e', 'paper: Table S2')",
    "id": "'m' and at least 3 digits, e.g. m107",
    "discrepancy": "'D' and a number, e.g. D3 (a row of data/discrepancies.csv)",
    "bibkey": "a BibTeX key of lower-case letters and digits, e.g. smith2025gradient",
    "family": "a lower-case name, '-' allowed, e.g. pore-size",
    "quantity": "a lower-case name, '_' allowed, e.g. volume_expansion",
    "cathode": "letters, digits, '.' or '-', e.g. NCM90",
    "colour": "a colour as #RRGGBB, or empty for the next free one",
}


def _blank_to_none(data: object) -> object:
    """CSV cells are strings; an empty cell means 'not reported'."""
    if isinstance(data, dict):
        return {k: (None if isinstance(v, str) and v.strip() == "" else v) for k, v in data.items()}
    return data


def _not_stated_is_unspecified(value: object) -> object:
    """'not stated' (what CONTRIBUTING asks authors to write) is the schema's 'unspecified'."""
    return "unspecified" if isinstance(value, str) and value.strip().lower() == NOT_STATED else value


class FieldProblem(ValueError):
    """A rule broken by one field, raised from a whole-row check so the message can name it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class Record(BaseModel):
    """Shared rules: no unknown columns, surrounding spaces stripped, empty cells are None."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _blank(cls, data: object) -> object:
        return _blank_to_none(data)

    @field_validator("*", mode="after")
    @classmethod
    def _finite(cls, value: object) -> object:
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("expected a finite number")
        return value


# --------------------------------------------------------------------------------- tables
def _vocabulary(info: ValidationInfo) -> vocab.Vocabulary:
    """The data folder's families and quantities, passed by the loader as validation context."""
    found = (info.context or {}).get(VOCABULARY)
    if not isinstance(found, vocab.Vocabulary):
        raise RuntimeError("validate studies and measurements with context={'vocabulary': ...} (see data.load)")
    return found


class Study(Record):
    study: str = Field(min_length=1)
    section: Literal[SECTIONS] | None = None  # type: ignore[valid-type]
    gradient: str = Field(min_length=1)
    host_material: str = Field(min_length=1)
    lithiophilic_components: str = Field(min_length=1)
    conductive_components: str = Field(min_length=1)
    fabrication: str = Field(min_length=1)
    deposition_mode: Literal[DEPOSITION_MODES]  # type: ignore[valid-type]
    bibkey: str = Field(pattern=r"^[a-z][a-z0-9]*$")
    electrolyte: str | None = None
    added: dt.date | None = None
    #: 'book' when the paper names no study and ``study`` is this book's label for it (shown as ours)
    named_by: Literal[vocab.OUR_LABEL] | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _our_label_only_for_added_studies(self) -> Study:
        if self.named_by is not None and self.added is None:
            raise FieldProblem("named_by", "the review names each of its studies; only a study added later (with an "
                               "'added' date) may carry this book's own label")
        return self

    @model_validator(mode="after")
    def _section_matches_gradient(self, info: ValidationInfo) -> Study:
        families = _vocabulary(info).families
        if self.gradient not in families:
            raise FieldProblem("gradient", f"'{self.gradient}' is not a family; expected one of {', '.join(families)} "
                               "(a new family is one row of data/families.csv)")
        section = vocab.SECTION_OF_FAMILY.get(self.gradient)
        if section is None:
            if self.section is not None:
                raise FieldProblem("section", f"'{self.gradient}' has no section in the review; leave section empty")
            if self.added is None:
                raise FieldProblem("added", f"'{self.gradient}' is not a family of the review, so the study must carry the date it was added")
            return self
        if self.section is None:
            raise FieldProblem("section", f"missing: a '{self.gradient}' study belongs to section {section}")
        if GRADIENT_OF_SECTION[self.section] != self.gradient:
            raise FieldProblem(
                "gradient",
                f"'{self.gradient}' does not match section {self.section}, "
                f"which covers '{GRADIENT_OF_SECTION[self.section]}'"
            )
        return self


class Measurement(Record):
    id: str = Field(pattern=r"^m[0-9]{3,}$")
    study: str = Field(min_length=1)
    sample: str = Field(min_length=1)
    role: Literal[ROLES]  # type: ignore[valid-type]
    cell_type: Literal[CELL_TYPES]  # type: ignore[valid-type]
    cell_format: Literal[CELL_FORMATS]  # type: ignore[valid-type]
    quantity: str = Field(min_length=1)
    #: empty = the paper reports this test (cell type and conditions) but gives no number for it
    value: float | None = None
    value_max: float | None = None
    bound: Literal[BOUNDS] | None = None  # type: ignore[valid-type]
    unit: str | None = None
    unit_as_printed: str | None = None
    at_cycle: int | None = Field(default=None, ge=1)
    current_density: float | None = Field(default=None, gt=0, le=100)
    areal_capacity: float | None = Field(default=None, gt=0, le=200)
    c_rate: float | None = Field(default=None, gt=0, le=100)
    cathode: str | None = None  # the review's cathodes (vocab.CATHODES) and the rows of data/cathodes.csv
    chemistry: Literal[CHEMISTRIES] | None = None  # type: ignore[valid-type]
    cathode_loading: float | None = Field(default=None, gt=0, le=1000)
    cathode_loading_max: float | None = Field(default=None, gt=0, le=1000)
    cathode_loading_unit: Literal[LOADING_UNITS] | None = None  # type: ignore[valid-type]
    anode_li: float | None = Field(default=None, ge=0, le=1000)  # 0: an anode-free cell (vocab.ANODE_FREE)
    anode_li_unit: Literal[LI_UNITS] | None = None  # type: ignore[valid-type]
    np_ratio: float | None = Field(default=None, ge=0, le=1000)
    electrolyte: str | None = None
    electrolyte_amount: float | None = Field(default=None, gt=0, le=1000)
    temperature: float | None = Field(default=None, ge=-100, le=200)
    source: str = Field(pattern=SOURCE_PATTERN)
    discrepancy: str | None = Field(default=None, pattern=r"^D[0-9]+$")
    notes: str | None = None

    @field_validator("cell_type", "cell_format", mode="before")
    @classmethod
    def _not_stated(cls, value: object) -> object:
        return _not_stated_is_unspecified(value)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Measurement:
        quantities = _vocabulary(info).quantities
        cathodes = _vocabulary(info).cathodes
        if self.cathode is not None and self.cathode not in cathodes:
            raise FieldProblem("cathode", f"'{self.cathode}' is not a cathode; expected one of {', '.join(cathodes)} "
                               "(a new cathode is one row of data/cathodes.csv)")
        if self.quantity not in quantities:
            raise FieldProblem("quantity", f"'{self.quantity}' is not a quantity; expected one of {', '.join(quantities)} "
                               "(a new quantity is one row of data/quantities.csv)")
        spec = quantities[self.quantity]
        low, high, whole = spec.low, spec.high, spec.whole
        if self.value is None:  # a test the paper reports without a number
            for name in ("value_max", "bound", "unit_as_printed", "at_cycle"):
                if getattr(self, name) is not None:
                    raise FieldProblem(name, "must be empty: value is empty (a test reported without a number)")
            if self.unit is not None and self.unit != spec.unit:
                raise FieldProblem("unit", f"'{self.unit}' is not the unit of {self.quantity}; expected {spec.unit} or empty")
        elif self.bound is None:
            raise FieldProblem("bound", "missing: a value needs its bound (=, >, <, ~ or <~)")
        elif self.unit is None:
            raise FieldProblem("unit", f"missing: a value needs its unit ({spec.unit} for {self.quantity})")
        if self.unit is not None and self.unit != spec.unit:
            raise FieldProblem("unit", f"'{self.unit}' is not the unit of {self.quantity}; expected {spec.unit} (data/quantities.csv)")
        for name in ("value", "value_max"):
            v = getattr(self, name)
            if v is None:
                continue
            if not low <= v <= high:
                raise FieldProblem(name, f"{v:g} is out of range for {self.quantity}: expected {low:g} to {high:g} {self.unit}")
            if whole and v != int(v):
                raise FieldProblem(name, f"{v:g} should be a whole number of {self.unit}")
        if self.value_max is not None and self.value is not None and self.value_max < self.value:
            raise FieldProblem("value_max", f"{self.value_max:g} is below value {self.value:g}")
        _needs_unit(self.cathode_loading, self.cathode_loading_unit, "cathode_loading")
        _needs_unit(self.anode_li, self.anode_li_unit, "anode_li")
        if self.cathode_loading_max is not None and self.cathode_loading is None:
            raise FieldProblem("cathode_loading", "empty, but cathode_loading_max is set")
        if self.cathode_loading_max is not None and self.cathode_loading is not None and self.cathode_loading_max < self.cathode_loading:
            raise FieldProblem("cathode_loading_max", "is below cathode_loading")
        if self.chemistry is not None:
            if self.cathode is not None:
                raise FieldProblem("cathode", f"a {self.chemistry} cell has no cathode material; leave cathode empty")
            if self.cell_type != "full":
                raise FieldProblem("chemistry", "only a full cell has a chemistry; use cell_type full")
        if self.cell_type == "full" and self.cathode is None and self.chemistry is None and self.value is not None:
            raise FieldProblem("cathode", "missing: a full cell needs its cathode (one of " + ", ".join(cathodes)
                               + ") or, for a metal-gas cell, its chemistry (" + ", ".join(CHEMISTRIES) + ")")
        if self.unit_as_printed is not None and self.discrepancy is None:
            raise FieldProblem("discrepancy", "missing: unit_as_printed is set, so the row must name its discrepancy (D<n>)")
        return self


def _needs_unit(value: float | None, unit: str | None, name: str) -> None:
    if value is not None and unit is None:
        raise FieldProblem(f"{name}_unit", f"missing: {name} is given, so its unit is required (one of the allowed units)")
    if value is None and unit is not None:
        raise FieldProblem(name, f"missing: {name}_unit is given but {name} is empty")


class Discrepancy(Record):
    id: str = Field(pattern=r"^D[0-9]+$")
    study: str = Field(min_length=1)
    kind: Literal[DISCREPANCY_KINDS]  # type: ignore[valid-type]
    note: str = Field(min_length=10)


class Threshold(Record):
    quantity: Literal[THRESHOLD_QUANTITIES]  # type: ignore[valid-type]
    comparator: Literal[vocab.THRESHOLD_COMPARATORS]  # type: ignore[valid-type]
    value: float = Field(gt=0)
    unit: Literal["mAh/cm2", "g/Ah"]
    label: str = Field(min_length=1)
    source: str = Field(min_length=1)
    bibkeys: str = Field(pattern=r"^[a-z][a-z0-9]*(;[a-z][a-z0-9]*)*$")


class Layer(Record):
    """One layer of a host, numbered from the current collector (1) to the separator side."""

    study: str = Field(min_length=1)
    position: int = Field(ge=1, le=20)
    material: str = Field(min_length=1)
    thickness_rel: float = Field(gt=0, le=100)
    thickness_um: float | None = Field(default=None, gt=0, le=10000)
    lithiophilicity: int = Field(ge=0, le=3)
    conductivity: int = Field(ge=0, le=3)
    particles: str | None = None


class FamilyRow(Record):
    """A gradient family: the review's three (one per section of Sect. 2) and any an author adds."""

    family: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str = Field(min_length=1)
    colour: str | None = Field(default=None, pattern=r"^#[0-9A-Fa-f]{6}$")


class CathodeRow(Record):
    """A cathode the review's cells do not use (theirs are vocab.CATHODES), named as the paper names it."""

    cathode: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9.\-]*$", max_length=20)
    meaning: str = Field(min_length=1)


class QuantityRow(Record):
    """A measured quantity with its one unit and its allowed range."""

    quantity: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    unit: str = Field(pattern=r"^[A-Za-z%°µ/0-9 ]+$", max_length=20)
    label: str = Field(min_length=1)
    short: str | None = None
    low: float | None = None
    high: float | None = None
    whole: Literal["yes", "no"] | None = None
    meaning: str = Field(min_length=1)

    @model_validator(mode="after")
    def _range(self) -> QuantityRow:
        if self.low is not None and self.high is not None and self.high < self.low:
            raise FieldProblem("high", f"{self.high:g} is below low {self.low:g}")
        return self

    def record(self) -> vocab.Quantity:
        return vocab.Quantity(self.quantity, self.unit, self.label, self.short or "",
                              -math.inf if self.low is None else self.low,
                              math.inf if self.high is None else self.high, self.whole == "yes")


class TableSpec(BaseModel):
    """Where a table lives and which model validates its rows."""

    name: str
    filename: str
    model: type[Record]
    key: tuple[str, ...]
    required: bool = True
    #: the table's rows are checked against the families and quantities (read first)
    uses_vocabulary: bool = False

    @property
    def columns(self) -> list[str]:
        return list(self.model.model_fields)


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(name="families", filename="families.csv", model=FamilyRow, key=("family",)),
        TableSpec(name="quantities", filename="quantities.csv", model=QuantityRow, key=("quantity",)),
        TableSpec(name="cathodes", filename="cathodes.csv", model=CathodeRow, key=("cathode",), required=False),
        TableSpec(name="studies", filename="studies.csv", model=Study, key=("study",), uses_vocabulary=True),
        TableSpec(name="measurements", filename="measurements.csv", model=Measurement, key=("id",), uses_vocabulary=True),
        TableSpec(name="discrepancies", filename="discrepancies.csv", model=Discrepancy, key=("id",)),
        TableSpec(name="thresholds", filename="thresholds.csv", model=Threshold, key=("quantity",)),
        TableSpec(name="layers", filename="layers.csv", model=Layer, key=("study", "position"), required=False),
    )
}
