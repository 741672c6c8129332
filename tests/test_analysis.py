"""The analysis layer: each derived quantity defined once, checked against numbers worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reviewfigs import analysis as a
from reviewfigs.models import CATHODES


@pytest.fixture(scope="module")
def tidy(real_review):
    return real_review.tidy()


def review_only(frame: pd.DataFrame, review) -> pd.DataFrame:
    """The rows of studies the review itself discusses (``added`` empty): tests of its content use these."""
    own = set(review.studies.loc[review.studies["added"].isna(), "study"])
    return frame[frame["study"].isin(own)]


# ---------------------------------------------------------------------------- conversions
def test_hours_from_cycles_is_two_q_over_j_per_cycle():
    # the review states both for MOF-C(30)/Cu@Ag: 250 cycles at 0.4 mA/cm2 and 0.4 mAh/cm2 are 500 h
    assert a.hours_from_cycles(250, 0.4, 0.4) == pytest.approx(500)
    assert a.cycles_from_hours(1000, 2.0, 2.0) == pytest.approx(500)  # CC/Li/Li3N, MODELS.md cross-check


def test_cycles_and_hours_are_inverse_and_vectorised():
    hours = np.array([100.0, 780.0, 1000.0])
    j, q = np.array([1.0, 1.0, 2.0]), np.array([1.0, 1.0, 2.0])
    np.testing.assert_allclose(a.hours_from_cycles(a.cycles_from_hours(hours, j, q), j, q), hours)


def test_li_thickness_from_density_and_molar_mass():
    # 1 mAh = 3.6 C; 3.6/96485.33 mol x 6.941 g/mol / 0.534 g/cm3 = 4.85e-4 cm
    assert a.li_thickness_um(1.0) == pytest.approx(3.6 / 96485.33212 * 6.941 / 0.534 * 1e4)
    assert a.li_thickness_um(10.0) == pytest.approx(48.5, abs=0.05)


def test_cathode_areal_capacity_from_each_loading_unit():
    assert a.cathode_areal_capacity(2.7, "mAh/cm2", "LFP") == 2.7
    assert a.cathode_areal_capacity(4.0, "mg/cm2", "LFP") == pytest.approx(4.0 * CATHODES["LFP"].specific_capacity / 1000)
    assert math.isnan(a.cathode_areal_capacity(9.8, "mg", "SPAN"))  # a total mass has no area
    assert math.isnan(a.cathode_areal_capacity(None, None, "LFP"))
    assert math.isnan(a.cathode_areal_capacity(2.0, "mg/cm2", "unknown-cathode"))


def test_every_cathode_of_the_schema_has_one_specific_capacity():
    from reviewfigs.vocab import CATHODES as SCHEMA_CATHODES

    assert set(SCHEMA_CATHODES) <= set(CATHODES)
    assert all(a.specific_capacity(c) > 0 for c in SCHEMA_CATHODES)


def test_li_to_cathode_ratio():
    assert a.li_to_cathode_ratio(3.0, "mAh/cm2", 2.7) == pytest.approx(3.0 / 2.7)  # G-HGA: N/P 1.1
    assert math.isnan(a.li_to_cathode_ratio(5.0, "mAh", 1.0))  # GSCP: 5 mAh in total, no area
    assert math.isnan(a.li_to_cathode_ratio(3.0, "mAh/cm2", float("nan")))


# ---------------------------------------------------------------------------- lifespans
def test_symmetric_lifespans_convert_cycles_only_where_no_hours_exist(tidy):
    out = a.symmetric_lifespans(tidy)
    assert not out.duplicated(["study", "current_density", "areal_capacity"]).any()
    pan = out[out["study"] == "PAN/CNF"].iloc[0]
    assert pan["converted"] and pan["hours"] == pytest.approx(1600) and pan["bound"] == ">"
    sic = out[out["study"] == "SiC/CC"]
    assert not sic["converted"].any() and sorted(sic["hours"]) == [320, 1000]


def test_unconvertible_cycles_are_those_missing_j_or_q(real_review, tidy):
    out = review_only(a.unconvertible_symmetric_cycles(tidy), real_review)
    assert set(out["id"]) == {"m002", "m044"}  # GZCNT (no conditions), CG at 5 mA/cm2 (no Q)


# ---------------------------------------------------------------------------- full cells
def tidy_rows(*rows):
    base = {"study": "X", "gradient": "dual", "role": "host", "cell_type": "full", "cell_format": "unspecified",
            "cathode": "NCM811", "cathode_loading": np.nan, "cathode_loading_max": np.nan, "cathode_loading_unit": None,
            "anode_li": np.nan, "anode_li_unit": None, "np_ratio": np.nan, "electrolyte_amount": np.nan,
            "source": "Sect. 2.3 para 1", "quantity": "cycles", "value": 100.0, "unit": "cycles",
            "family_label": "dual gradient", "family_colour": "#009E73", "family_order": 2}
    return pd.DataFrame([{**base, "id": f"m{i:03d}", **row} for i, row in enumerate(rows, 1)])


def test_full_cells_merge_rows_of_one_cell_and_compute_np():
    tidy = tidy_rows(
        {"cathode_loading": 20.0, "cathode_loading_unit": "mg/cm2", "anode_li": 10.0, "anode_li_unit": "mAh/cm2"},
        {"cathode_loading": 20.0, "cathode_loading_unit": "mg/cm2", "source": "Table 1", "cell_format": "coin"},
        {"cathode": "LFP", "cathode_loading": 2.7, "cathode_loading_unit": "mAh/cm2", "np_ratio": 1.1},
        {"cathode": "S", "cathode_loading": 9.8, "cathode_loading_unit": "mg"},
        {"cell_type": "half"},
        {"role": "control", "cathode": "LCO"},
    )
    cells = a.full_cells(tidy).set_index("cathode")
    assert sorted(cells.index) == ["LFP", "NCM811", "S"]
    ncm = cells.loc["NCM811"]
    capacity = 20 * CATHODES["NCM811"].specific_capacity / 1000
    assert ncm["cathode_capacity"] == pytest.approx(capacity)
    assert ncm["np_ratio"] == pytest.approx(10 / capacity) and ncm["np_source"] == "Li/cathode"
    assert ncm["cell_format"] == "coin" and ncm["ids"] == "m001,m002"
    assert cells.loc["LFP", "cathode_capacity"] == 2.7 and cells.loc["LFP", "np_source"] == "reported"
    assert np.isnan(cells.loc["S", "cathode_capacity"])


def test_full_cells_merge_a_rounding_discrepancy_but_keep_distinct_cells_apart():
    tidy = tidy_rows(
        {"cathode_loading": 9.8, "cathode_loading_unit": "mg/cm2"},
        {"cathode_loading": 9.75, "cathode_loading_unit": "mg/cm2", "source": "Table 1"},  # one cell, printed twice
        {"cathode_loading": 5.5, "cathode_loading_unit": "mg/cm2"},
        {"cathode_loading": 5.5, "cathode_loading_unit": "mg/cm2", "cell_format": "quasi-solid"},
    )
    cells = a.full_cells(tidy)
    assert sorted(cells["cathode_loading"]) == [5.5, 5.5, 9.75]
    assert sorted(cells["electrolyte_class"]) == ["liquid", "liquid", "quasi-solid"]
    assert cells["cell"].is_unique


def test_full_cells_never_invent_a_format():
    cells = a.full_cells(tidy_rows({"cathode_loading": 12.0, "cathode_loading_unit": "mg/cm2"}))
    assert list(cells["cell_format"]) == ["unspecified"]


def test_full_cells_of_the_review(real_review, tidy):
    cells = review_only(a.full_cells(tidy), real_review).set_index("cell")
    # the SPAN pouch cell is printed as 9.8 mg (text) and 9.75 mg (Table 1), discrepancy D2: one cell
    span = cells[cells["cathode"] == "SPAN"]
    assert len(span) == 1 and {"m024", "m028"} <= set(span.iloc[0]["ids"].split(","))
    assert cells.loc["SiC/CC//LFP", "np_ratio"] == pytest.approx(4.4)  # reported
    assert cells.loc["G-HGA//LFP", "cathode_capacity"] == pytest.approx(2.7)  # printed in mAh/cm2
    # PAN/CNF//NCM622 is described only in the text, which names no format
    assert cells.loc["PAN/CNF//NCM622", "cell_format"] == "unspecified"
    solid = cells.loc["CC/Li/Li3N//LFP (solid-state)"]
    assert "m038" in solid["ids"]  # the row without a loading joins its cell
    assert cells.loc["PAN/CNF//NCM811", "delivered_capacity"] == 3.5


# ---------------------------------------------------------------------------- thresholds
@pytest.mark.parametrize("value, comparator, threshold, expected", [
    (4.0, ">", 4.0, False), (4.01, ">", 4.0, True), (10.0, "<", 10.0, False), (9.9, "<", 10.0, True),
    (float("nan"), ">", 4.0, None), (None, "<", 3.0, None),
])
def test_meets_applies_the_comparator_of_the_data(value, comparator, threshold, expected):
    assert a.meets(value, comparator, threshold) is expected


def test_practical_gap_judges_the_delivered_capacity_where_reported(real_review):
    gap = a.practical_gap(real_review).set_index("cell")
    pan = gap.loc["PAN/CNF//NCM811"]
    assert pan["judged_on"] == "delivered" and pan["cathode_capacity_judged"] == 3.5
    threshold = real_review.thresholds.set_index("quantity").loc["cathode_areal_capacity"]
    assert pan["meets_cathode_areal_capacity"] is bool(3.5 > threshold["value"])


def test_gap_counts_agree_with_the_gap_table(real_review):
    gap, counts = a.practical_gap(real_review), a.gap_counts(real_review)
    assert counts["full_cells"] == len(gap) == len(a.full_cells(real_review.tidy()))
    assert counts["meet_anode_li"] == sum(v is True for v in gap["meets_anode_li"])


def test_the_gap_table_the_full_cell_map_and_the_energy_map_list_the_same_cells(real_review):
    """One definition of a full cell: every page that lists cells lists the same ones."""
    from reviewfigs import figures
    from reviewfigs.text.gap import practical_gap_myst

    cells = a.full_cells(real_review.tidy())
    energy = a.cell_energies(cells, ec_ratio=real_review.thresholds.set_index("quantity").loc["electrolyte_amount", "value"])
    gap_rows = practical_gap_myst(real_review).count("\n* - ") - 1  # minus the header row
    assert gap_rows == len(cells) == len(energy) == len(a.practical_gap(real_review))
    assert list(energy["cell"]) == list(cells["cell"])
    alt = figures.FIGURES["fullcell_map"].alt(real_review)
    assert f"Of the {len(cells)} full cells" in alt


# ---------------------------------------------------------------------------- electrolytes
@pytest.mark.parametrize("text, family, additives", [
    ("1.0 mol/L LiTFSI in DOL/DME (1:1, v/v) with 1 wt% LiNO3", "ether", "LiNO3"),
    ("1.0 mol/L LiPF6 in EC/DEC (1:1, v/v) with 1% VC and 10% FEC", "carbonate", "VC + FEC"),
    ("1.0 mol/L LiPF6 in EC/EMC/DMC (1:1:1, v/v/v)", "carbonate", "none"),
    (None, "not given", "none"),
])
def test_electrolyte_family_and_additives(text, family, additives):
    assert a.electrolyte_family(text) == family
    assert a.electrolyte_additives(text) == additives


def test_electrolyte_groups_cover_every_study_once(real_review):
    groups = a.electrolyte_groups(real_review)
    assert sorted(groups.index) == sorted(real_review.studies["study"])
    gscp = groups.loc["GSCP"]  # Table 1: LiTFSI in DOL/DME with LiNO3; 99.0 % average CE (Sect. 2.1)
    assert gscp["solvent"] == "ether" and gscp["best half-cell CE (%)"] == 99.0
