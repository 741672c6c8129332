"""The central joined table: every measurement with its study's section, gradient and reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..format import describe_conditions

if TYPE_CHECKING:
    from .load import Review


def tidy_measurements(review: Review) -> pd.DataFrame:
    """Every measurement with its study's section, gradient (its label, colour and place in families.csv), bib key,
    review reference number, DOI and its quantity's words (from quantities.csv)."""
    m = review.measurements.drop(columns=["line"])
    studies = review.studies[["study", "section", "gradient", "bibkey", "named_by"]]
    df = m.merge(studies, on="study", how="left", validate="many_to_one")
    df["review_ref"] = df["bibkey"].map(lambda k: review.bib.number_for(k)).astype("Int64")
    df["doi"] = df["bibkey"].map(lambda k: review.bib[k].doi)
    df["conditions"] = df.apply(describe_conditions, axis=1)
    families, quantities = review.vocabulary.families, review.vocabulary.quantities
    order = {name: i for i, name in enumerate(families)}
    df["family_label"] = df["gradient"].map(lambda g: families[g].label)
    df["family_colour"] = df["gradient"].map(lambda g: families[g].colour)
    df["family_order"] = df["gradient"].map(order).astype("int64")
    df["quantity_label"] = df["quantity"].map(lambda q: quantities[q].label)
    df["quantity_short"] = df["quantity"].map(lambda q: quantities[q].short)
    df["value_fraction"] = df["value"].where(df["unit"] != "%", df["value"] / 100.0).where(df["unit"] == "%")
    first = ["study", "bibkey", "review_ref", "doi", "section", "gradient", "quantity", "value", "value_max", "bound", "unit",
             "value_fraction", "conditions", "source", "discrepancy", "id", "sample", "role", "cell_type", "cell_format"]
    rest = [c for c in df.columns if c not in first]
    return df[first + rest].sort_values("id", kind="stable").reset_index(drop=True)
