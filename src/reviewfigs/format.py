"""How the book writes a number, a unit, a bound and a row's test conditions: defined once.

A leaf module (it imports only the words of :mod:`reviewfigs.vocab`), so that the data layer's tidy table, the text layer's
tables and tooltips and the figures all print a value the same way.
"""

from __future__ import annotations

import pandas as pd

from .vocab import ANODE_FREE, BOUNDS, CELL_FORMATS, CELL_TYPES, NO_NUMBER, NO_VALUE, PAPER_PREFIX, unit_text


def source_text(source) -> str:
    """Where a number is printed, said whose place it is: 'review Fig. 4e' or 'paper: Abstract'."""
    source = "" if source is None or (not isinstance(source, str) and pd.isna(source)) else str(source)
    if not source or source.startswith(PAPER_PREFIX):
        return source
    return f"review {source}"


def paper_place(source: str) -> str:
    """'Abstract' from 'paper: Abstract' (the place within the study's own paper)."""
    return source.removeprefix(PAPER_PREFIX)


CONDITION_FORMATS = {
    "np_ratio": ("N/P {}", "N/P {}"),
    "current_density": ("{} mA/cm²", "{} mA/cm2"),
    "areal_capacity": ("{} mAh/cm²", "{} mAh/cm2"),
    "c_rate": ("{} C", "{} C"),
    "electrolyte_amount": ("E/C {} g/Ah", "E/C {} g/Ah"),
    "temperature": ("{} °C", "{} °C"),
}


def condition_parts(row, fields, ascii_units: bool = False) -> list[str]:
    """The numeric test conditions of a row that are present, in the order asked, with units."""
    parts = []
    for field in fields:
        value = row[field]
        if pd.notna(value):
            template = CONDITION_FORMATS[field][1 if ascii_units else 0]
            parts.append(template.format(f"{value:g}"))
    return parts


def _printed(row: pd.Series, name: str) -> str:
    """The number as written in the CSV (keeps '99.0'), falling back to the parsed float."""
    text = row.get(f"{name}_text")
    return text if isinstance(text, str) and text else f"{row[name]:g}"


def display_value(row: pd.Series, unit: bool = True) -> str:
    """'99.0 %', '> 200 cycles', '6–8 µm': the number as the review states it ('reported, no number given'
    for a test the paper reports without one)."""
    if pd.isna(row["value"]):
        return NO_NUMBER
    text = _printed(row, "value")
    if pd.notna(row.get("value_max")):
        text += "–" + _printed(row, "value_max")
    text = BOUNDS[row["bound"]].sign + text
    return f"{text} {unit_text(row['unit'])}" if unit else text



def _num(value) -> str:
    return f"{value:g}"


def describe_conditions(row) -> str:
    """A short human-readable summary of a row's test conditions, e.g. 'half cell, 1 mA/cm2, 1 mAh/cm2'."""
    parts = []
    cell = CELL_TYPES[row["cell_type"]].words
    if row["cell_format"] in CELL_FORMATS and row["cell_format"] != "unspecified" and cell:
        cell = (f"{row['cell_format']} cell (type not stated)" if row["cell_type"] == "unspecified"
                else f"{row['cell_format']} {cell}")
    if cell:
        parts.append(cell)
    parts += condition_parts(row, ("current_density", "areal_capacity"), ascii_units=True)
    if pd.notna(row.get("chemistry")):
        parts.append(f"{row['chemistry']} cell")
    if pd.notna(row["cathode"]):
        loading = ""
        if pd.notna(row["cathode_loading"]):
            span = _num(row["cathode_loading"])
            if pd.notna(row["cathode_loading_max"]):
                span += f"-{_num(row['cathode_loading_max'])}"
            loading = f" ({span} {row['cathode_loading_unit']})"
        parts.append(f"{row['cathode']}{loading}")
    if pd.notna(row["anode_li"]):
        parts.append(ANODE_FREE if row["anode_li"] == 0 else f"Li {_num(row['anode_li'])} {row['anode_li_unit']}")
    parts += condition_parts(row, ("np_ratio", "c_rate"), ascii_units=True)
    if pd.notna(row["electrolyte"]):
        parts.append(str(row["electrolyte"]))
    parts += condition_parts(row, ("electrolyte_amount", "temperature"), ascii_units=True)
    return ", ".join(parts)


def cycles_text(n) -> str:
    """'1 cycle', '400 cycles': a count of cycles in words a reader expects."""
    return f"{float(n):g} cycle" + ("" if float(n) == 1 else "s")


def at_cycle_text(at_cycle) -> str:
    """'120 cycles', or 'initial (cycle 1)' for a first-cycle value, which is not a one-cycle test."""
    return "initial (cycle 1)" if int(at_cycle) == 1 else f"{int(at_cycle)} cycles"


def study_named(row) -> str:
    """A study's name as a sentence or a table gives it: with a note when the name is this book's label
    (``named_by``), so that no reader takes our label for the paper's."""
    from .vocab import OUR_LABEL, OUR_LABEL_NOTE

    return f"{row['study']} ({OUR_LABEL_NOTE})" if row.get("named_by") == OUR_LABEL else str(row["study"])


def unit_says_it(quantity_label: str, row) -> bool:
    """True where the printed number's unit already names the quantity ('950 cycles'): no word before it."""
    return pd.notna(row["value"]) and quantity_label.strip().lower() == str(row["unit"]).strip().lower()


def shown(table: pd.DataFrame | pd.Series, digits: int | dict | None = None) -> pd.DataFrame | pd.Series:
    """``table`` as a page prints it: rounded to ``digits`` (as ``DataFrame.round`` takes them), and
    every missing value written as :data:`~reviewfigs.vocab.NO_VALUE`, because a reader must see
    "not given", never pandas' NaN, None or <NA>."""
    rounded = table.round(digits) if digits is not None else table
    return rounded.astype(object).where(rounded.notna(), NO_VALUE)
