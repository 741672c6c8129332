"""Read ``data/*.csv`` and ``references.bib`` through the schema (with :mod:`.store`, which reads and
appends raw rows for authoring, the only code that opens them).

:func:`load_review` returns a :class:`Review` whose tables have passed every rule in
:mod:`reviewfigs.data.schema` and every cross-check in :mod:`reviewfigs.data.checks`; otherwise it raises
:class:`~reviewfigs.errors.DataError` listing all problems at once.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from ..errors import DataError, Issue
from ..files import sha256_of
from ..vocab import CATHODES, PLACEHOLDER, SECTION_OF_FAMILY, Vocabulary, assign_colours, review_families
from . import reads, untrusted
from .bib import Bibliography, read_bibliography
from .schema import PATTERN_WORDS, TABLES, VOCABULARY, CathodeRow, FamilyRow, FieldProblem, QuantityRow, Record, TableSpec

ROOT_ENV = "REVIEWFIGS_ROOT"
_TRACKED = frozenset(reads.TABLES) - {"tidy"}


def find_root(start: Path | None = None) -> Path:
    """The book's root: ``$REVIEWFIGS_ROOT``, else the nearest folder upwards holding ``data/studies.csv``.

    Chapters execute inside ``chapters/``, tests in temporary copies: both find their data this way.
    """
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "studies.csv").is_file():
            return folder
    raise FileNotFoundError(f"no data/studies.csv in {here} or any parent; set {ROOT_ENV} to the book's root")


@dataclass(frozen=True)
class RawTable:
    """Rows of one CSV file that passed the schema, each with its file line number."""

    spec: TableSpec
    path: str
    records: list[Record]
    lines: list[int]
    printed: list[dict[str, str]] | None = None

    def frame(self) -> pd.DataFrame:
        rows = [r.model_dump() for r in self.records]
        df = pd.DataFrame(rows, columns=self.spec.columns)
        for name, info in self.spec.model.model_fields.items():
            kinds = {getattr(t, "__name__", "") for t in getattr(info.annotation, "__args__", (info.annotation,))}
            if "float" in kinds:
                df[name] = df[name].astype("float64")
            elif "int" in kinds:
                df[name] = df[name].astype("Int64")
        df.insert(0, "line", pd.Series(self.lines, dtype="int64"))
        for name in ("value", "value_max"):
            if name in df.columns and self.printed is not None:
                df[f"{name}_text"] = [p.get(name, "") for p in self.printed]
        return df


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_table(spec: TableSpec, root: Path, vocabulary: Vocabulary | None = None) -> tuple[RawTable, list[Issue]]:
    """Validate one CSV file row by row, collecting every problem with its line and field.

    Studies and measurements are checked against ``vocabulary`` (the folder's families and quantities)."""
    path = root / "data" / spec.filename
    shown = _display(path, root)
    issues: list[Issue] = []
    records: list[Record] = []
    lines: list[int] = []
    printed: list[dict[str, str]] = []
    if not path.is_file():
        if spec.required:
            issues.append(Issue(shown, None, None, "file is missing"))
        return RawTable(spec, shown, records, lines), issues
    text, problem = untrusted.read_utf8(path, shown)
    if problem:
        return RawTable(spec, shown, records, lines), [problem]
    reader = _Rows(csv.reader(io.StringIO(text, newline="")), shown)
    header = next(reader, None)
    if header is None:
        return RawTable(spec, shown, records, lines), [Issue(shown, 1, None, "file is empty; expected a header row")]
    header = [h.strip() for h in header]
    expected = spec.columns
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    for column in missing:
        issues.append(Issue(shown, 1, column, f"column is missing from the header; expected columns: {', '.join(expected)}"))
    for column in unknown:
        issues.append(Issue(shown, 1, column, f"unknown column; expected only: {', '.join(expected)}"))
    if len(set(header)) != len(header):
        issues.append(Issue(shown, 1, None, "header repeats a column name"))
    if issues:
        return RawTable(spec, shown, records, lines), issues
    seen: dict[tuple[Any, ...], int] = {}
    numeric = numeric_columns(spec)
    end = reader.line_num
    for cells in reader:
        line, end = end + 1, reader.line_num  # a row's first line (a quoted cell may span several)
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            issues.append(Issue(shown, line, None, f"row has {len(cells)} cells; expected {len(header)} (check commas and quotes)"))
            continue
        for column, cell in zip(header, cells):
            found = untrusted.cell_issues(shown, line, column, cell, column in numeric)
            if column == "study" and spec.name == "studies":
                found += untrusted.name_issues(shown, line, column, cell)
            issues.extend(found)
            if cell.strip().startswith(PLACEHOLDER):
                issues.append(Issue(shown, line, column, f"still a placeholder ({cell.strip()!r}); fill it in"))
        try:
            context = {VOCABULARY: vocabulary} if spec.uses_vocabulary else None
            record = spec.model.model_validate(dict(zip(header, cells)), context=context)
        except ValidationError as exc:
            issues.extend(_issues_from(exc, shown, line))
            continue
        key = tuple(getattr(record, k) for k in spec.key)
        if key in seen:
            issues.append(Issue(shown, line, spec.key[-1], f"duplicate {'/'.join(spec.key)} {key if len(key) > 1 else key[0]!r}; first used on line {seen[key]}"))
            continue
        seen[key] = line
        records.append(record)
        lines.append(line)
        printed.append({k: cells[header.index(k)].strip() for k in ("value", "value_max") if k in header})
    if reader.error:
        issues.append(reader.error)
    elif not records and not issues and spec.name in untrusted.MUST_HAVE_ROWS:
        issues.append(Issue(shown, 2, None, "no rows below the header; the book needs at least one"))
    return RawTable(spec, shown, records, lines, printed), issues


class _Rows:
    """csv.reader that turns a malformed row (an unbalanced quote swallowing the file, a huge cell) into an Issue."""

    def __init__(self, reader: Any, shown: str):
        self._reader, self._shown = reader, shown
        self.error: Issue | None = None

    @property
    def line_num(self) -> int:
        return int(self._reader.line_num)

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> list[str]:
        if self.error:
            raise StopIteration
        try:
            return list(next(self._reader))
        except csv.Error as exc:
            self.error = Issue(self._shown, self._reader.line_num, None, f"unreadable CSV row ({exc}); "
                               f"check quotes, and keep cells under {untrusted.MAX_CELL} characters")
            raise StopIteration from None


def numeric_columns(spec: TableSpec) -> set[str]:
    """Columns the schema reads as numbers: their cells must be plain decimals, as pages print them."""
    out = set()
    for name, info in spec.model.model_fields.items():
        kinds = {getattr(t, "__name__", "") for t in getattr(info.annotation, "__args__", (info.annotation,))}
        if kinds & {"float", "int"}:
            out.add(name)
    return out


def _issues_from(exc: ValidationError, file: str, line: int) -> list[Issue]:
    issues = []
    for err in exc.errors():
        original = (err.get("ctx") or {}).get("error")
        if isinstance(original, FieldProblem):
            issues.append(Issue(file, line, original.field, str(original)))
            continue
        field = str(err["loc"][0]) if err["loc"] else None
        if err["type"] == "missing" or (err.get("input") is None and err["loc"]):
            message = "missing: this column is required (the cell is empty)"
        elif err["type"] == "extra_forbidden":
            message = "unknown column"
        elif err["type"] == "string_pattern_mismatch" and field in PATTERN_WORDS:
            message = f"expected {PATTERN_WORDS[field]} (got {err.get('input')!r})"
        else:
            message = err["msg"].removeprefix("Value error, ") + f" (got {err.get('input')!r})"
        issues.append(Issue(file, line, field, message))
    return issues


@dataclass(frozen=True)
class Review:
    """Everything the book reads: validated tables as DataFrames, plus the bibliography."""

    root: Path
    studies: pd.DataFrame
    measurements: pd.DataFrame
    discrepancies: pd.DataFrame
    thresholds: pd.DataFrame
    layers: pd.DataFrame
    families: pd.DataFrame
    quantities: pd.DataFrame
    cathodes: pd.DataFrame
    bib: Bibliography
    vocabulary: Vocabulary

    def __getattribute__(self, name: str) -> Any:
        # a table used directly is a dependency of the page on all of it (see reads.py)
        if name in _TRACKED:
            reads.note_table(self, name)
        return object.__getattribute__(self, name)

    def study(self, name: str) -> pd.Series:
        match = self.studies[self.studies["study"] == name]
        if match.empty:
            raise KeyError(f"unknown study {name!r}; known: {', '.join(self.studies['study'])}")
        return match.iloc[0]

    def measurement(self, mid: str) -> pd.Series:
        match = self.measurements[self.measurements["id"] == mid]
        if match.empty:
            raise KeyError(f"unknown measurement id {mid!r}")
        return match.iloc[0]

    def tidy(self) -> pd.DataFrame:
        """Measurements joined with their study's section, gradient and bib key (a fresh copy each call: built
        once per review, since every page, figure and count starts from it)."""
        reads.note_table(self, "tidy")
        return self._tidy.copy()

    @functools.cached_property
    def _tidy(self) -> pd.DataFrame:
        from .tidy import tidy_measurements

        return tidy_measurements(self)


def vocabulary_of(tables: dict[str, RawTable]) -> tuple[Vocabulary, list[Issue]]:
    """The families and quantities read from their files, every family with a colour."""
    issues: list[Issue] = []
    families = tables["families"]
    family_rows = [r for r in families.records if isinstance(r, FamilyRow)]
    for line, row in zip(families.lines, family_rows):
        if row.family in SECTION_OF_FAMILY:
            issues.append(Issue(families.path, line, "family", f"'{row.family}' is the family of the review's Sect. "
                                f"{SECTION_OF_FAMILY[row.family]}, fixed by the review; list only families it lacks"))
    taken = {f.colour.upper(): f.name for f in review_families()}
    for line, row in zip(families.lines, family_rows):
        if row.colour and row.colour.upper() in taken:
            issues.append(Issue(families.path, line, "colour", f"{row.colour} is already the colour of "
                                f"'{taken[row.colour.upper()]}'; every family needs its own (leave it empty for the next free one)"))
        elif row.colour:
            taken[row.colour.upper()] = row.family
    try:
        coloured = assign_colours([(r.family, r.label, r.colour) for r in family_rows])
    except ValueError as exc:
        coloured = []
        issues.append(Issue(families.path, None, "colour", str(exc)))
    quantities = {r.quantity: r.record() for r in tables["quantities"].records if isinstance(r, QuantityRow)}
    cathodes = list(CATHODES)
    added = tables.get("cathodes")
    if added is not None:
        for line, cathode_row in zip(added.lines, added.records):
            if not isinstance(cathode_row, CathodeRow):
                continue
            if cathode_row.cathode in CATHODES:
                issues.append(Issue(added.path, line, "cathode", f"'{cathode_row.cathode}' is a cathode of the review already; "
                                    "list only cathodes it lacks"))
            else:
                cathodes.append(cathode_row.cathode)
    return Vocabulary({f.name: f for f in coloured}, quantities, tuple(cathodes)), issues


def read_vocabulary(root: Path) -> tuple[Vocabulary, list[Issue]]:
    """The families and quantities of the data folder at ``root`` (for code that needs no other table)."""
    tables, issues = {}, []
    for name in ("families", "quantities", "cathodes"):
        tables[name], found = read_table(TABLES[name], Path(root))
        issues.extend(found)
    vocabulary, found = vocabulary_of(tables)
    return vocabulary, issues + found


def read_all(root: Path) -> tuple[dict[str, RawTable], Bibliography, list[Issue]]:
    """Read every table and the bibliography, validating each on its own (no cross-checks).

    The families and quantities come first: the studies and measurements are checked against them."""
    issues: list[Issue] = []
    tables: dict[str, RawTable] = {}
    vocabulary = None
    for name, spec in TABLES.items():
        if spec.uses_vocabulary and vocabulary is None:
            vocabulary, found = vocabulary_of(tables)
            issues.extend(found)
        table, found = read_table(spec, root, vocabulary)
        tables[name] = table
        issues.extend(found)
    bib, found = read_bibliography(root / "references.bib", shown="references.bib")
    issues.extend(found)
    return tables, bib, issues


def load_review(root: Path | str | None = None) -> Review:
    """Load and validate everything; raise :class:`DataError` listing every problem if anything is wrong."""
    from .checks import cross_check

    root = Path(root).resolve() if root else find_root()
    tables, bib, issues = read_all(root)
    if issues:
        issues.extend(cross_check(tables, bib))
        raise DataError(issues)
    return review_of(root, tables, bib)


def review_of(root: Path, tables: dict[str, RawTable], bib: Bibliography) -> Review:
    """The :class:`Review` of tables whose rows each passed the schema: cross-checked, as DataFrames."""
    from .checks import cross_check

    issues = cross_check(tables, bib)
    vocabulary, found = vocabulary_of(tables)
    issues.extend(found)
    if issues:
        raise DataError(issues)
    frames = {name: table.frame() for name, table in tables.items()}
    return Review(root=Path(root), bib=bib, vocabulary=vocabulary, **frames)


@lru_cache(maxsize=4)
def _cached(root: str, stamp: tuple[tuple[str, str], ...]) -> Review:
    return load_review(root)


def review(root: Path | str | None = None) -> Review:
    """:func:`load_review`, cached per root until a data file changes (for chapters and the Sphinx extension)."""
    root = Path(root).resolve() if root else find_root()
    return _cached(str(root), tuple(content_hashes(root).items()))


def input_files(root: Path) -> list[Path]:
    """Every file the data layer reads: the one list that caches and Sphinx's freshness both use."""
    root = Path(root)
    return [root / "references.bib", *sorted((root / "data").glob("*.csv"))]


def content_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of each input file, keyed by its path relative to ``root`` (so a moved tree keeps its hashes)."""
    root = Path(root)
    return {f.relative_to(root).as_posix(): digest
            for f in input_files(root) if (digest := sha256_of(f)) is not None}
