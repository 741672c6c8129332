"""Cross-checks beyond one row: keys that must exist, numbers that must agree.

The schema validates each row on its own; these checks look across rows, files and the
bibliography. Each returns :class:`~reviewfigs.errors.Issue` objects naming file, line and field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import Issue
from ..models import cycles_from_hours
from . import untrusted
from .bib import Bibliography
from .schema import PAPER_PREFIX, THRESHOLD_QUANTITIES

if TYPE_CHECKING:
    from .load import RawTable

#: the tables that passed the schema, by name (what :func:`reviewfigs.data.load.read_all` returns)
Tables = Mapping[str, "RawTable"]

#: symmetric-cell hours and cycles must agree within this relative tolerance
HOURS_CYCLES_TOLERANCE = 0.05


def _rows(tables: Tables, name: str) -> tuple[list[tuple[int, Any]], str]:
    table = tables[name]
    return list(zip(table.lines, table.records)), table.path


def check_keys(tables: Tables, bib: Bibliography) -> list[Issue]:
    """Every study cites a known bib key; every row points at a known study or discrepancy."""
    issues: list[Issue] = []
    studies, studies_file = _rows(tables, "studies")
    names = {r.study for _, r in studies}
    for line, study in studies:
        if study.bibkey not in bib:
            issues.append(Issue(studies_file, line, "bibkey", f"'{study.bibkey}' is not a key in references.bib"))
    discrepancies, disc_file = _rows(tables, "discrepancies")
    disc_ids = {r.id for _, r in discrepancies}
    for line, disc in discrepancies:
        if disc.study not in names:
            issues.append(Issue(disc_file, line, "study", f"unknown study '{disc.study}'; expected a name from studies.csv"))
    measurements, meas_file = _rows(tables, "measurements")
    used: set[str] = set()
    for line, m in measurements:
        if m.study not in names:
            issues.append(Issue(meas_file, line, "study", f"measurement for unknown study '{m.study}'; expected a name from studies.csv"))
        if m.discrepancy:
            used.add(m.discrepancy)
            if m.discrepancy not in disc_ids:
                issues.append(Issue(meas_file, line, "discrepancy", f"'{m.discrepancy}' is not an id in discrepancies.csv"))
    for line, disc in discrepancies:
        if disc.id not in used:
            issues.append(Issue(disc_file, line, "id", f"discrepancy '{disc.id}' is not referenced by any measurement"))
    thresholds, thr_file = _rows(tables, "thresholds")
    for line, thr in thresholds:
        for key in thr.bibkeys.split(";"):
            if key not in bib:
                issues.append(Issue(thr_file, line, "bibkeys", f"'{key}' is not a key in references.bib"))
    layers, layer_file = _rows(tables, "layers")
    positions: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for line, layer in layers:
        if layer.study not in names:
            issues.append(Issue(layer_file, line, "study", f"layer for unknown study '{layer.study}'"))
        positions[layer.study].append((layer.position, line))
    for study, found in positions.items():
        numbers = sorted(p for p, _ in found)
        if numbers != list(range(1, len(numbers) + 1)):
            issues.append(Issue(layer_file, min(l for _, l in found), "position", f"layers of '{study}' must be numbered 1..{len(numbers)} from the collector; got {numbers}"))
    return issues


def check_sources(tables: Tables) -> list[Issue]:
    """A row of a study the review discusses names a place in the review; a row of a study added
    later names a place in its own paper ('paper: Abstract', 'paper: Fig. 3b'): never the other way."""
    issues: list[Issue] = []
    studies, _ = _rows(tables, "studies")
    added = {r.study: r.added is not None for _, r in studies}
    measurements, meas_file = _rows(tables, "measurements")
    for line, m in measurements:
        if m.study not in added:
            continue
        in_paper = m.source.startswith(PAPER_PREFIX)
        if added[m.study] and not in_paper:
            issues.append(Issue(meas_file, line, "source", f"'{m.source}' is a place in the review, but '{m.study}' was added "
                                "after it; name the place in the study's own paper, e.g. 'paper: Abstract' or 'paper: Fig. 3b'"))
        elif not added[m.study] and in_paper:
            issues.append(Issue(meas_file, line, "source", f"'{m.study}' is a study of the review: name the place in the review "
                                "(Sect. 2.1 para 4, Table 1, Fig. 4e)"))
    return issues


def check_hours_vs_cycles(tables: Tables) -> list[Issue]:
    """Where a symmetric or Li||host cell reports both hours and cycles under one condition, they must agree."""
    issues: list[Issue] = []
    measurements, meas_file = _rows(tables, "measurements")
    groups: dict[tuple[Any, ...], dict[str, tuple[int, Any]]] = defaultdict(dict)
    for line, m in measurements:
        if m.cell_type not in ("symmetric", "half") or m.quantity not in ("lifespan", "cycles"):
            continue
        if m.current_density is None or m.areal_capacity is None:
            continue
        key = (m.study, m.sample, m.cell_format, m.current_density, m.areal_capacity, m.source, m.temperature)
        groups[key][m.quantity] = (line, m)
    for group in groups.values():
        if set(group) != {"lifespan", "cycles"}:
            continue
        _, hours = group["lifespan"]
        line, cycles = group["cycles"]
        expected = cycles_from_hours(hours.value, hours.current_density, hours.areal_capacity)
        if abs(cycles.value - expected) > HOURS_CYCLES_TOLERANCE * expected:
            issues.append(Issue(meas_file, line, "value",
                                f"{cycles.value:g} cycles contradicts {hours.value:g} h at {hours.current_density:g} mA/cm2 "
                                f"and {hours.areal_capacity:g} mAh/cm2 (expected {expected:.0f} cycles = h x J / 2Q); "
                                "fix the value or flag a discrepancy"))
    return issues


def check_text_vs_table(tables: Tables) -> list[Issue]:
    """The same quantity under the same conditions must agree between text and Table 1, unless flagged."""
    issues: list[Issue] = []
    measurements, meas_file = _rows(tables, "measurements")
    groups: dict[tuple[Any, ...], list[tuple[int, Any]]] = defaultdict(list)
    for line, m in measurements:
        if m.role != "host":
            continue
        key = (m.study, m.quantity, m.cell_type, m.cathode, m.c_rate, m.current_density, m.areal_capacity, m.temperature, m.at_cycle)
        groups[key].append((line, m))
    for rows in groups.values():
        table = [(l, m) for l, m in rows if m.source == "Table 1"]
        text = [(l, m) for l, m in rows if m.source != "Table 1"]
        for line, t in table:
            for _, other in text:
                if other.value != t.value and not (t.discrepancy and t.discrepancy == other.discrepancy):
                    issues.append(Issue(meas_file, line, "value",
                                        f"Table 1 gives {t.value:g} {t.unit} but {other.source} gives {other.value:g} {other.unit} "
                                        f"for {t.study} {t.quantity} under the same conditions; keep both and give them one discrepancy id"))
    return issues


def check_shown(tables: Tables) -> list[Issue]:
    """What the pages would show wrongly: dates in the future, names sharing an anchor, a missing threshold."""
    issues: list[Issue] = []
    studies, studies_file = _rows(tables, "studies")
    for line, study in studies:
        issues.extend(untrusted.date_issues(studies_file, line, "added", study.added))
    issues.extend(untrusted.anchor_issues(studies_file, [(line, s.study) for line, s in studies]))
    thresholds, thr_file = _rows(tables, "thresholds")
    present = {t.quantity for _, t in thresholds}
    for quantity in THRESHOLD_QUANTITIES:
        if thresholds and quantity not in present:  # an empty or unreadable file is reported once, by its reader
            issues.append(Issue(thr_file, None, "quantity", f"no row for '{quantity}'; the book compares every cell "
                                f"with the thresholds {', '.join(THRESHOLD_QUANTITIES)}"))
    return issues


def cross_check(tables: Tables, bib: Bibliography) -> list[Issue]:
    """All checks that need more than one row. Skipped for tables that failed to load at all."""
    return [
        *check_keys(tables, bib),
        *check_sources(tables),
        *check_shown(tables),
        *check_hours_vs_cycles(tables),
        *check_text_vs_table(tables),
    ]
