"""Adding a paper: validate its BibTeX entry, then append the entry and a starter study row.

Nothing is written unless every check passes. The starter row guesses nothing: what the paper may
not give is "not stated", which ``reviewfigs check`` accepts; the author replaces what the paper says.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
from pathlib import Path

from .data import store, untrusted
from .data.bib import parse_bibliography, read_bibliography
from .data.load import read_vocabulary
from .data.schema import GRADIENT_OF_SECTION, NOT_STATED, PAPER_PREFIX, SECTIONS, TABLES
from .errors import DataError, Issue
from .vocab import OUR_LABEL, PLACEHOLDER

#: the keys data/studies.csv accepts (schema: Study.bibkey); a pasted entry must use one
BIBKEY_PATTERN = r"[a-z][a-z0-9]*"
#: the starter study row: every fact the paper may not give is "not stated"; the author overwrites
#: what the paper does say. ``check`` accepts the row as it is, so an abstract-only paper needs no guess.
STUDY_TEMPLATE = {
    "host_material": NOT_STATED,
    "lithiophilic_components": NOT_STATED,
    "conductive_components": NOT_STATED,
    "fabrication": NOT_STATED,
    "deposition_mode": NOT_STATED,
}


def _next_measurement_id(root: Path) -> int:
    ids = [row["id"] for row in store.read_rows(root, "measurements")]
    return max((int(i[1:]) for i in ids if i[1:].isdigit()), default=0) + 1


def starter_measurements(root: Path, study: str) -> str:
    """CSV lines for the author to complete, header first: an average CE, a full cell's cycles (what
    Table 1 lists) and its capacity retention. Nothing is guessed: cell type and format are "not
    stated", the sample, value, cathode and the place in the paper are empty (``reviewfigs check``
    refuses an empty value or source until they are filled in). Delete the rows the paper does not have."""
    columns = TABLES["measurements"].columns
    first = _next_measurement_id(root)
    common = {"study": study, "sample": "", "role": "host", "cell_format": NOT_STATED, "bound": "=",
              "source": PAPER_PREFIX.strip()}
    examples = [
        {**common, "cell_type": NOT_STATED, "quantity": "average_ce", "value": "", "unit": "%"},
        {**common, "cell_type": "full", "quantity": "cycles", "value": "", "unit": "cycles"},
        {**common, "cell_type": "full", "quantity": "capacity_retention", "value": "", "unit": "%"},
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for i, row in enumerate(examples):
        writer.writerow({"id": f"m{first + i:03d}", **row})
    return out.getvalue()


def key_for_number(root: Path, number: int) -> str:
    """The BibTeX key of the review's reference [number] (its ``reviewnumber``)."""
    bib, _ = read_bibliography(Path(root) / "references.bib", "references.bib")
    return bib.key_for(number)


def _study_row(root: Path, key: str, bib_text: str | None, study: str, section: str | None,
               today: dt.date | None, gradient: str | None) -> dict[str, str]:
    """The starter row for studies.csv, after checking the arguments; DataError naming each problem.

    Without ``bib_text`` the key must already be in references.bib (a paper the review cites but
    does not tabulate); with it, the key must be new. A study of a family the review does not have
    (``gradient`` a row of data/families.csv, e.g. 'pore-size') has no section.
    """
    vocabulary, issues = read_vocabulary(root)
    new_families = [f for f in vocabulary.families if f not in GRADIENT_OF_SECTION.values()]
    if gradient is not None and gradient in new_families:
        if section is not None:
            issues.append(Issue("--section", None, "section", f"'{gradient}' has no section in the review; leave out --section"))
    elif gradient is not None and gradient not in GRADIENT_OF_SECTION.values():
        issues.append(Issue("--gradient", None, "gradient", f"'{gradient}' is not a family; expected one of "
                            + ", ".join(vocabulary.families) + " (a new family is one row of data/families.csv)"))
    elif section not in SECTIONS:
        issues.append(Issue("--section", None, "section", f"'{section}' is not a section; expected one of {', '.join(SECTIONS)}"))
    elif gradient is not None and GRADIENT_OF_SECTION[section] != gradient:
        issues.append(Issue("--gradient", None, "gradient", f"'{gradient}' does not match section {section} ({GRADIENT_OF_SECTION[section]})"))
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
    study = study.strip() if isinstance(study, str) else study
    issues.extend(untrusted.cell_issues("--name", None, "study", study, numeric=False))
    issues.extend(untrusted.name_issues("--name", None, "study", study))
    if not study or study.startswith(PLACEHOLDER):
        issues.append(Issue("--name", None, "study", f"'{study}' is not a name; give the host's short name as the paper uses it"))
    if not re.fullmatch(BIBKEY_PATTERN, key):
        issues.append(Issue("KEY", None, "bibkey", f"'{key}' is not a key data/studies.csv accepts; expected lower-case "
                            "letters then letters or digits, e.g. smith2025gradient"))
    rows = store.read_rows(root, "studies")
    names = [row["study"] for row in rows]
    if study in names:
        issues.append(Issue("data/studies.csv", names.index(study) + 2, "study", f"'{study}' already exists"))
    for number, row in enumerate(rows, start=2):
        if row["bibkey"] == key:
            issues.append(Issue("data/studies.csv", number, "bibkey", f"'{key}' is already the paper of study '{row['study']}'; add measurements to it instead"))
    if issues:
        raise DataError(issues)
    family = gradient if gradient in new_families else GRADIENT_OF_SECTION[str(section)]
    row = {"study": study, "section": section or "", "gradient": family, **STUDY_TEMPLATE,
           "bibkey": key, "electrolyte": "", "added": (today or dt.date.today()).isoformat()}
    return row


