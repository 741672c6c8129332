"""Where Li plates inside a porous host: the linear one-dimensional porous-electrode model.

Ions enter at the separator side (z = 0), electrons at the current collector (z = 1). Plating at
depth z needs both, so its rate is set by how easily each carrier gets there (sigma_eff, kappa_eff)
and by how easily Li plates there (a i0). Linearised Butler-Volmer kinetics, j = -i0 f eta:

    d i2/dx  = a i0 f eta
    d eta/dx = -(I - i2)/sigma_eff + i2/kappa_eff,     i2(0) = I,  i2(L) = 0

(Newman and Tobias 1962). Two independent solvers: collocation (solve_bvp) and a finite-volume
discretisation of both potentials. Left out: salt depletion in the pores (so nothing above the
limiting current), nucleation (a lithiophilic site only raises i0, and keeps it after Li covers it),
the SEI, the filling of pores by Li, and deposit morphology.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from scipy.integrate import solve_bvp, trapezoid
from scipy.optimize import brentq
from scipy.sparse.linalg import spsolve

from ._hosts import Host
from ._units import F_OVER_RT, MA_CM2_TO_A_M2
from ._validate import as_positive

#: a host, or a function of the thickness in µm that builds one
HostOrFactory = Host | Callable[[float], Host]
#: what a solver returns: depths, normalised rate, bottom-half share, overpotential (V)
Solution = tuple[np.ndarray, np.ndarray, float, np.ndarray]

METHODS = ("bvp", "fv")
#: A bottom-half share within this distance of 1/2 counts as even filling in :func:`deposition_mode`.
EVEN_BAND = 0.05
#: The names :func:`deposition_mode` gives, in the vocabulary of ``studies.deposition_mode``.
MODES = ("bottom-up", "uniform", "top-growth")


class DepositionProfile(NamedTuple):
    """Plating rate against depth. ``rate`` = r L / I integrates to 1 over ``depth`` (0 top, 1 collector).

    ``bottom_fraction``: share of the current plated in the bottom half (z > 0.5), exact from i2(L/2)/I.
    ``nu``: ratio of ohmic to charge-transfer resistance (see :func:`resistance_ratio`).
    ``overpotential``: eta in V at each depth; |eta| well below RT/F (25.7 mV) keeps the linear kinetics valid.
    """

    depth: np.ndarray
    rate: np.ndarray
    bottom_fraction: float
    nu: float
    overpotential: np.ndarray

    @property
    def peak_depth(self) -> float:
        """Depth (0 top, 1 collector) of the highest plating rate."""
        return float(self.depth[np.argmax(self.rate)])


def deposition_mode(bottom_fraction: float, band: float = EVEN_BAND) -> str:
    """The deposition mode a bottom-half share stands for: "bottom-up" above 1/2 + ``band``,
    "top-growth" below 1/2 - ``band``, else "uniform" (even through the depth)."""
    share, band = float(bottom_fraction), float(band)
    if not 0.0 <= share <= 1.0 or not 0.0 <= band < 0.5:
        raise ValueError(f"bottom_fraction must lie in [0, 1] and band in [0, 0.5) (got {share:g}, {band:g})")
    return "bottom-up" if share > 0.5 + band else "top-growth" if share < 0.5 - band else "uniform"


def resistance_ratio(host: Host, samples: int = 1001) -> float:
    """nu = L sqrt(a i0 f (1/kappa + 1/sigma)), with depth averages for graded hosts.

    Resistances add in series, so 1/kappa and 1/sigma are averaged; charge-transfer conductances act in
    parallel, so a i0 is averaged. For a uniform host this is the exact nu of the analytic solution.
    """
    z = np.linspace(0.0, 1.0, samples)
    p = host.properties(z)
    conductance = trapezoid(p["specific_area"] * p["i0"], z)
    resistance = trapezoid(1.0 / p["kappa_eff"] + 1.0 / p["sigma_eff"], z)
    return float(host.thickness * np.sqrt(conductance * F_OVER_RT * resistance))


def deposition_profile(host: Host, current_density: float = 1.0, n: int = 200, *, method: str = "bvp") -> DepositionProfile:
    """Solve the plating distribution in ``host`` at ``current_density`` in mA/cm² on ``n`` depths.

    ``method`` "bvp" (scipy.integrate.solve_bvp; ``n`` equally spaced depths including both faces) or
    "fv" (finite volumes; ``n`` cell centres). In this linear model the normalised rate does not depend
    on the current; the overpotential scales with it.
    """
    if not isinstance(host, Host):
        raise ValueError(f"host must be a Host (got {type(host).__name__}); build one with Host.uniform, graded or from_layers")
    current = float(as_positive(current_density, "current_density", "mA/cm²")) * MA_CM2_TO_A_M2
    if not isinstance(n, (int, np.integer)) or n < 4:
        raise ValueError(f"n must be an integer >= 4 (got {n!r})")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    solver = _solve_bvp if method == "bvp" else _solve_fv
    depth, rate, bottom_fraction, eta = solver(host, current, int(n))
    return DepositionProfile(depth, rate, bottom_fraction, resistance_ratio(host), eta)


def _solve_bvp(host: Host, current: float, n: int) -> Solution:
    """Collocation in dimensionless form: e = f eta and i = i2/I against z = x/L.

    A layered host is solved as one smooth region per layer, stacked into one system and joined by
    continuity of e and i: collocation cannot refine its way across a jump in the coefficients.
    """
    L = host.thickness
    edges = np.array([0.0, *host.interfaces, 1.0])
    lower, width = edges[:-1, None], np.diff(edges)[:, None]
    regions = len(edges) - 1

    def depth_of(s: np.ndarray) -> np.ndarray:  # (regions, points) depths, nudged inside each region so layer values stay on their side
        return np.asarray(lower + width * np.clip(s, 1e-12, 1.0 - 1e-12))

    def rhs(s: np.ndarray, y: np.ndarray) -> np.ndarray:
        e, i = y[:regions], y[regions:]
        p = {k: v.reshape(e.shape) for k, v in host.properties(depth_of(s).ravel()).items()}
        de = F_OVER_RT * current * L * (-(1.0 - i) / p["sigma_eff"] + i / p["kappa_eff"])
        di = L * p["specific_area"] * p["i0"] * e / current
        return np.vstack([de * width, di * width])

    def boundary(y_start: np.ndarray, y_end: np.ndarray) -> np.ndarray:  # i = 1 entering the top, i = 0 at the collector, continuity between layers
        e_start, i_start, e_end, i_end = y_start[:regions], y_start[regions:], y_end[:regions], y_end[regions:]
        return np.concatenate([[i_start[0] - 1.0, i_end[-1]], e_start[1:] - e_end[:-1], i_start[1:] - i_end[:-1]])

    s = np.linspace(0.0, 1.0, 101)
    guess = np.vstack([np.full((regions, s.size), -1.0), 1.0 - depth_of(s)])
    solution = solve_bvp(rhs, boundary, s, guess, tol=1e-8, max_nodes=200_000)
    if not solution.success:
        raise RuntimeError(f"solve_bvp failed for host {host.name!r}: {solution.message}; try method='fv'")

    def at(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # e and i at depths z, each read from the region holding it
        region = np.clip(np.searchsorted(edges, z, side="right") - 1, 0, regions - 1)
        y = solution.sol((z - edges[region]) / np.diff(edges)[region])
        return y[region, np.arange(z.size)], y[regions + region, np.arange(z.size)]

    depth = np.linspace(0.0, 1.0, n)
    e, _ = at(depth)
    p = host.properties(depth)
    rate = -L * p["specific_area"] * p["i0"] * e / current
    return depth, rate, float(at(np.array([0.5]))[1][0]), e / F_OVER_RT


def _harmonic(values: np.ndarray) -> np.ndarray:
    """Face conductivities between neighbouring cells: resistances in series."""
    return np.asarray(2.0 * values[:-1] * values[1:] / (values[:-1] + values[1:]))


def _conduction(face_conductance: np.ndarray) -> sparse.dia_matrix:
    """Net current leaving each cell towards its neighbours, per unit of cell potential (a 1D Laplacian)."""
    diagonal = np.zeros(face_conductance.size + 1)
    diagonal[:-1] += face_conductance
    diagonal[1:] += face_conductance
    return sparse.diags([diagonal, -face_conductance, -face_conductance], [0, -1, 1])


def _solve_fv(host: Host, current: float, n: int) -> Solution:
    """Cell-centred finite volumes for phi1 (scaffold) and phi2 (electrolyte), one sparse solve.

    Each row balances the current leaving a cell. I enters the electrolyte at z = 0 and leaves the
    scaffold at z = 1; potentials are fixed up to a constant, so the top cell's electrolyte balance
    (implied by all the others) is replaced by phi2 = 0.
    """
    L, h = host.thickness, 1.0 / n
    depth = (np.arange(n) + 0.5) * h
    p = host.properties(depth)
    scaffold = _conduction(_harmonic(p["sigma_eff"]) / (h * L))  # face conductances in S/m²
    electrolyte = _conduction(_harmonic(p["kappa_eff"]) / (h * L))
    exchange = sparse.diags(p["specific_area"] * p["i0"] * F_OVER_RT * h * L)  # plating conductance per cell
    matrix = sparse.bmat([[scaffold + exchange, -exchange], [-exchange, electrolyte + exchange]]).tolil()
    rhs = np.zeros(2 * n)
    rhs[n - 1] = -current  # the scaffold's bottom cell delivers I to the collector
    matrix[n, :] = 0.0
    matrix[n, n] = 1.0
    phi = spsolve(matrix.tocsr(), rhs)
    phi1, phi2 = phi[:n], phi[n:]
    transfer = exchange.diagonal() * (phi2 - phi1)  # A/m² plated in each cell
    bottom = float(transfer[depth > 0.5].sum() / current) if n % 2 == 0 else _interpolated_bottom(transfer, current, n)
    return depth, transfer / (h * current), bottom, phi1 - phi2


def _interpolated_bottom(transfer: np.ndarray, current: float, n: int) -> float:
    """Bottom-half share when z = 0.5 falls mid-cell: half of that cell counts."""
    middle = n // 2
    return float((transfer[middle + 1:].sum() + 0.5 * transfer[middle]) / current)


def _host_at(host: HostOrFactory, thickness_um: float) -> Host:
    if isinstance(host, Host):
        return host.with_thickness(thickness_um)
    if callable(host):
        built = host(float(thickness_um))
        if not isinstance(built, Host):
            raise ValueError(f"the host factory must return a Host (got {type(built).__name__})")
        return built
    raise ValueError(f"host must be a Host or a function of thickness in µm returning one (got {type(host).__name__})")


def bottom_fraction_vs_thickness(host: HostOrFactory, thicknesses_um: ArrayLike, current_density: float = 1.0, *,
                                 method: str = "bvp") -> np.ndarray:
    """Bottom-half fraction at each thickness in ``thicknesses_um`` (µm).

    ``host`` is a :class:`Host`, stretched to each thickness (every layer keeps its share of the
    depth), or a function of the thickness in µm returning a Host, for designs where some layer keeps
    its own thickness (a 1 µm Ag coat under a carbon layer of any thickness).
    """
    thicknesses = as_positive(thicknesses_um, "thicknesses_um", "µm")
    return np.array([deposition_profile(_host_at(host, t), current_density, method=method).bottom_fraction
                     for t in np.atleast_1d(thicknesses)])


def thickness_at_bottom_fraction(host: HostOrFactory, fraction: float = 0.5, bracket_um: tuple[float, float] = (1.0, 1000.0),
                                 *, method: str = "bvp") -> float:
    """The thickness in µm at which the bottom-half fraction of ``host`` (a Host or a factory, as in
    :func:`bottom_fraction_vs_thickness`) equals ``fraction``, searched within ``bracket_um``.

    NaN when the fraction stays on one side of ``fraction`` at both ends of the bracket.
    """
    low, high = (float(v) for v in as_positive(bracket_um, "bracket_um", "µm"))

    def gap(t: float) -> float:
        return deposition_profile(_host_at(host, t), method=method).bottom_fraction - fraction

    if np.sign(gap(low)) == np.sign(gap(high)):
        return float("nan")
    return float(brentq(gap, low, high, xtol=1e-3))
