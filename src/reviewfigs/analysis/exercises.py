"""The numbers of every chapter exercise's solution, computed once from the data and the models.

:data:`ANSWERS` maps an exercise label (``ex-...``) to a function of the review that returns its key
numbers by name; where a chapter's solution prints a number in its prose, the name is the glue name
it uses, so a test can compare the page with this module (``tests/test_answers.py``). Exercises that
ask for an explanation get the model numbers that decide it (for instance the bottom-half share of a
host with and without one of its layers), so every answer has a value to check.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from .. import models
from ..data.load import Review
from ..models import Host, deposition_profile
from .cells import full_cells, longest_full_cell_tests, np_consistency, np_misfits
from .practical import practical_gap

Answer = dict[str, object]


def _limits(review: Review) -> pd.Series:
    return review.thresholds.set_index("quantity")["value"]


def _layers(review: Review, study: str) -> pd.DataFrame:
    return review.layers[review.layers["study"] == study].sort_values("position")


def _share(spec: pd.DataFrame | list[dict[str, object]], thickness_um: float = 100.0,
           specific_area: float = 1e6) -> float:
    host = Host.from_layers(spec, thickness_um=thickness_um, specific_area=specific_area)
    return float(deposition_profile(host, n=400).bottom_fraction)


def _renumbered(spec: pd.DataFrame) -> pd.DataFrame:
    return spec.assign(position=range(1, len(spec) + 1))


# ------------------------------------------------------------------------------ introduction
def intro_li_thickness(review: Review) -> Answer:
    limit = _limits(review)["anode_li"]
    return {"li_um_per_unit": float(models.li_thickness_um(1.0)), "li_um_limit": float(models.li_thickness_um(limit))}


def intro_sand(review: Review) -> Answer:
    area = 20.0  # the exercise's twentyfold area
    return {"local_current_factor": 1 / area,
            "sand_gain": float(models.sand_time(1.0 / area) / models.sand_time(1.0))}


def intro_families(review: Review) -> Answer:
    tidy = review.tidy()
    full = tidy[(tidy["cell_type"] == "full") & (tidy["role"] == "host")]
    with_full = full.groupby("gradient")["study"].nunique()
    plated = intro_plated_cells(review)
    heaviest = plated.loc[plated["Li_um"].idxmax()]
    need = _limits(review)["cathode_areal_capacity"]
    without = review.studies.loc[~review.studies["study"].isin(full["study"]), "study"]
    return {"studies_per_family": review.studies.groupby("gradient")["study"].count().to_dict(),
            "with_full_per_family": with_full.to_dict(),
            "n_without_full": int(len(review.studies) - with_full.sum()),
            "studies_without_full": ", ".join(without),
            "plated_um_max": float(heaviest["Li_um"]), "plated_um_median": float(np.median(plated["Li_um"])),
            "heaviest_cell": str(heaviest["cell"]),
            "not_converted": ", ".join(_unconverted_cells(review)) or "none",
            "plated_um_threshold": float(models.li_thickness_um(need))}


def _by_mass(review: Review) -> pd.DataFrame:
    cells = full_cells(review.tidy())
    return cells[cells["cathode_loading_unit"] == "mg/cm2"]


def intro_plated_cells(review: Review) -> pd.DataFrame:
    """Every host full cell with a loading in mg/cm² whose cathode the book can convert, with the
    areal capacity and the Li it plates per charge; cells it cannot convert are named by
    :func:`_unconverted_cells`, never shown as NaN."""
    cells = _by_mass(review).dropna(subset=["cathode_capacity"])
    q = cells["cathode_capacity"].to_numpy(float)
    return cells.assign(mAh_cm2=np.round(q, 2), Li_um=np.round(models.li_thickness_um(q), 1))[
        ["cell", "cathode_loading", "mAh_cm2", "Li_um"]].reset_index(drop=True)


def _unconverted_cells(review: Review) -> list[str]:
    cells = _by_mass(review)
    return list(cells.loc[cells["cathode_capacity"].isna(), "cell"])


# --------------------------------------------------------------------------- lithiophilicity
def lith_hours_to_cycles(review: Review) -> Answer:
    tidy = review.tidy()
    life = tidy[(tidy["section"] == "2.1") & (tidy["quantity"] == "lifespan")].dropna(subset=["current_density", "areal_capacity"])
    cycles = models.cycles_from_hours(life["value"].to_numpy(float), life["current_density"].to_numpy(float),
                                      life["areal_capacity"].to_numpy(float))
    return {f"cycles_{i}": float(c) for i, c in zip(life["id"], np.atleast_1d(cycles))}


def lith_loading(review: Review) -> Answer:
    gap = practical_gap(review)
    chapter = set(review.studies.loc[review.studies["section"] == "2.1", "study"])
    mine = gap[gap["study"].isin(chapter) & (gap["cathode_loading_unit"] == "mg/cm2")]
    return {"n_cells": len(mine), "n_meet": int(mine["meets_cathode_areal_capacity"].eq(True).sum()),
            **{f"capacity {c}": float(q) for c, q in zip(mine["cell"], mine["cathode_capacity"])}}


def lith_thick_host(review: Review) -> Answer:
    """MOF-C on Cu@Ag: the same layers at the two thicknesses of the study (rows m011, m012)."""
    rows = review.tidy().set_index("id")
    spec = _layers(review, "MOF-C(t)/X").assign(thickness_um=np.nan)  # stretch the stack to each thickness
    thin, thick = float(rows.loc["m011", "value"]), float(rows.loc["m012", "value"])
    return {"thin_um": thin, "thick_um": thick,
            "bottom_thin": _share(spec, thin), "bottom_thick": _share(spec, thick)}


def lith_li3n(review: Review) -> Answer:
    """CC/Li/Li3N as recorded (Li3N-rich top) against the same host with the top made like the bottom."""
    spec = _layers(review, "CC/Li/Li3N")
    flat = spec.assign(lithiophilicity=spec["lithiophilicity"].iloc[0], conductivity=spec["conductivity"].iloc[0])
    return {"bottom_recorded": _share(spec), "bottom_without_li3n_top": _share(flat)}


# ------------------------------------------------------------------------------ conductivity
def cond_hours(review: Review) -> Answer:
    tidy = review.tidy()
    sym = tidy[(tidy["section"] == "2.2") & (tidy["cell_type"] == "symmetric") & tidy["quantity"].isin(["lifespan", "cycles"])]
    sym = sym.dropna(subset=["current_density", "areal_capacity"])
    half_cycle = sym["areal_capacity"] / sym["current_density"]
    sand = models.sand_time(sym["current_density"].to_numpy(float)) / 3600
    past = sym[half_cycle.to_numpy(float) > sand]
    hours = np.where(sym["quantity"] == "cycles",
                     models.hours_from_cycles(sym["value"].to_numpy(float), sym["current_density"].to_numpy(float),
                                              sym["areal_capacity"].to_numpy(float)), sym["value"])
    return {"n_past_sand": int(len(past)), "n_sym_tests": int(len(sym)),
            "j_past_sand_min": float(past["current_density"].min()),
            "j_lim_cond": float(models.limiting_current_density(25, tortuosity_factor=6.25)),
            "longest_hours": float(hours.max())}


def cond_np(review: Review) -> Answer:
    table = np_consistency(review.tidy())
    table = table[table["cathode_loading_unit"] == "mg/cm2"]
    out: Answer = {f"implied {c}": float(q) for c, q in zip(table["cell"], table["implied_specific_capacity"])}
    # plausible = within 5 % of the book's nominal capacity, the same test Models §3 applies (np_consistency)
    out["fit_cells"] = ", ".join(table.loc[table["agrees"], "cell"]) or "none"
    out["misfit_cells"] = ", ".join(np_misfits(review.tidy()).index) or "none"
    return out


def cond_selfcorrect(review: Review) -> Answer:
    """PAN/CNF's periodic stack against the same thickness of its conductive layer alone."""
    spec = _layers(review, "PAN/CNF")
    conductive = spec[spec["conductivity"] == spec["conductivity"].max()].iloc[[0]].assign(position=1)
    return {"bottom_periodic": _share(spec), "bottom_uniform_cnf": _share(conductive)}


