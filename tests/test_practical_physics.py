"""The book's own physics where gradient hosts meet practical cells, and the science review's fixes that
live in the analysis layer: each number checked against a computation written out here by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reviewfigs import models
from reviewfigs.analysis import model_views as mv
from reviewfigs.analysis.cells import longest_full_cell_tests, np_consistency

F = 96485.33212  # C/mol
MAH = 3.6  # C


def review_rows(frame: pd.DataFrame, review) -> pd.DataFrame:
    own = set(review.studies.loc[review.studies["added"].isna(), "study"])
    return frame[frame["study"].isin(own)]


# ------------------------------------------------------------------ lithium bound by additives and the SEI
@pytest.mark.parametrize("additive, li_per_unit, molar_mass", [("ZnO", 3, 65.38 + 16.00), ("SiO2", 4, 28.085 + 2 * 15.999),
                                                               ("g-C3N4", 12, 3 * 12.011 + 4 * 14.007)])
def test_additive_li_uptake_is_n_f_over_m(additive, li_per_unit, molar_mass):
    by_hand = li_per_unit * F / molar_mass / MAH  # mAh/g
    assert models.specific_li_uptake(models.LITHIATION_REACTIONS[additive]) == pytest.approx(by_hand, rel=2e-3)
    assert models.additive_li_loss(0.5, additive) == pytest.approx(0.5e-3 * by_hand, rel=2e-3)


def test_zno_binds_about_990_mah_per_gram():
    assert models.specific_li_uptake(models.LITHIATION_REACTIONS["ZnO"]) == pytest.approx(988, abs=2)


def test_sei_li_loss_scales_with_the_roughness_factor():
    # 20 nm of dense Li2O (2.013 g/cm³, 29.88 g/mol, 2 Li each) per cm² of true area
    per_area = 2 * 2.013 / 29.881 * 20e-7 * F / MAH  # mAh/cm²
    assert models.sei_li_loss(1.0) == pytest.approx(per_area, rel=1e-9)
    assert models.sei_li_loss(100.0) == pytest.approx(100 * per_area, rel=1e-9)
    table = mv.area_sei_tradeoff([1, 10, 100], cathode_capacity=4.0)
    assert list(table["sand_time_gain"]) == [1, 100, 10000]
    assert list(table["sei_area_gain"]) == [1, 10, 100]
    assert table["share_of_np1"].iloc[-1] == pytest.approx(100 * per_area / 4.0)


def test_additive_costs_list_the_review_hosts_with_reactive_particles(real_review):
    costs = review_rows(mv.additive_li_costs(real_review.layers, cathode_capacity=4.0), real_review)
    assert {"GZCNT", "CG", "LGH-AS", "CC/Li/Li3N"} <= set(costs["study"])
    zno = costs.set_index("study").loc["GZCNT"]
    assert zno["loading_for_share"] == pytest.approx(0.1 * 4.0 / (3 * F / 81.38 / MAH) * 1000, rel=1e-3)


# ------------------------------------------------------------------ electrolyte in the pores, host sizing
def test_pore_electrolyte_of_a_100_um_host():
    # 100 µm at porosity 0.8: 8e-3 cm³/cm² of pore, 9.6 mg/cm² of electrolyte at 1.2 g/cm³, over 4 mAh/cm²
    assert models.pore_electrolyte_ratio(100, 0.8, 4.0) == pytest.approx(9.6 / 4.0)
    # with 10 mAh/cm² of dense Li (48.5 µm) inside, 31.5 µm of pore remain
    li_um = 10 * MAH / F * 6.941 / 0.534 * 1e4
    assert models.pore_electrolyte_ratio(100, 0.8, 4.0, 10.0) == pytest.approx((80 - li_um) * 1e-4 * 1.2 * 1000 / 4.0)
    assert models.pore_electrolyte_ratio(30, 0.8, 4.0, 10.0) == 0.0  # the Li overfills a thin host


def test_host_sizing_in_the_charged_state():
    li_um = 14 * MAH / F * 6.941 / 0.534 * 1e4  # 10 pre-stored + 4 from a lithiated cathode, mAh/cm²
    assert models.host_thickness_for(14, 0.7) == pytest.approx(li_um / 0.7)
    assert models.host_thickness_for(14, 0.7) == pytest.approx(97.0, abs=0.1)
    assert models.host_thickness_for(10, 0.7) == pytest.approx(69.3, abs=0.1)


# ------------------------------------------------------------------ interface resistance beside the area
def test_interface_sweep_matches_the_closed_form():
    """Uniform host: bottom-half share from the Newman-Tobias closed form, with nu from the resistances."""
    kappa, sigma, length = models.KAPPA_EFF, 1e3, 100e-6
    table = mv.interface_resistance_sweep([0.26, 3.0])
    for _, row in table.iterrows():
        r = row["interface_ohm_cm2"] * 1e-4  # Ω·m²
        nu = math.sqrt(length * (1 / kappa + 1 / sigma) / r)
        z = np.linspace(0, 1, 20001)
        rate = nu * (kappa * np.cosh(nu * z) + sigma * np.cosh(nu * (1 - z))) / ((kappa + sigma) * np.sinh(nu))
        bottom = np.trapezoid(rate[z >= 0.5], z[z >= 0.5])
        assert row["nu"] == pytest.approx(nu, rel=1e-9)
        assert row["bottom_fraction"] == pytest.approx(bottom, abs=5e-3)
    assert table["bottom_fraction"].is_monotonic_increasing  # more interface resistance, more even filling


def test_overpotentials_bound_the_interface_resistance(real_review):
    table = review_rows(mv.overpotential_resistances(real_review.tidy()), real_review).set_index("id")
    assert table.loc["m033", "per_electrode_ohm_cm2"] == pytest.approx(80 / (2 * 2.0))
    assert table.loc["m047", "per_electrode_ohm_cm2"] == pytest.approx(20 / (2 * 1.0))


def test_valoen_reimers_conductivity_at_one_molar():
    c, t = 1.0, 298.15
    ms_cm = c * (-10.5 + 0.0740 * t - 6.96e-5 * t**2 + 0.668 * c - 0.0178 * c * t + 2.80e-5 * c * t**2
                 + 0.494 * c**2 - 8.86e-4 * c**2 * t) ** 2
    assert models.KAPPA_BULK == pytest.approx(ms_cm / 10)
    assert models.KAPPA_BULK == pytest.approx(1.19, abs=0.005)


# ------------------------------------------------------------------ the longest full-cell test, one cell
def test_longest_full_cell_test_reads_at_cycle_and_keeps_one_cell(real_review):
    longest = review_rows(longest_full_cell_tests(real_review.tidy()), real_review).set_index("study")
    # LNO-CGH: its NCM111 cell kept 74.9 % after 120 cycles (m071); Table 1 lists only 60 and 100 cycles
    assert longest.loc["LNO-CGH", "cycles"] == 120
    assert (longest.loc["LNO-CGH", "retention"], longest.loc["LNO-CGH", "retention_id"]) == (74.9, "m071")
    assert longest.loc["LNO-CGH", "cathode"] == "NCM111"
    # every retention comes from the cell whose length is shown
    tidy = real_review.tidy().set_index("id")
    for study, row in longest.dropna(subset=["retention"]).iterrows():
        length_row, kept_row = tidy.loc[row["cycles_id"]], tidy.loc[row["retention_id"]]
        assert length_row["cathode"] == kept_row["cathode"] == row["cathode"], study
        assert kept_row["at_cycle"] <= row["cycles"], study


def test_longest_full_cell_test_planted_failure(real_review):
    """Planted: a retention row at a later cycle in another cell must not become the shown retention."""
    tidy = real_review.tidy().copy()
    extra = tidy[tidy["id"] == "m054"].copy()  # PAN/CNF//NCM622 retention
    extra["id"], extra["at_cycle"], extra["value"] = "m999", 500, 50.0
    extra["cathode_loading"] = 30.0  # another loading: another cell
    grown = pd.concat([tidy, extra], ignore_index=True)
    row = longest_full_cell_tests(grown).set_index("study").loc["PAN/CNF"]
    assert (row["cycles"], row["retention_id"]) == (500, "m999")
    cells = longest_full_cell_tests(grown)
    assert len(cells[cells["study"] == "PAN/CNF"]) == 1


# ------------------------------------------------------------------ N/P as printed
def test_np_consistency_finds_the_two_pairs_that_do_not_fit(real_review):
    table = review_rows(np_consistency(real_review.tidy()), real_review).set_index("cell")
    by_hand = {"SiC/CC//LFP": 3.0 / (4.5 * 0.150), "LNO-CGH//NCM811": 5.0 / (11 * 0.200),
               "LNO-CGH//NCM111": 5.0 / (9.5 * 0.150), "ZGIL//LCO": 3.0 / (4.6 * 0.140), "G-HGA//LFP": 3.0 / 2.7}
    for cell, value in by_hand.items():
        assert table.loc[cell, "np_computed"] == pytest.approx(value), cell
    assert set(table.index[~table["agrees"]]) == {"LNO-CGH//NCM111", "ZGIL//LCO"}
    assert table.loc["ZGIL//LCO", "implied_specific_capacity"] == pytest.approx(1000 * 3.0 / (6.0 * 4.6))


# ------------------------------------------------------------------ "a dash means no such test"
@pytest.mark.parametrize("section", ["2.1", "2.2", "2.3"])
def test_a_dash_in_the_comparison_table_means_no_test_of_that_kind(real_review, section):
    """Finding 4: GZCNT's Li-S full cell and MOF-C's pouch half cells were dashes. Now a cell is a dash exactly
    when the data hold no host row of that cell type (counted here straight from the measurements)."""
    from reviewfigs.text.tables import COMPARISON_COLUMNS, comparison_myst

    text = comparison_myst(real_review, section)
    rows = [block.split("\n  - ") for block in text.split("\n* - ")[2:]]  # after the header row
    m = real_review.measurements
    kinds = {"Half cell (Li//host)": "half", "Symmetric cell": "symmetric", "Full cell": "full"}
    for cells in rows:
        study = cells[0].strip()
        for column, kind in kinds.items():
            shown = cells[COMPARISON_COLUMNS.index(column)].strip()
            has_test = ((m["study"] == study) & (m["role"] == "host") & (m["cell_type"] == kind)).any()
            assert (shown == "–") == (not has_test), (study, column, shown)
