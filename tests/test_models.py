"""The models against physics: closed-form solutions, scaling laws and worked numbers recomputed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import simpson

from reviewfigs import models as m
from reviewfigs.analysis import layer_deposition, reported_ce_cycle_life

F_OVER_RT = 96485.33212 / (8.314462618 * 298.15)


# ------------------------------------------------------------------------------------ Sand's time
def test_sand_time_scales_as_inverse_square_of_current():
    j = np.array([0.1, 0.5, 1.0, 3.0, 10.0])
    t = m.sand_time(j)
    assert m.sand_time(1.0) / m.sand_time(2.0) == pytest.approx(4.0, rel=1e-12)
    assert np.allclose(t * j**2, t[0] * j[0] ** 2, rtol=1e-12)


def test_sand_time_matches_worked_example():
    # by hand: pi 3e-10 (9.6485e7)² / (4 (10 x 0.62)²) = 5.7e4 s (15.9 h) at D = 3e-10 m²/s, J = 1 mA/cm²
    t = m.sand_time(1.0, diffusivity=3e-10, anion_transference=0.62)
    assert t == pytest.approx(5.7e4, rel=0.02)
    assert m.sand_time(3.0, diffusivity=3e-10) / 3600 == pytest.approx(1.76, rel=0.02)
    assert isinstance(t, float)


def test_sand_time_follows_its_derivation_from_diffusion():
    # c(0, t) = c0 - 2 (J t_a / F) sqrt(t / (pi D)) reaches zero at t_S
    d, c0, t_a, j = 3.2e-10, 1000.0, 0.62, 20.0  # j in A/m²
    t = m.sand_time(j / 10.0)
    assert c0 - 2 * (j * t_a / 96485.33212) * math.sqrt(t / (math.pi * d)) == pytest.approx(0.0, abs=1e-9 * c0)


def test_host_roughness_raises_sand_time_quadratically():
    assert m.sand_time_host(1.0, 8) == pytest.approx(64 * m.sand_time(1.0), rel=1e-12)
    assert m.sand_time_host(1.0, 1) == pytest.approx(m.sand_time(1.0), rel=1e-12)


def test_limiting_current_for_a_thin_separator():
    # by hand: 2 F D c0 / (t_a l) with D = 3.2e-10/6.25, l = 25 µm -> 63.7 mA/cm²
    expected = 2 * 96485.33212 * 3.2e-10 / 6.25 * 1000 / (0.62 * 25e-6) / 10
    assert m.limiting_current_density(25, tortuosity_factor=6.25) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(64, abs=0.5)


def test_limiting_current_through_separator_and_host_in_series():
    # diffusion resistances add: a 100 µm host at porosity 0.8 is 100 x 0.8^-1.5 µm of free electrolyte
    series = m.limiting_current_density(25, tortuosity_factor=6.25, host_um=100, host_porosity=0.8)
    assert series == pytest.approx(m.limiting_current_density(25 * 6.25 + 100 * 0.8**-1.5), rel=1e-12)
    assert series == pytest.approx(m.limiting_current_density(25, tortuosity_factor=6.25)
                                   * 25 * 6.25 / (25 * 6.25 + 100 / 0.8**1.5), rel=1e-12)
    assert m.limiting_current_density(25, host_um=0.0) == m.limiting_current_density(25)
    with pytest.raises(ValueError, match="host_porosity must be > 0"):
        m.limiting_current_density(25, host_um=10, host_porosity=0.0)


@pytest.mark.parametrize("bad", [0.0, -1.0, [1.0, -2.0]])
def test_sand_time_rejects_non_positive_current(bad):
    with pytest.raises(ValueError, match=r"current_density must be > 0 mA/cm²"):
        m.sand_time(bad)


def test_sand_time_rejects_bad_electrolyte():
    with pytest.raises(ValueError, match="anion_transference must lie in"):
        m.sand_time(1.0, anion_transference=1.5)
    with pytest.raises(ValueError, match="diffusivity must be > 0"):
        m.sand_time(1.0, diffusivity=-1e-10)
    with pytest.raises(ValueError, match="roughness aL must be >= 1"):
        m.sand_time_host(1.0, 0.5)


# --------------------------------------------------------------------------- porous deposition
def analytic_rate(z, nu, kappa, sigma):
    """Closed form for constant properties (Newman and Tobias 1962; models chapter, section 2)."""
    return nu * (kappa * np.cosh(nu * z) + sigma * np.cosh(nu * (1 - z))) / ((kappa + sigma) * np.sinh(nu))


UNIFORM_CASES = [  # sigma_eff, kappa_eff, a, thickness_um
    (1e3, 0.79, 1e5, 100),
    (1e3, 0.79, 1e6, 100),
    (0.05, 0.79, 1e6, 100),
    (1.0, 1.0, 3e5, 50),
]


@pytest.mark.parametrize("method", ["bvp", "fv"])
@pytest.mark.parametrize("sigma, kappa, a, thickness", UNIFORM_CASES)
def test_uniform_host_matches_analytic_solution(method, sigma, kappa, a, thickness):
    host = m.Host.uniform(thickness_um=thickness, sigma_eff=sigma, kappa_eff=kappa, i0=10.0, specific_area=a)
    profile = m.deposition_profile(host, 1.0, n=400, method=method)
    nu = thickness * 1e-6 * math.sqrt(a * 10.0 * F_OVER_RT * (1 / kappa + 1 / sigma))
    expected = analytic_rate(profile.depth, nu, kappa, sigma)
    assert profile.nu == pytest.approx(nu, rel=1e-9)
    assert np.max(np.abs(profile.rate - expected) / expected) < 1e-3


def test_reference_host_sanity_numbers():
    # closed form: L = 100 µm, a = 1e5, i0 = 10, sigma = 1000, kappa_eff = 1.194 x 0.8^1.5 (Valøen-Reimers at
    # 1 M and 25 °C with Bruggeman) -> nu 0.675, r(0) 1.147, r(1) 0.928, |eta| of a few mV
    profile = m.deposition_profile(m.four_hosts()["uniform"], 1.0)
    assert profile.nu == pytest.approx(0.675, abs=0.005)
    assert profile.rate[0] == pytest.approx(1.147, abs=0.01)
    assert profile.rate[-1] == pytest.approx(0.928, abs=0.01)
    assert np.max(np.abs(profile.overpotential)) < 0.2 / F_OVER_RT  # linear kinetics hold


@pytest.mark.parametrize("method", ["bvp", "fv"])
def test_good_scaffold_conductor_plates_at_the_separator_side(method):
    host = m.Host.uniform(sigma_eff=1e4, kappa_eff=0.8, specific_area=1e6)
    profile = m.deposition_profile(host, n=200, method=method)
    assert np.argmax(profile.rate) == 0
    assert profile.bottom_fraction < 0.5


@pytest.mark.parametrize("method", ["bvp", "fv"])
def test_poor_scaffold_conductor_plates_at_the_collector_side(method):
    host = m.Host.uniform(sigma_eff=1e-3, kappa_eff=0.8, specific_area=1e6)
    profile = m.deposition_profile(host, n=200, method=method)
    assert np.argmax(profile.rate) == profile.rate.size - 1
    assert profile.bottom_fraction > 0.5


@pytest.mark.parametrize("name", ["uniform", "conductivity-graded", "lithiophilicity-graded", "dual-graded"])
@pytest.mark.parametrize("a", [1e5, 1e6])
def test_all_current_is_plated(name, a):
    host = m.four_hosts(specific_area=a)[name]
    bvp = m.deposition_profile(host, 2.0, n=401)
    assert simpson(bvp.rate, x=bvp.depth) == pytest.approx(1.0, rel=1e-6)
    fv = m.deposition_profile(host, 2.0, n=400, method="fv")
    assert np.sum(fv.rate) / fv.rate.size == pytest.approx(1.0, rel=1e-6)
    bottom = bvp.depth >= 0.5
    assert simpson(bvp.rate[bottom], x=bvp.depth[bottom]) == pytest.approx(bvp.bottom_fraction, rel=1e-5)


# share of the deposit in the bottom half at a = 1e5 (nu 0.68) and 1e6 (nu 2.1) with kappa_eff from the
# Valøen-Reimers 1.19 S/m: uniform from the closed form (0.473, 0.308); the graded hosts from MODELS.md's
# table (computed there at kappa 1.1 S/m), moved by the 8 % higher kappa and checked with both solvers
MODELS_TABLE = {
    "uniform": (0.47, 0.31),
    "conductivity-graded": (0.50, 0.45),
    "lithiophilicity-graded": (0.88, 0.68),
    "dual-graded": (0.88, 0.71),
}


@pytest.mark.parametrize("method", ["bvp", "fv"])
def test_four_hosts_reproduce_the_models_table(method):
    for column, a in enumerate((1e5, 1e6)):
        for name, host in m.four_hosts(specific_area=a).items():
            found = m.deposition_profile(host, n=400, method=method).bottom_fraction
            assert found == pytest.approx(MODELS_TABLE[name][column], abs=0.015), (name, a)


def test_thicker_uniform_host_plates_more_at_the_top():
    # nu grows with L: the MOF-C(30) vs MOF-C(90) trend of the review (Sect. 2.1)
    fractions = m.bottom_fraction_vs_thickness(m.four_hosts(1e6)["uniform"], [30, 60, 90, 150])
    assert np.all(np.diff(fractions) < 0)


def test_deposition_mode_bands_the_bottom_share():
    assert [m.deposition_mode(f) for f in (0.9, 0.56, 0.55, 0.5, 0.45, 0.44, 0.0)] == [
        "bottom-up", "bottom-up", "uniform", "uniform", "uniform", "top-growth", "top-growth"]
    assert m.deposition_mode(0.52, band=0.0) == "bottom-up"
    with pytest.raises(ValueError, match="bottom_fraction must lie in"):
        m.deposition_mode(1.2)


def test_peak_depth_is_where_the_rate_is_highest():
    profile = m.deposition_profile(m.Host.uniform(sigma_eff=1e-3, specific_area=1e6))
    assert profile.peak_depth == 1.0
    assert m.deposition_profile(m.Host.uniform(specific_area=1e6)).peak_depth == 0.0


def coated_collector(coat_um, a=1e6):
    """A factory: a fixed ``coat_um`` strongly lithiophilic metal coat under carbon filling the rest."""
    def build(thickness_um):
        return m.Host.from_layers([
            {"position": 1, "thickness_rel": coat_um, "lithiophilicity": 3, "conductivity": 3},
            {"position": 2, "thickness_rel": thickness_um - coat_um, "lithiophilicity": 1, "conductivity": 2},
        ], thickness_um=thickness_um, specific_area=a)
    return build


def test_thickness_series_with_a_fixed_bottom_coat():
    build = coated_collector(1.0)
    series = m.bottom_fraction_vs_thickness(build, [20, 60])
    assert series[0] == pytest.approx(m.deposition_profile(build(20)).bottom_fraction, rel=1e-12)
    assert series[1] < series[0]
    # stretching the 30 µm host instead grows the coat with it: a different (thicker-coat) design at 60 µm
    stretched = m.bottom_fraction_vs_thickness(build(30), [60])[0]
    assert stretched == pytest.approx(m.deposition_profile(coated_collector(2.0)(60)).bottom_fraction, rel=1e-6)
    with pytest.raises(ValueError, match="factory must return a Host"):
        m.bottom_fraction_vs_thickness(lambda t: None, [10])


def test_thickness_at_bottom_fraction_brackets_the_crossing():
    build = coated_collector(1.0)
    crossing = m.thickness_at_bottom_fraction(build, 0.5, (10, 150))
    below, above = m.bottom_fraction_vs_thickness(build, [crossing - 1, crossing + 1])
    assert below > 0.5 > above
    assert math.isnan(m.thickness_at_bottom_fraction(m.four_hosts(1e6)["uniform"], 0.9, (10, 150)))


def test_rate_does_not_depend_on_current_but_overpotential_does():
    host = m.four_hosts()["dual-graded"]
    low, high = m.deposition_profile(host, 0.5), m.deposition_profile(host, 5.0)
    assert np.allclose(low.rate, high.rate, rtol=1e-5)
    assert np.allclose(high.overpotential, 10 * low.overpotential, rtol=1e-5)


def test_deposition_profile_rejects_bad_inputs():
    host = m.four_hosts()["uniform"]
    with pytest.raises(ValueError, match="current_density must be > 0"):
        m.deposition_profile(host, -1.0)
    with pytest.raises(ValueError, match="unknown method 'magic'; expected one of bvp, fv"):
        m.deposition_profile(host, method="magic")
    with pytest.raises(ValueError, match="host must be a Host"):
        m.deposition_profile({"sigma": 1}, 1.0)
    with pytest.raises(ValueError, match="thickness_um must be > 0"):
        m.Host.uniform(thickness_um=0)
    negative = m.Host(thickness=1e-4, sigma_eff=lambda z: -np.ones_like(z), kappa_eff=lambda z: np.ones_like(z),
                      i0=lambda z: np.ones_like(z), specific_area=lambda z: np.ones_like(z), name="broken")
    with pytest.raises(ValueError, match="broken: sigma_eff must be > 0 S/m"):
        m.deposition_profile(negative)


# ------------------------------------------------------------------------------- layered hosts
def layers(bottom_lithiophilicity, bottom_conductivity, top_lithiophilicity=1, top_conductivity=2):
    return [
        {"study": "test", "position": 1, "material": "bottom", "thickness_rel": 1, "thickness_um": 40,
         "lithiophilicity": bottom_lithiophilicity, "conductivity": bottom_conductivity, "particles": None},
        {"study": "test", "position": 2, "material": "top", "thickness_rel": 1, "thickness_um": 60,
         "lithiophilicity": top_lithiophilicity, "conductivity": top_conductivity, "particles": None},
    ]


@pytest.mark.parametrize("method", ["bvp", "fv"])
def test_lithiophilic_bottom_layer_pulls_plating_down(method):
    uniform = m.Host.from_layers(layers(1, 2), specific_area=1e6)
    graded = m.Host.from_layers(pd.DataFrame(layers(3, 3)), specific_area=1e6)
    assert uniform.thickness_um == pytest.approx(100.0)
    base = m.deposition_profile(uniform, n=400, method=method).bottom_fraction
    better = m.deposition_profile(graded, n=400, method=method).bottom_fraction
    assert better > base + 0.1


def test_layered_host_has_its_layer_properties():
    host = m.Host.from_layers(layers(3, 3, 0, 1), thickness_um=50)
    top, bottom = host.properties(np.array([0.1])), host.properties(np.array([0.9]))
    assert host.thickness == pytest.approx(50e-6)
    assert top["sigma_eff"][0] == m.LAYER_LEVELS["conductivity"][1]
    assert bottom["sigma_eff"][0] == m.LAYER_LEVELS["conductivity"][3]
    assert bottom["i0"][0] / top["i0"][0] == pytest.approx(
        m.LAYER_LEVELS["lithiophilicity"][3] / m.LAYER_LEVELS["lithiophilicity"][0])
    assert host.interfaces == (0.5,)


def test_insulating_top_layer_only_moves_the_top_down():
    # top 30 % at 1e-4 S/m -> deposition piles up just under it
    spec = [{"position": 1, "thickness_rel": 0.7, "lithiophilicity": 1, "conductivity": 2},
            {"position": 2, "thickness_rel": 0.3, "lithiophilicity": 1, "conductivity": 0}]
    profile = m.deposition_profile(m.Host.from_layers(spec, thickness_um=100), n=400, method="fv")
    assert profile.depth[np.argmax(profile.rate)] == pytest.approx(0.3, abs=0.01)
    assert np.mean(profile.rate * (profile.depth < 0.3)) < 0.05  # under 5 % of the Li in the insulating 30 %


def test_from_layers_explains_bad_specs():
    with pytest.raises(ValueError, match="conductivity level 7 of layer 1 is unknown; expected one of 0, 1, 2, 3"):
        m.Host.from_layers(layers(1, 7))
    two = layers(1, 2) + [dict(layers(1, 2)[0], study="other")]
    with pytest.raises(ValueError, match=r"several studies \(other, test\); pick one with study="):
        m.Host.from_layers(two)
    assert m.Host.from_layers(two, study="other").name == "other"
    without = [dict(row, thickness_um=None) for row in layers(1, 2)]
    with pytest.raises(ValueError, match="pass thickness_um"):
        m.Host.from_layers(without)
    with pytest.raises(ValueError, match="positions repeat"):
        m.Host.from_layers([layers(1, 2)[0], layers(1, 2)[0]])
    with pytest.raises(ValueError, match="lacks thickness_rel"):
        m.Host.from_layers([{"position": 1, "lithiophilicity": 1, "conductivity": 1}], thickness_um=10)


# ------------------------------------------------------------------------------ energy density
REFERENCE_CELL = {"cathode_capacity": 4.0, "np_ratio": 2.5, "ec_ratio": 3.0}


def test_reference_cell_energy_density():
    # Liu et al. 2019-style budget: NCM811 200 mAh/g 3.8 V, w 0.96, Al 12, Cu 8, separator 1 mg/cm²
    assert m.cell_energy_density(**REFERENCE_CELL) == pytest.approx(365, rel=0.02)
    assert m.cell_energy_density(**REFERENCE_CELL, packaging_fraction=0.05) == pytest.approx(347, rel=0.02)
    assert m.cell_energy_density(**REFERENCE_CELL, packaging_fraction=0.05, host_mass=1.0) == pytest.approx(339, rel=0.02)
    # LFP at 150 mAh/g and 3.4 V, the rest as above
    lfp_mass = 1000 * 4 / (150 * 0.96) + 1000 * 10 / 3860 + 12 + 1 + 1000 * (2.70 * 12e-4 + 8.96 * 8e-4) / 2
    assert m.cell_energy_density(**REFERENCE_CELL, cathode="LFP") == pytest.approx(1000 * 4 * 3.4 / lfp_mass, rel=1e-12)


def test_energy_density_by_hand():
    # masses per cm²: cathode 1000*4/(200*0.96), Li 1000*2.5*4/3860, electrolyte 12, separator 1, foils
    mass = 1000 * 4 / (200 * 0.96) + 1000 * 10 / 3860 + 12 + 1 + 1000 * (2.70 * 12e-4 + 8.96 * 8e-4) / 2
    assert m.cell_energy_density(**REFERENCE_CELL) == pytest.approx(1000 * 4 * 3.8 / mass, rel=1e-12)


def test_other_models_md_cells():
    aggressive = {"specific_capacity": 210, "al_um": 10, "cu_um": 6}
    assert m.cell_energy_density(6, 1.5, 2, **aggressive) == pytest.approx(470, rel=0.02)
    assert m.cell_energy_density(6, 1.0, 1.5, **aggressive, packaging_fraction=0.05) == pytest.approx(484, rel=0.02)
    coin_np = 450 / m.li_thickness_um(1.5)
    assert m.cell_energy_density(1.5, coin_np, 30) == pytest.approx(68, rel=0.03)


def test_energy_density_falls_with_electrolyte_and_excess_li():
    ec = m.cell_energy_density(4.0, 2.5, np.linspace(1, 40, 30))
    n_p = m.cell_energy_density(4.0, np.linspace(0, 10, 30), 3.0)
    assert np.all(np.diff(ec) < 0) and np.all(np.diff(n_p) < 0)


def test_volumetric_energy_density_by_hand():
    # charged state: N/P = 2.5 of pre-stored Li plus the 4 mAh/cm² plated from the lithiated cathode
    cathode_um = 1000 * 4 / (200 * 0.96) / 1000 / 3.4 * 1e4  # mg/cm² -> g/cm² -> cm -> µm
    li_um = (2.5 + 1) * 4 * 3.6 / 96485.33212 * 6.941 / 0.534 * 1e4  # mol/cm² x g/mol / (g/cm³)
    assert li_um == pytest.approx(m.li_thickness_um(14.0), rel=1e-12)
    stack_cm = (cathode_um + li_um + (12 + 8) / 2 + 16) * 1e-4
    assert m.cell_energy_density_volumetric(4.0, 2.5) == pytest.approx(4 * 3.8 / stack_cm, rel=1e-9)
    thick_host = m.cell_energy_density_volumetric(4.0, 2.5, host_thickness_um=100)
    assert thick_host == pytest.approx(4 * 3.8 / (stack_cm + (100 - li_um) * 1e-4), rel=1e-9)


def test_volumetric_anode_is_sized_at_full_charge():
    # the discharged anode (10 mAh/cm², 48.5 µm) is too thin: the stack must fit 14 mAh/cm² of Li
    discharged_um, charged_um = m.li_thickness_um(10.0), m.li_thickness_um(14.0)
    assert charged_um - discharged_um == pytest.approx(4 * 3.6 / 96485.33212 * 6.941 / 0.534 * 1e4, rel=1e-12)
    bare = m.cell_energy_density_volumetric(4.0, 2.5)
    # a host exactly as thick as the charged Li changes nothing; one as thick as the discharged Li neither
    assert m.cell_energy_density_volumetric(4.0, 2.5, host_thickness_um=charged_um) == pytest.approx(bare, rel=1e-12)
    assert m.cell_energy_density_volumetric(4.0, 2.5, host_thickness_um=discharged_um) == pytest.approx(bare, rel=1e-12)
    assert m.cell_energy_density_volumetric(4.0, 2.5, host_thickness_um=discharged_um + 5) == pytest.approx(bare, rel=1e-12)
    # a Li-free cathode (S) brings no Li: its anode is thickest before the first discharge, N/P Q_c
    s = m.CATHODES["S"]
    s_cathode_um = 1000 * 4 / (s.specific_capacity * s.active_fraction) / 1000 / s.coating_density * 1e4
    s_stack_cm = (s_cathode_um + m.li_thickness_um(10.0) + 10 + 16) * 1e-4
    assert m.cell_energy_density_volumetric(4.0, 2.5, cathode="S") == pytest.approx(4 * s.voltage / s_stack_cm, rel=1e-9)


def test_energy_density_explains_bad_inputs():
    with pytest.raises(ValueError, match="unknown cathode 'NMC811'; known cathodes: NCM811, NCM622, NCM111, LCO, LFP"):
        m.cell_energy_density(4, 2.5, 3, cathode="NMC811")
    with pytest.raises(ValueError, match="np_ratio must be >= 0"):
        m.cell_energy_density(4, -1, 3)
    with pytest.raises(ValueError, match="cathode_capacity must be > 0 mAh/cm²"):
        m.cell_energy_density(0, 2, 3)
    with pytest.raises(ValueError, match=r"packaging_fraction must lie in \[0, 1\)"):
        m.cell_energy_density(4, 2, 3, packaging_fraction=1.0)


def test_cathode_capacities_reproduce_the_reviews_np_ratios(real_review):
    # the review prints N/P and the Li and loading it came from: the one capacity table must give them back
    full = real_review.measurements
    full = full[(full["cell_type"] == "full") & full["np_ratio"].notna() & (full["cathode_loading_unit"] == "mg/cm2")
                & (full["anode_li_unit"] == "mAh/cm2")]
    checked = {}
    for _, row in full.iterrows():
        capacity = row["cathode_loading"] * m.CATHODES[row["cathode"]].specific_capacity / 1000
        checked[(row["study"], row["cathode"])] = (round(row["anode_li"] / capacity, 1), row["np_ratio"])
    assert checked[("SiC/CC", "LFP")] == (4.4, 4.4)
    assert checked[("LNO-CGH", "NCM811")] == (2.3, 2.3)


def test_li_thickness_of_the_threshold_inventory():
    # 10 mAh/cm² of dense Li: 10 x 3.6 C / F x 6.941 g/mol / 0.534 g/cm³ = 48.5 µm (not 52)
    assert m.li_thickness_um(10.0) == pytest.approx(48.5, abs=0.05)


def test_cathode_defaults_state_their_assumptions():
    assert set(m.CATHODES) >= {"NCM811", "NCM622", "NCM111", "LCO", "LFP", "LTO", "S"}
    assert (m.CATHODES["NCM111"].specific_capacity, m.CATHODES["NCM111"].voltage) == (150.0, 3.7)
    assert (m.CATHODES["LTO"].specific_capacity, m.CATHODES["LTO"].voltage) == (165.0, 1.55)
    assert "assumed" in m.CATHODES["LTO"].note and not m.CATHODES["LTO"].lithiated


# ---------------------------------------------------------------------------------- cycle life
@pytest.mark.parametrize("ce, expected", [(0.99, 100), (0.995, 200), (0.999, 1000)])
def test_excess_convention_closed_form(ce, expected):
    assert m.cycle_life(ce, 2.0, convention="excess") == pytest.approx(expected, rel=1e-9)


def test_lithiated_convention_closed_form():
    # n = (N/P)/(1 - CE): 500 cycles at N/P 2 need CE 99.6 % with a lithiated cathode
    assert m.cycle_life(0.996, 2.0) == pytest.approx(500, rel=1e-9)
    assert m.cycle_life(0.996, 2.0, convention="lithiated") == m.cycle_life(0.996, 3.0, convention="excess")


def test_cycle_life_limits():
    assert m.cycle_life(0.99, 0.0) == 0.0  # anode-free: nothing spare
    assert m.cycle_life(0.99, 0.8, convention="excess") == 0.0
    assert math.isinf(m.cycle_life(1.0, 2.0))
    assert np.allclose(m.cycle_life(np.array([0.98, 0.99]), 2.0), [100, 200])


def test_cycle_life_explains_bad_inputs():
    with pytest.raises(ValueError, match=r"average_ce must lie in \[0, 1\].*pass a fraction \(0.99\), not a percentage"):
        m.cycle_life(99.0, 2.0)
    with pytest.raises(ValueError, match=r"average_ce must lie in \[0, 1\] \(got -0.1\)"):
        m.cycle_life(-0.1, 2.0)
    with pytest.raises(ValueError, match="np_ratio must be >= 0"):
        m.cycle_life(0.99, -2.0)
    with pytest.raises(ValueError, match="unknown convention 'full'; expected one of lithiated, excess"):
        m.cycle_life(0.99, 2.0, convention="full")


# ------------------------------------------------------------------------------------- helpers
def test_li_thickness_per_capacity():
    assert m.li_thickness_um(1.0) == pytest.approx(4.85, rel=0.005)
    assert m.li_thickness_um(10.3) == pytest.approx(50, rel=0.01)
    assert m.li_thickness_um(92.8) == pytest.approx(450, rel=0.01)


@pytest.mark.parametrize("hours, j, q, cycles", [(500, 0.4, 0.4, 250), (1000, 2, 2, 500), (320, 5, 5, 160),
                                                 (1600, 5, 5, 800), (780, 1, 1, 390)])
def test_cycles_from_hours_matches_review(hours, j, q, cycles):
    assert m.cycles_from_hours(hours, j, q) == pytest.approx(cycles)


def test_areal_capacity_from_loading():
    assert m.areal_capacity_from_loading(11, 200) == pytest.approx(2.2)
    with pytest.raises(ValueError, match="loading_mg_cm2 must be > 0 mg/cm²"):
        m.areal_capacity_from_loading(-1, 200)


# ------------------------------------------------------------------------- applied to the data
def test_reported_ce_cycle_life(real_review):
    table = reported_ce_cycle_life(real_review.tidy(), np_ratio=2.0, convention="excess")
    m = real_review.measurements
    assert len(table) == ((m["quantity"] == "average_ce") & m["value"].notna()).sum()  # a CE without a number has no cycles
    assert np.allclose(table["predicted_cycles"], 1.0 / (1 - table["average_ce_percent"] / 100))
    with pytest.raises(ValueError, match="lacks column"):
        reported_ce_cycle_life(pd.DataFrame({"study": []}))


def test_layer_deposition_ranks_designs_by_physics():
    spec = pd.DataFrame(layers(3, 3) + [dict(row, study="plain") for row in layers(1, 2)])
    table = layer_deposition(spec, thickness_um=100, specific_area=1e6).set_index("study")
    assert list(table["layers"]) == [2, 2]
    assert table.loc["plain", "bottom_fraction"] == pytest.approx(
        m.deposition_profile(m.Host.uniform(specific_area=1e6)).bottom_fraction, abs=1e-6)  # levels 1/2 = reference
    assert table.loc["test", "bottom_fraction"] > table.loc["plain", "bottom_fraction"] + 0.1
    assert table.loc["plain", "peak_depth"] == 0.0


def test_layer_deposition_of_the_review(real_review):
    if real_review.layers.empty:
        pytest.skip("data/layers.csv holds no layers yet")
    table = layer_deposition(real_review.layers, studies=real_review.studies)
    assert set(table["study"]) == set(real_review.layers["study"])
    assert table["bottom_fraction"].between(0, 1).all() and table["peak_depth"].between(0, 1).all()
    assert set(table["model_mode"]) <= set(m.MODES)
    claimed = real_review.studies.set_index("study")["deposition_mode"]
    for _, row in table.iterrows():
        assert row["claimed_mode"] == claimed[row["study"]]
        assert row["agrees"] == (m.deposition_mode(row["bottom_fraction"]) == claimed[row["study"]])


def test_layer_deposition_compares_with_claimed_modes():
    spec = pd.DataFrame(layers(3, 3, 0, 1) + [dict(row, study="plain") for row in layers(1, 2)]
                        + [dict(row, study="unclaimed") for row in layers(1, 2)])
    studies = pd.DataFrame({"study": ["test", "plain", "unclaimed"], "deposition_mode": ["bottom-up", "bottom-up", None]})
    table = layer_deposition(spec, studies=studies).set_index("study")
    assert table.loc["test", "model_mode"] == "bottom-up" and table.loc["test", "agrees"] is True
    assert table.loc["plain", "model_mode"] == "top-growth" and table.loc["plain", "agrees"] is False
    assert table.loc["unclaimed", "agrees"] is None


# ---------------------------------------------------------------------------------------- plots
def test_plot_helpers_draw_on_the_given_axes(real_review):
    import matplotlib.pyplot as plt

    from reviewfigs.analysis import cell_energies, full_cells
    from reviewfigs.plots import models as plots

    tidy = real_review.tidy()
    th = real_review.thresholds.set_index("quantity")["value"]  # the review's thresholds, as the figures pass them
    profiles = {name: m.deposition_profile(host) for name, host in m.four_hosts().items()}
    calls = [
        lambda ax: plots.plot_sand_time(ax, plating_capacity=th["cathode_areal_capacity"]),
        lambda ax: plots.plot_deposition_profiles(profiles, ax),
        lambda ax: plots.plot_bottom_fraction([30, 90], {"uniform": np.array([0.4, 0.3])}, ax),
        lambda ax: plots.plot_energy_map(cell_energies(full_cells(tidy), ec_ratio=th["electrolyte_amount"]), ax, ec_ratio=th["electrolyte_amount"], li_limit=th["anode_li"], capacity_floor=th["cathode_areal_capacity"]),
        lambda ax: plots.plot_cycle_life(ax, reported_ce_percent=[98.0, 99.0]),
    ]
    for call in calls:
        _, ax = plt.subplots()
        assert call(ax) is ax
        assert ax.figure.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
        assert ax.get_xlabel() and ax.get_ylabel()
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    own = plots.plot_sand_time(plating_capacity=th["cathode_areal_capacity"])  # with no axes given, it makes its own figure and draws on it
    assert set(plt.get_fignums()) - before == {own.figure.number}
    assert own.get_lines() and own.get_xlabel() and own.get_ylabel()
