"""Rendering the tidy table as CSV or JSON text (written by `reviewfigs export` with files.write_atomic)."""

from __future__ import annotations

import json

import pandas as pd


def render(df: pd.DataFrame, fmt: str) -> str:
    """The table as CSV or JSON text (records, stable key order, no NaN)."""
    if fmt == "csv":
        return df.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        records = json.loads(df.to_json(orient="records", force_ascii=False))
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown format {fmt!r}; expected csv or json")