def cond_fade(review: Review) -> Answer:
    """CG empty, and with Li (conductivity level 3) plated through its middle and top layers."""
    spec = _layers(review, "CG")
    filled = spec.assign(conductivity=3)
    return {"bottom_empty": _share(spec), "bottom_li_connected": _share(filled)}


# ------------------------------------------------------------------------------------- dual
def dual_ce_rank(review: Review) -> Answer:
    tidy = review.tidy()
    # a CE reported without a number (an added paper may) ranks nowhere
    ce = tidy[(tidy["quantity"] == "average_ce") & (tidy["role"] == "host")].dropna(subset=["value"])
    limits = _limits(review)
    np_practical = limits["anode_li"] / limits["cathode_areal_capacity"]
    best, worst = ce.loc[ce["value"].idxmax()], ce.loc[ce["value"].idxmin()]
    medians = ce.groupby("gradient")["value"].median()
    return {"rank_np": float(np_practical), "rank_best_ce": float(best["value"]), "rank_worst_ce": float(worst["value"]),
            "rank_best_n": float(models.cycle_life(best["value_fraction"], np_practical)),
            "rank_worst_n": float(models.cycle_life(worst["value_fraction"], np_practical)),
            "rank_top_family": str(medians.idxmax()), "medians": medians.to_dict()}