def add_study(root: Path, key: str, bib_text: str | None, study: str, section: str | None,
              today: dt.date | None = None, gradient: str | None = None, our_label: bool = False) -> list[Path]:
    """Append the BibTeX entry (if given) and a starter row to studies.csv: one transaction.
    ``our_label``: the paper names no study, so ``study`` is this book's label (``named_by``).

    Under a lock on data/ (two runs cannot both add one key): validate the arguments, then what
    ``check`` would say of the book with the new rows (only problems the book did not have before
    count), and write nothing if anything is wrong. The entry is written before the row, each file
    atomically, so an interrupted run leaves at most a valid, unused entry; rerunning the same
    command finds that identical entry and completes the study.
    """
    root = Path(root)
    if bib_text is not None:  # the entry says why it is in the book (an author's own note stays)
        bib_text = with_note(bib_text, NOT_IN_REVIEW.format(date=(today or dt.date.today()).isoformat()))
    with store.locked(root):
        entry = _reusable_entry(root, key, bib_text)
        row = _study_row(root, key, None if entry else bib_text, study, section, today, gradient)
        if our_label:
            row["named_by"] = OUR_LABEL
        new_issues = _issues_added(root, row, None if entry else bib_text)
        if new_issues:
            raise DataError(new_issues)
        written = []
        if bib_text is not None and not entry:
            written.append(store.append_reference(root, bib_text))
        written.append(store.append_row(root, "studies", row))
        return written


def _reusable_entry(root: Path, key: str, bib_text: str | None) -> bool:
    """True when references.bib already ends with exactly this pasted entry and no study uses it:
    what an interrupted run leaves. The rerun then adds only the study row."""
    if bib_text is None:
        return False
    existing, _ = read_bibliography(Path(root) / "references.bib", "references.bib")
    if key not in existing or any(row["bibkey"] == key for row in store.read_rows(root, "studies")):
        return False
    return store.references_verbatim(root, [key]).strip() == bib_text.strip()


def _issues_added(root: Path, row: dict[str, str], bib_text: str | None) -> list[Issue]:
    """What ``check`` says of the book with the new row (and entry) that it does not say without them."""
    from .data.checks import cross_check
    from .data.load import read_all

    def issues_of(folder: Path) -> set[Issue]:
        tables, bib, found = read_all(folder)
        return set(found) | set(cross_check(tables, bib))

    before = issues_of(root)
    with tempfile.TemporaryDirectory(prefix="new-study-") as tmp:
        copy = Path(tmp)
        shutil.copytree(Path(root) / "data", copy / "data")
        shutil.copy2(Path(root) / "references.bib", copy / "references.bib")
        if bib_text is not None:
            store.append_reference(copy, bib_text)
        store.append_row(copy, "studies", row)
        after = issues_of(copy)
    return sorted(after - before)


#: the note an added paper's entry carries, so that its bibliography entry says why it is there
NOT_IN_REVIEW = "Not cited in the review; added to this book on {date}"


def with_note(entry: str, note: str) -> str:
    """The entry with ``note = {note}`` after its key, unless it already has a note (the author's own stays)."""
    if re.search(r"[,{\s]note\s*=", entry, flags=re.IGNORECASE):
        return entry
    return re.sub(r"^(\s*@\w+\s*\{\s*[^,\s]+\s*,)", lambda m: m.group(1) + f"\n  note = {{{note}}},", entry, count=1)
