"""One tidy table of every measurement, and writing it atomically as CSV or JSON."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .provenance import condition_parts

if TYPE_CHECKING:
    from .load import Review

CONDITION_COLUMNS = (
    "current_density", "areal_capacity", "c_rate", "cathode", "cathode_loading", "cathode_loading_max",
    "cathode_loading_unit", "anode_li", "anode_li_unit", "np_ratio", "electrolyte", "electrolyte_amount", "temperature",
)
CELL_NAMES = {"symmetric": "symmetric cell", "half": "half cell", "full": "full cell", "none": "", "unspecified": "cell"}


def _num(value) -> str:
    return f"{value:g}"


def describe_conditions(row) -> str:
    """A short human-readable summary of a row's test conditions, e.g. 'half cell, 1 mA/cm2, 1 mAh/cm2'."""
    parts = []
    cell = CELL_NAMES[row["cell_type"]]
    if row["cell_format"] not in ("unspecified",) and cell:
        cell = f"{row['cell_format']} {cell}"
    if cell:
        parts.append(cell)
    parts += condition_parts(row, ("current_density", "areal_capacity"), ascii_units=True)
    if pd.notna(row["cathode"]):
        loading = ""
        if pd.notna(row["cathode_loading"]):
            span = _num(row["cathode_loading"])
            if pd.notna(row["cathode_loading_max"]):
                span += f"-{_num(row['cathode_loading_max'])}"
            loading = f" ({span} {row['cathode_loading_unit']})"
        parts.append(f"{row['cathode']}{loading}")
    if pd.notna(row["anode_li"]):
        parts.append(f"Li {_num(row['anode_li'])} {row['anode_li_unit']}")
    parts += condition_parts(row, ("np_ratio", "c_rate"), ascii_units=True)
    if pd.notna(row["electrolyte"]):
        parts.append(str(row["electrolyte"]))
    parts += condition_parts(row, ("electrolyte_amount", "temperature"), ascii_units=True)
    return ", ".join(parts)


def tidy_measurements(review: "Review") -> pd.DataFrame:
    """Every measurement with its study's section, gradient, bib key and review reference number."""
    m = review.measurements.drop(columns=["line"])
    studies = review.studies[["study", "section", "gradient", "bibkey"]]
    df = m.merge(studies, on="study", how="left", validate="many_to_one")
    df["review_ref"] = df["bibkey"].map(lambda k: review.bib.number_for(k)).astype("Int64")
    df["conditions"] = df.apply(describe_conditions, axis=1)
    df["value_fraction"] = df["value"].where(df["unit"] != "%", df["value"] / 100.0).where(df["unit"] == "%")
    first = ["study", "bibkey", "review_ref", "section", "gradient", "quantity", "value", "value_max", "bound", "unit",
             "value_fraction", "conditions", "source", "discrepancy", "id", "sample", "role", "cell_type", "cell_format"]
    rest = [c for c in df.columns if c not in first]
    return df[first + rest].sort_values("id", kind="stable").reset_index(drop=True)


def render(df: pd.DataFrame, fmt: str) -> str:
    """The table as CSV or JSON text (records, stable key order, no NaN)."""
    if fmt == "csv":
        return df.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        records = json.loads(df.to_json(orient="records", force_ascii=False))
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown format {fmt!r}; expected csv or json")


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
