"""Adding a paper: validate its BibTeX entry, then append the entry and a starter study row.

Nothing is written unless every check passes. The starter row carries ``TODO`` markers that
``reviewfigs check`` refuses, so a half-described study cannot reach the book.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from .data import store
from .data.bib import parse_bibliography, read_bibliography
from .errors import DataError, Issue
from .data.schema import GRADIENT_OF_SECTION, SECTIONS, TABLES

TODO = "TODO"
STUDY_TEMPLATE = {
    "host_material": f"{TODO}: the 3D host (scaffold)",
    "lithiophilic_components": f"{TODO}: what is lithiophilic, and where",
    "conductive_components": f"{TODO}: what conducts electrons, and where",
    "fabrication": f"{TODO}: how the host is made",
    "deposition_mode": "bottom-up",
}


def _next_measurement_id(root: Path) -> int:
    ids = [row["id"] for row in store.read_rows(root, "measurements")]
    return max((int(i[1:]) for i in ids if i[1:].isdigit()), default=0) + 1


def starter_measurements(root: Path, study: str) -> str:
    """CSV lines for the author to complete, header first: a half-cell CE, and a full cell's cycles
    (what Table 1 lists) and capacity retention. Cathode and values are left empty, so
    ``reviewfigs check`` refuses the rows until they are filled in; the TODO notes must go too."""
    columns = TABLES["measurements"].columns
    first = _next_measurement_id(root)
    full = {"study": study, "sample": f"{study}@Li", "role": "host", "cell_type": "full", "cell_format": "coin",
            "bound": "=", "c_rate": "", "cathode": "", "cathode_loading": "", "cathode_loading_unit": "mg/cm2",
            "source": "Fig. 1", "notes": f"{TODO}: cathode, loading, Li (anode_li), N/P, C-rate; the paper's figure in source"}
    examples = [
        {"study": study, "sample": study, "role": "host", "cell_type": "half", "cell_format": "unspecified",
         "quantity": "average_ce", "value": "", "bound": "=", "unit": "%", "at_cycle": "",
         "current_density": "", "areal_capacity": "", "source": "Fig. 1", "notes": f"{TODO}: the paper's figure in source"},
        {**full, "quantity": "cycles", "value": "", "unit": "cycles"},
        {**full, "quantity": "capacity_retention", "value": "", "unit": "%", "at_cycle": ""},
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for i, row in enumerate(examples):
        writer.writerow({"id": f"m{first + i:03d}", **row})
    return out.getvalue()


def add_study(root: Path, key: str, bib_text: str | None, study: str, section: str, today: dt.date | None = None) -> list[Path]:
    """Append the BibTeX entry (if given) and a starter row to studies.csv; refuse, writing nothing, on any problem.

    Without ``bib_text`` the key must already be in references.bib (a paper the review cites but
    does not tabulate); with it, the key must be new.
    """
    issues: list[Issue] = []
    if section not in SECTIONS:
        issues.append(Issue("--section", None, "section", f"'{section}' is not a section; expected one of {', '.join(SECTIONS)}"))
    bib_path = root / "references.bib"
    existing, _ = read_bibliography(bib_path, "references.bib")
    if bib_text is not None:
        new_bib, found = parse_bibliography(bib_text, "pasted BibTeX")
        issues.extend(found)
        if not found and list(new_bib.references) != [key]:
            issues.append(Issue("pasted BibTeX", None, "key", f"expected exactly one entry with key '{key}', got {list(new_bib.references) or 'none'}"))
        if key in existing:
            issues.append(Issue("references.bib", existing[key].line, "key",
                                f"'{key}' already exists; leave out --bib to reuse that entry, or pick a new key"))
    elif key not in existing:
        issues.append(Issue("references.bib", None, "key", f"'{key}' is not in references.bib; give the paper's entry with --bib"))
    rows = store.read_rows(root, "studies")
    names = [row["study"] for row in rows]
    if study in names:
        issues.append(Issue("data/studies.csv", names.index(study) + 2, "study", f"'{study}' already exists"))
    for number, row in enumerate(rows, start=2):
        if row["bibkey"] == key:
            issues.append(Issue("data/studies.csv", number, "bibkey", f"'{key}' is already the paper of study '{row['study']}'; add measurements to it instead"))
    if issues:
        raise DataError(issues)
    row = {"study": study, "section": section, "gradient": GRADIENT_OF_SECTION[section], **STUDY_TEMPLATE,
           "bibkey": key, "electrolyte": "", "added": (today or dt.date.today()).isoformat()}
    written = [store.append_row(root, "studies", row)]
    if bib_text is not None:
        written.append(store.append_reference(root, bib_text))
    return written
