"""Which electrolyte family each study used: the confound behind every cross-study CE comparison.

Table 1's electrolytes fall into ether solutions (LiTFSI in DOL/DME or a similar ether, with LiNO3)
and carbonate solutions (LiPF6 in EC with linear carbonates, some with FEC or VC). The grouping is
read from the ``electrolyte`` text of ``data/studies.csv``; a study that gives none is "not given".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from ..data.load import Review

#: film-forming additives, as electrolyte descriptions write them
ADDITIVES = ("LiNO3", "FEC", "VC")


def electrolyte_family(text: object) -> str:
    """'ether', 'carbonate' or 'not given' for one electrolyte description."""
    if not isinstance(text, str) or not text.strip():
        return "not given"
    if "DOL" in text:
        return "ether"
    if re.search(r"\bEC\b", text):
        return "carbonate"
    return "other"


def electrolyte_additives(text: object) -> str:
    """The film-forming additives named in an electrolyte description, e.g. 'LiNO3' or 'VC + FEC'."""
    found = re.findall("|".join(map(re.escape, ADDITIVES)), text) if isinstance(text, str) else []
    return " + ".join(found) or "none"


def electrolyte_groups(review: Review) -> pd.DataFrame:
    """One row per study: electrolyte family, additives, gradient and its best host half-cell average CE (%)."""
    studies = review.studies.set_index("study")
    tidy = review.tidy()
    ce = tidy[(tidy["quantity"] == "average_ce") & (tidy["role"] == "host")].groupby("study")["value"].max()
    return pd.DataFrame({
        "solvent": studies["electrolyte"].map(electrolyte_family),
        "additives": studies["electrolyte"].map(electrolyte_additives),
        "gradient": studies["gradient"],
        "best half-cell CE (%)": ce.reindex(studies.index),
    })
