"""Porous hosts as profiles of depth: the inputs of the deposition model.

Depth z = x/L runs from 0 at the separator side (top) to 1 at the current collector (bottom).
Every property is a callable of z so that uniform, smoothly graded and layered hosts share one solver.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ._validate import as_positive

#: a property given as a number or as a (top, bottom) pair
PropertyValue = float | tuple[float, float]
#: a layer of a layer spec (a row of data/layers.csv)
Layer = dict[str, Any]

Profile = Callable[[np.ndarray], np.ndarray]



def valoen_reimers_conductivity(concentration_mol_l: float = 1.0, temperature_k: float = 298.15) -> float:
    """Bulk conductivity (S/m) of LiPF6 in PC/EC/DMC from the kappa(c, T) fit of Valoen and Reimers (2005),
    which gives mS/cm for c in mol/L and T in K."""
    c, t = concentration_mol_l, temperature_k
    root = (-10.5 + 0.0740 * t - 6.96e-5 * t**2 + 0.668 * c - 0.0178 * c * t + 2.80e-5 * c * t**2
            + 0.494 * c**2 - 8.86e-4 * c**2 * t)
    return c * root**2 / 10.0  # mS/cm -> S/m


#: Bulk conductivity (S/m) of 1 M LiPF6 at 25 °C (Valoen and Reimers 2005: 1.19 S/m) and the host porosity.
KAPPA_BULK, POROSITY = valoen_reimers_conductivity(), 0.8
#: Effective electrolyte conductivity in S/m in the pores (Bruggeman: kappa eps^1.5).
KAPPA_EFF = KAPPA_BULK * POROSITY**1.5
#: Reference host of the models chapter, section 2: 100 µm thick carbon, sigma_eff 1000 S/m, i0 10 A/m², a 1e5 1/m.
REFERENCE: dict[str, float] = {"thickness_um": 100.0, "sigma_eff": 1e3, "kappa_eff": KAPPA_EFF, "i0": 10.0, "specific_area": 1e5}

#: How the integer levels of a layer spec become model properties. One place to read and change.
#: conductivity level -> sigma_eff in S/m. What matters is the ratio to kappa_eff (about 0.8 S/m):
#:   0 insulating (polymer, oxide): 1e-4, far below kappa_eff yet finite so the equations stay well conditioned;
#:   1 poor / semiconducting / dielectric-coated: 1e-2, electrons scarce but present;
#:   2 conductive carbon (fibre paper through-plane, 1e2-1e4): 1e3;
#:   3 metal scaffold (Cu or Ni, 6e7 S/m bulk, times solid fraction^1.5): 1e6.
#: lithiophilicity level -> factor on the reference exchange current density i0 (10 A/m²), a proxy for
#:   a lower nucleation barrier: 0 lithiophobic 0.1, 1 weak 1, 2 moderate 3, 3 strong (Ag, Au, ZnO) 10.
LAYER_LEVELS: dict[str, dict[int, float]] = {
    "conductivity": {0: 1e-4, 1: 1e-2, 2: 1e3, 3: 1e6},
    "lithiophilicity": {0: 0.1, 1: 1.0, 2: 3.0, 3: 10.0},
}

#: The gradients of :func:`four_hosts`, (top, bottom): sigma_eff in S/m and i0 as a factor on the reference i0.
GRADED_SIGMA = (1e-2, 1e3)
GRADED_I0_FACTOR = (0.1, 10.0)

LAYER_COLUMNS = ("position", "thickness_rel", "lithiophilicity", "conductivity")


#: a graded model host is named after its gradient family: "<family>-graded" (plots colour it by family)
GRADED_SUFFIX = "-graded"


def _constant(value: float) -> Profile:
    return lambda z: np.full(np.shape(z), value, dtype=float)


def _log_linear(top: float, bottom: float) -> Profile:
    """Geometric interpolation from ``top`` at z = 0 to ``bottom`` at z = 1: properties spanning decades."""
    return lambda z: top * (bottom / top) ** np.asarray(z, dtype=float)


def _profile(value: PropertyValue, name: str, unit: str) -> Profile:
    """A number gives a constant profile; a (top, bottom) pair a log-linear one."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        top, bottom = (float(v) for v in as_positive(value, name, unit))
        return _log_linear(top, bottom)
    return _constant(float(as_positive(value, name, unit)))


def _piecewise(edges: np.ndarray, values: list[float]) -> Profile:
    """Constant ``values[k]`` between ``edges[k]`` and ``edges[k+1]`` (edges in z, top first)."""
    table = np.asarray(values, dtype=float)
    return lambda z: table[np.searchsorted(edges[1:-1], np.asarray(z, dtype=float), side="right")]