def dual_np(review: Review) -> Answer:
    rows = review.tidy().set_index("id")
    np_ratio, half_ce, reported = rows.loc["m093", "np_ratio"], rows.loc["m089", "value_fraction"], rows.loc["m093", "at_cycle"]
    return {"np_n": float(models.cycle_life(half_ce, np_ratio)),
            "np_n_excess": float(models.cycle_life(half_ce, np_ratio, convention="excess")),
            "np_ce_needed": float(100 * (1 - np_ratio / reported))}  # cycle_life = reported, solved for CE


def dual_lgh(review: Review) -> Answer:
    """LGH-AS as recorded, without its SiO2 interlayer, and without its PVDF-HFP lid."""
    spec = _layers(review, "LGH-AS")
    no_sio2 = _renumbered(spec[~spec["particles"].fillna("").str.contains("SiO2")])
    no_lid = _renumbered(spec.iloc[:-1])
    return {"bottom_recorded": _share(spec), "bottom_without_sio2": _share(no_sio2), "bottom_without_lid": _share(no_lid)}


# ------------------------------------------------------------------------------------ models
def models_sand(review: Review) -> Answer:
    concentrated = {"concentration": 3000.0, "diffusivity": 1e-10, "anion_transference": 0.5}
    base = models.ELECTROLYTE
    return {"sand_gain": float(models.sand_time(1.0, **concentrated) / models.sand_time(1.0)),
            "f_c": (concentrated["concentration"] / base["concentration"]) ** 2,
            "f_t": (base["anion_transference"] / concentrated["anion_transference"]) ** 2,
            "f_d": concentrated["diffusivity"] / base["diffusivity"]}


def models_profile(review: Review) -> Answer:
    shares = {s: float(deposition_profile(Host.uniform(sigma_eff=s, specific_area=1e6)).bottom_fraction) for s in (1.0, 0.5)}
    return {"sweep_sigma_above": 1.0, "sweep_sigma_below": 0.5, "sweep_share_1": shares[1.0], "sweep_share_05": shares[0.5]}


def models_layers(review: Review) -> Answer:
    spec = [{"position": p, "thickness_rel": 1, "lithiophilicity": 1, "conductivity": c}
            for p, c in zip((1, 2, 3, 4), (2, 1, 1, 0))]
    graded = deposition_profile(Host.from_layers(spec, thickness_um=100, specific_area=1e6))
    uniform = deposition_profile(Host.from_layers([dict(layer, conductivity=2) for layer in spec], thickness_um=100,
                                                  specific_area=1e6))
    return {"lno_peak": float(graded.peak_depth), "lno_share": float(graded.bottom_fraction),
            "lno_uniform_share": float(uniform.bottom_fraction),
            "level1_sigma": float(models.LAYER_LEVELS["conductivity"][1])}


def models_energy(review: Review) -> Answer:
    base = float(models.cell_energy_density(4.0, 2.5, 3.0))
    with_host = float(models.cell_energy_density(4.0, 2.5, 3.0, host_mass=4.0))
    packaging = 0.05
    return {"ex_ec_300": float(brentq(lambda ec: models.cell_energy_density(4.0, 2.5, ec) - 300, 0.1, 20)),
            "ex_margin": base - 300, "ex_host_cost": base - with_host, "ex_host_cost_pct": 100 * (1 - with_host / base),
            "ex_packaging_pct": 100 * packaging,
            "ex_packaging_cost": base - float(models.cell_energy_density(4.0, 2.5, 3.0, packaging_fraction=packaging)),
            "ex_anode_free_gain": float(models.cell_energy_density(4.0, 0.0, 3.0)) - base}


