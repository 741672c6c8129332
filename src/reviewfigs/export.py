"""Rendering the tidy table as CSV or JSON text (written by `reviewfigs export` with files.write_atomic)."""

from __future__ import annotations

import json

import pandas as pd

from .data.untrusted import FORMULA_START, PLAIN_NUMBER


def csv_cell(value):
    """A cell a spreadsheet shows as text: one starting with = + - @ (or a tab or carriage return)
    would run as a formula, so it gets a leading apostrophe. Plain numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START + ("\t", "\r")) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def render(df: pd.DataFrame, fmt: str) -> str:
    """The table as CSV (formula-guarded cells) or JSON text (records, stable key order, no NaN)."""
    if fmt == "csv":
        guarded = df.copy()
        for column in guarded.columns:
            if not pd.api.types.is_numeric_dtype(guarded[column]):
                guarded[column] = guarded[column].map(csv_cell)
        return guarded.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        records = json.loads(df.to_json(orient="records", force_ascii=False))
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown format {fmt!r}; expected csv or json")
