"""Valid data that a view will show as missing: said by ``reviewfigs check`` before a build, not found after.

Nothing here refuses a row (each is what a paper states); each warning names the file, the line and the
view, so that an author knows what the book will print for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..errors import Issue

if TYPE_CHECKING:
    from .load import Review

MEASUREMENTS = "data/measurements.csv"


def view_warnings(review: Review) -> list[Issue]:
    """One Issue per row or study that a page, figure or table will show as not reported or not shown."""
    m = review.measurements
    out: list[Issue] = []

    def warn(row: pd.Series, field: str, text: str) -> None:
        out.append(Issue(MEASUREMENTS, int(row["line"]), field, text))

    for _, row in m.iterrows():
        host = row["role"] == "host"
        if pd.isna(row["value"]):
            warn(row, "value", "no number: tables, What's new and tooltips print 'reported, no number given' for this test; figures draw no mark for it (the CE map and the overpotential chart name it under 'Not shown')")
            continue
        symmetric = host and row["cell_type"] == "symmetric" and row["quantity"] in ("lifespan", "cycles")
        if symmetric and (pd.isna(row["current_density"]) or pd.isna(row["areal_capacity"])):
            warn(row, "current_density", "the lifespan chart lists it under 'Not shown' (it needs both current "
                 "density and areal capacity)")
        if host and row["quantity"] == "capacity_retention" and (pd.isna(row["at_cycle"]) or pd.isna(row["cathode"])):
            warn(row, "at_cycle", "the retention chart lists it under 'Not shown' (it needs at_cycle and a cathode)")
        if host and row["cell_type"] == "full" and pd.notna(row["cathode"]) and pd.isna(row["cathode_loading"]):
            warn(row, "cathode_loading", "the full-cell map and the practical-gap table show this cell's cathode "
                 "capacity as not reported")
    laid = set(review.layers["study"])
    for _, study in review.studies.iterrows():
        if study["study"] not in laid and pd.notna(study["section"]):
            out.append(Issue("data/studies.csv", int(study["line"]), "study", f"'{study['study']}' has no layers in "
                             "data/layers.csv: its section's host schematics do not draw it"))
    return out