@dataclass(frozen=True)
class Host:
    """A porous host: thickness in m and four properties as callables of depth z (array in, array out).

    sigma_eff: scaffold electronic conductivity [S/m]; kappa_eff: pore electrolyte conductivity [S/m];
    i0: exchange current density of Li plating on the host [A/m²]; specific_area: a, the
    electrolyte-accessible interfacial area per volume [1/m]. interfaces: depths where properties
    jump (layer boundaries), so solvers can treat each layer as a smooth region.
    """

    thickness: float
    sigma_eff: Profile
    kappa_eff: Profile
    i0: Profile
    specific_area: Profile
    name: str = "host"
    interfaces: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not (isinstance(self.thickness, (int, float)) and math.isfinite(self.thickness) and self.thickness > 0):
            raise ValueError(f"thickness must be a positive length in m (got {self.thickness!r})")
        for field in ("sigma_eff", "kappa_eff", "i0", "specific_area"):
            if not callable(getattr(self, field)):
                raise ValueError(f"{field} must be a callable of depth z (use Host.uniform or Host.graded for numbers)")
        if list(self.interfaces) != sorted(set(self.interfaces)) or any(not 0 < z < 1 for z in self.interfaces):
            raise ValueError(f"interfaces must be increasing depths strictly between 0 and 1 (got {self.interfaces!r})")

    @property
    def thickness_um(self) -> float:
        return self.thickness * 1e6

    def properties(self, z: np.ndarray | float) -> dict[str, np.ndarray]:
        """The four properties at depths ``z``, checked to be positive and finite."""
        z = np.asarray(z, dtype=float)
        values = {}
        for field, unit in (("sigma_eff", "S/m"), ("kappa_eff", "S/m"), ("i0", "A/m²"), ("specific_area", "1/m")):
            value = np.broadcast_to(getattr(self, field)(z), z.shape).astype(float)
            values[field] = as_positive(value, f"{self.name}: {field}", unit)
        return values

    def with_thickness(self, thickness_um: float) -> Host:
        """The same host (properties as functions of z) stretched or squeezed to ``thickness_um``."""
        return replace(self, thickness=float(as_positive(thickness_um, "thickness_um", "µm")) * 1e-6)

    @classmethod
    def uniform(cls, *, thickness_um: float = REFERENCE["thickness_um"], sigma_eff: float = REFERENCE["sigma_eff"],
                kappa_eff: float = REFERENCE["kappa_eff"], i0: float = REFERENCE["i0"],
                specific_area: float = REFERENCE["specific_area"], name: str = "uniform") -> Host:
        """A host with depth-independent properties (numbers in the units of the class docstring)."""
        values = {"sigma_eff": sigma_eff, "kappa_eff": kappa_eff, "i0": i0, "specific_area": specific_area}
        for field, value in values.items():
            if np.ndim(value) != 0:
                raise ValueError(f"{field} of a uniform host must be one number (got {value!r}); use Host.graded for (top, bottom)")
        return cls.graded(thickness_um=thickness_um, name=name, **values)

    @classmethod
    def graded(cls, *, thickness_um: float = REFERENCE["thickness_um"],
               sigma_eff: PropertyValue = REFERENCE["sigma_eff"], kappa_eff: PropertyValue = REFERENCE["kappa_eff"],
               i0: PropertyValue = REFERENCE["i0"], specific_area: PropertyValue = REFERENCE["specific_area"],
               name: str = "graded") -> Host:
        """A host whose properties are numbers or (top, bottom) pairs, interpolated log-linearly in depth.

        Log-linear because conductivities and rate constants change by decades across real gradients.
        """
        thickness = float(as_positive(thickness_um, "thickness_um", "µm")) * 1e-6
        return cls(thickness=thickness, sigma_eff=_profile(sigma_eff, "sigma_eff", "S/m"),
                   kappa_eff=_profile(kappa_eff, "kappa_eff", "S/m"), i0=_profile(i0, "i0", "A/m²"),
                   specific_area=_profile(specific_area, "specific_area", "1/m"), name=name)

    @classmethod
    def from_layers(cls, layers: Any, thickness_um: float | None = None, *, study: str | None = None,
                    kappa_eff: PropertyValue = REFERENCE["kappa_eff"], i0_ref: float = REFERENCE["i0"],
                    specific_area: PropertyValue = REFERENCE["specific_area"],
                    levels: Mapping[str, Mapping[int, float]] = LAYER_LEVELS, name: str | None = None) -> Host:
        # ``layers``: a DataFrame or an iterable of mappings (pandas is not a dependency of the physics)
        """A layered host from a layer spec (list of dicts or DataFrame; position 1 = current collector).

        Each layer's ``conductivity`` level sets sigma_eff and its ``lithiophilicity`` level multiplies
        ``i0_ref``, through ``levels`` (default :data:`LAYER_LEVELS`). Layers split the thickness in
        proportion to ``thickness_rel``. The total thickness is ``thickness_um``, else the sum of the
        layers' ``thickness_um`` when every layer gives one.
        """
        rows = _layer_rows(layers, study)
        rows.sort(key=lambda row: -row["position"])  # top (separator side) first
        fractions = np.array([float(as_positive(r["thickness_rel"], "thickness_rel", "(relative)")) for r in rows])
        edges = np.concatenate([[0.0], np.cumsum(fractions) / fractions.sum()])
        edges[-1] = 1.0
        sigma = [_level(levels, "conductivity", r) for r in rows]
        factor = [_level(levels, "lithiophilicity", r) for r in rows]
        total = thickness_um if thickness_um is not None else _sum_of_layer_thicknesses(rows)
        study_of_rows = rows[0].get("study")
        label = name or (study_of_rows if isinstance(study_of_rows, str) else "layered")
        return cls(thickness=float(as_positive(total, "thickness_um", "µm")) * 1e-6,
                   sigma_eff=_piecewise(edges, sigma), kappa_eff=_profile(kappa_eff, "kappa_eff", "S/m"),
                   i0=_piecewise(edges, [float(i0_ref) * f for f in factor]),
                   specific_area=_profile(specific_area, "specific_area", "1/m"), name=label,
                   interfaces=tuple(float(z) for z in edges[1:-1]))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _layer_rows(layers: Any, study: str | None) -> list[Layer]:
    rows = layers.to_dict("records") if hasattr(layers, "to_dict") else [dict(r) for r in layers]
    if study is not None:
        rows = [r for r in rows if r.get("study") == study]
        if not rows:
            raise ValueError(f"no layers for study {study!r}")
    if not rows:
        raise ValueError("the layer spec is empty; expected at least one layer")
    studies = sorted({str(r["study"]) for r in rows if not _missing(r.get("study"))})
    if len(studies) > 1:
        raise ValueError(f"the layer spec holds several studies ({', '.join(studies)}); pick one with study=...")
    for r in rows:
        absent = [c for c in LAYER_COLUMNS if _missing(r.get(c))]
        if absent:
            raise ValueError(f"layer {r!r} lacks {', '.join(absent)}; every layer needs {', '.join(LAYER_COLUMNS)}")
    positions = [int(r["position"]) for r in rows]
    if len(set(positions)) != len(positions):
        raise ValueError(f"layer positions repeat ({sorted(positions)}); number them 1 (collector) upwards")
    return rows


