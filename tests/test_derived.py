"""Derived quantities: unit conversions, and the frames that turn measurements into comparable numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reviewfigs import derived
from reviewfigs.check import expected_cycles


@pytest.fixture(scope="module")
def tidy(real_review):
    return real_review.tidy()


# ---------------------------------------------------------------------------- conversions
def test_hours_from_cycles_is_two_q_over_j_per_cycle():
    # MOF-C(30)/Cu@Ag: 250 cycles at 0.4 mA/cm2 and 0.4 mAh/cm2 are the 500 h the review states
    assert derived.hours_from_cycles(250, 0.4, 0.4) == pytest.approx(500)
    assert derived.hours_from_cycles(800, 5.0, 5.0) == pytest.approx(1600)


def test_cycles_and_hours_are_inverse_and_vectorised():
    hours = np.array([100.0, 780.0, 1000.0])
    j = np.array([1.0, 1.0, 2.0])
    q = np.array([1.0, 1.0, 2.0])
    cycles = derived.cycles_from_hours(hours, j, q)
    np.testing.assert_allclose(derived.hours_from_cycles(cycles, j, q), hours)


def test_cycles_from_hours_agrees_with_the_data_check():
    """The validation in check.py and the figures must use the same rule."""
    assert derived.cycles_from_hours(700, 1.0, 1.0) == pytest.approx(expected_cycles(700, 1.0, 1.0))
    assert derived.cycles_from_hours(320, 5.0, 5.0) == pytest.approx(expected_cycles(320, 5.0, 5.0))


def test_cathode_areal_capacity_from_each_loading_unit():
    assert derived.cathode_areal_capacity(2.7, "mAh/cm2", "LFP") == 2.7
    expected = 4.0 * derived.SPECIFIC_CAPACITY_MAH_G["LFP"] / 1000
    assert derived.cathode_areal_capacity(4.0, "mg/cm2", "LFP") == pytest.approx(expected)
    assert math.isnan(derived.cathode_areal_capacity(9.8, "mg", "SPAN"))  # a total mass has no area
    assert math.isnan(derived.cathode_areal_capacity(None, None, "LFP"))
    assert math.isnan(derived.cathode_areal_capacity(2.0, "mg/cm2", "unknown-cathode"))


def test_every_cathode_of_the_schema_has_a_specific_capacity():
    from reviewfigs.schema import CATHODES

    assert set(derived.SPECIFIC_CAPACITY_MAH_G) == set(CATHODES)


def test_li_to_cathode_ratio():
    assert derived.li_to_cathode_ratio(3.0, "mAh/cm2", 2.7) == pytest.approx(3.0 / 2.7)  # G-HGA: N/P 1.1
    assert math.isnan(derived.li_to_cathode_ratio(5.0, "mAh", 1.0))  # GSCP: 5 mAh in total, no area
    assert math.isnan(derived.li_to_cathode_ratio(None, None, 1.0))
    assert math.isnan(derived.li_to_cathode_ratio(3.0, "mAh/cm2", float("nan")))


# ----------------------------------------------------------------------- frame derivations
def test_symmetric_lifespans_convert_cycles_only_where_no_hours_exist(tidy):
    out = derived.symmetric_lifespans(tidy)
    assert not out.duplicated(["study", "current_density", "areal_capacity"]).any()
    pan = out[out["study"] == "PAN/CNF"].iloc[0]
    assert pan["converted"] and pan["hours"] == pytest.approx(1600) and pan["bound"] == ">"
    sic = out[out["study"] == "SiC/CC"]
    assert not sic["converted"].any() and sorted(sic["hours"]) == [320, 1000]
    assert out["current_density"].notna().all() and out["areal_capacity"].notna().all()


def test_unconvertible_cycles_are_those_missing_j_or_q(tidy):
    out = derived.unconvertible_symmetric_cycles(tidy)
    assert set(out["id"]) == {"m002", "m044"}  # GZCNT (no conditions), CG at 5 mA/cm2 (no Q)


def test_full_cells_merge_rows_of_one_cell(tidy):
    cells = derived.full_cells(tidy)
    assert not cells.duplicated(["study", "cathode", "cathode_loading", "cathode_loading_unit", "electrolyte"]).any()
    solid = cells[(cells["study"] == "CC/Li/Li3N") & (cells["electrolyte"] == "LLZO garnet")]
    assert len(solid) == 1 and "m038" in solid.iloc[0]["ids"]  # the row without a loading joins its cell


def test_full_cells_prefer_the_reported_np_ratio(tidy):
    cells = derived.full_cells(tidy).set_index(["study", "cathode"])
    assert cells.loc[("ZGIL", "LCO"), "np_ratio"] == 6.0
    assert cells.loc[("ZGIL", "LCO"), "np_source"] == "reported"
    cdg = cells.loc[("CDG-sponge", "LFP")]
    assert cdg["np_source"] == "Li/cathode"
    assert cdg["np_ratio"] == pytest.approx(3.0 / (4.0 * derived.SPECIFIC_CAPACITY_MAH_G["LFP"] / 1000))


def test_full_cells_keep_total_mass_loadings_without_capacity(tidy):
    cells = derived.full_cells(tidy)
    span = cells[cells["cathode"] == "SPAN"]
    assert len(span) >= 1 and span["cathode_capacity"].isna().all()


def test_full_cells_of_an_empty_frame(tidy):
    assert derived.full_cells(tidy.iloc[0:0]).empty
    assert derived.symmetric_lifespans(tidy.iloc[0:0]).empty
    assert isinstance(derived.full_cells(tidy.iloc[0:0]), pd.DataFrame)
