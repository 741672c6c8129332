"""How a number from the data is shown in prose and where it says it came from."""

from __future__ import annotations

import pandas as pd

from .bib import Bibliography

UNIT_TEXT = {"%": " %", "cycles": " cycles", "h": " h", "mV": " mV", "mAh/g": " mAh/g", "mAh/cm2": " mAh/cm²",
             "µm": " µm", "kS/cm": " kS/cm", "wt%": " wt%", "cm2": " cm²", "°C": " °C", "C": " C"}
BOUND_TEXT = {"=": "", ">": "> ", "<": "< ", "~": "~"}
QUANTITY_TEXT = {
    "average_ce": "average Coulombic efficiency", "ce_retention": "CE retention", "cycles": "cycles",
    "lifespan": "lifespan", "overpotential": "overpotential", "nucleation_overpotential": "nucleation overpotential",
    "specific_capacity": "specific capacity", "areal_capacity_delivered": "areal capacity delivered",
    "capacity_retention": "capacity retention", "host_thickness": "host thickness", "layer_thickness": "layer thickness",
    "conductivity_difference": "conductivity difference", "cnt_content": "CNT content", "cell_area": "cell area",
    "temperature_tested": "test temperature", "rate_tested": "rates tested",
}


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
    """'99.0 %', '> 200 cycles', '6–8 µm': the number as the review states it."""
    text = _printed(row, "value")
    if pd.notna(row.get("value_max")):
        text += "–" + _printed(row, "value_max")
    text = BOUND_TEXT[row["bound"]] + text
    return text + UNIT_TEXT[row["unit"]] if unit else text


def describe(row: pd.Series, bib: Bibliography) -> str:
    """Tooltip text: what, under which conditions, where in the review, from which paper."""
    ref = bib[row["bibkey"]]
    number = f" [{ref.number}]" if ref.number else ""
    parts = [
        f"{row['study']}: {QUANTITY_TEXT[row['quantity']]} {display_value(row)}",
        row["conditions"] or None,
        f"review {row['source']}",
        f"{ref.short}{number}",
        f"data row {row['id']}",
    ]
    if pd.notna(row.get("discrepancy")):
        parts.append(f"see discrepancy {row['discrepancy']}")
    if pd.notna(row.get("notes")):
        parts.append(f"note: {row['notes']}")
    return " · ".join(p for p in parts if p)