def _level(levels: Mapping[str, Mapping[int, float]], kind: str, row: Layer) -> float:
    level = row[kind]
    if level not in levels[kind]:
        known = ", ".join(str(k) for k in sorted(levels[kind]))
        raise ValueError(f"{kind} level {level!r} of layer {row.get('position')} is unknown; expected one of {known}")
    return float(levels[kind][level])


def _sum_of_layer_thicknesses(rows: Iterable[Layer]) -> float:
    thicknesses = [r.get("thickness_um") for r in rows]
    if any(_missing(t) for t in thicknesses):
        raise ValueError("pass thickness_um: not every layer gives its thickness_um, so the total is unknown")
    return math.fsum(float(t) for t in thicknesses if t is not None)


def four_hosts(specific_area: float = REFERENCE["specific_area"], thickness_um: float = REFERENCE["thickness_um"]) -> dict[str, Host]:
    """The four hosts of the models chapter (section 2), keyed by name: uniform and three gradients.

    Conductivity gradient: sigma_eff from :data:`GRADED_SIGMA` (0.01 S/m at the top to 1000 S/m at the
    bottom); lithiophilicity gradient: i0 from the factors of :data:`GRADED_I0_FACTOR` (0.1x to 10x the
    reference, 1 to 100 A/m²); dual: both. Log-linear in depth (:meth:`Host.graded`).
    """
    sigma_graded = GRADED_SIGMA
    i0_graded = (GRADED_I0_FACTOR[0] * REFERENCE["i0"], GRADED_I0_FACTOR[1] * REFERENCE["i0"])
    common = {"thickness_um": thickness_um, "specific_area": specific_area}
    graded: dict[str, dict[str, PropertyValue]] = {"conductivity": {"sigma_eff": sigma_graded}, "lithiophilicity": {"i0": i0_graded},
              "dual": {"sigma_eff": sigma_graded, "i0": i0_graded}}
    hosts = {"uniform": Host.uniform(**common, name="uniform")}
    for family, properties in graded.items():
        name = family + GRADED_SUFFIX
        hosts[name] = Host.graded(thickness_um=thickness_um, specific_area=specific_area, **properties, name=name)
    return hosts