def models_ce(review: Review) -> Answer:
    return {"ce_ncm": 100 * (1 - 1.0 / 1000), "ce_s": 100 * (1 - (2.0 - 1) / 1000)}


# ----------------------------------------------------------------------------------- outlook
def out_gap(review: Review) -> Answer:
    gap = practical_gap(review)
    out: Answer = {}
    for quantity in ("cathode_areal_capacity", "anode_li", "electrolyte_amount"):
        verdict = gap[f"meets_{quantity}"]
        out |= {f"{quantity} meets": int((verdict == True).sum()), f"{quantity} misses": int((verdict == False).sum()),  # noqa: E712
                f"{quantity} not reported": int(verdict.isna().sum())}
    limits = _limits(review)
    np_max = limits["anode_li"] / limits["cathode_areal_capacity"]
    longest = float(longest_full_cell_tests(review.tidy())["cycles"].max())
    tidy = review.tidy()
    return out | {"gap_np_max": float(np_max), "gap_longest": longest,
                  "gap_ce_needed": float(100 * (1 - np_max / longest)),  # cycle_life = longest, solved for CE
                  "gap_best_half": float(tidy.loc[(tidy["quantity"] == "average_ce") & (tidy["role"] == "host"), "value"].max())}


def out_thin_host(review: Review) -> Answer:
    limits = _limits(review)
    porosity = 0.7
    charged = limits["anode_li"] + limits["cathode_areal_capacity"]  # a lithiated cathode's Li joins at full charge
    rows = review.tidy().set_index("id")
    return {"host_um_needed": float(models.host_thickness_for(limits["anode_li"], porosity)),
            "host_um_charged": float(models.host_thickness_for(charged, porosity)),
            "charged_li": float(charged), "ghga_li_um": float(models.li_thickness_um(rows.loc["m093", "anode_li"]))}


def out_design(review: Review) -> Answer:
    """A lithiophilicity-graded host (i0 from 1 A/m² at the top to 100 at the bottom), alone and with pores
    that widen upwards (pore electrolyte conductivity three times higher at the top), the combination the
    review's second suggestion asks for."""
    kappa = models.KAPPA_EFF
    lith = Host.graded(i0=(1.0, 100.0), specific_area=1e6)
    both = Host.graded(i0=(1.0, 100.0), kappa_eff=(3 * kappa, kappa), specific_area=1e6)
    return {"bottom_lithiophilic": float(deposition_profile(lith).bottom_fraction),
            "bottom_lithiophilic_and_pores": float(deposition_profile(both).bottom_fraction)}


#: every exercise of the chapters -> the function computing its answer
ANSWERS: dict[str, Callable[[Review], Answer]] = {
    "ex-intro-li-thickness": intro_li_thickness, "ex-intro-sand": intro_sand, "ex-intro-families": intro_families,
    "ex-lith-hours-to-cycles": lith_hours_to_cycles, "ex-lith-loading": lith_loading,
    "ex-lith-thick-host": lith_thick_host, "ex-lith-li3n": lith_li3n,
    "ex-cond-hours": cond_hours, "ex-cond-np": cond_np, "ex-cond-selfcorrect": cond_selfcorrect, "ex-cond-fade": cond_fade,
    "ex-dual-ce-rank": dual_ce_rank, "ex-dual-np": dual_np, "ex-dual-lgh": dual_lgh,
    "ex-models-sand": models_sand, "ex-models-profile": models_profile, "ex-models-layers": models_layers,
    "ex-models-energy": models_energy, "ex-models-ce": models_ce,
    "ex-out-gap": out_gap, "ex-out-thin-host": out_thin_host, "ex-out-design": out_design,
}


def answer(label: str, review: Review) -> Answer:
    """The key numbers of one exercise's solution (a KeyError names the labels that exist)."""
    if label not in ANSWERS:
        raise KeyError(f"no answer for exercise {label!r}; known: {', '.join(ANSWERS)}")
    return ANSWERS[label](review)
