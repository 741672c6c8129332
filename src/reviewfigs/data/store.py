"""Reading and appending the raw files of data/ and references.bib: for authoring and downloads.

With :mod:`.load` (validated reading), the only code that opens the book's input files. Writes are
atomic (:func:`reviewfigs.files.write_atomic`): a failed append leaves the file as it was.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import bibtexparser

from ..files import write_atomic
from .schema import TABLES

BIB_NAME = "references.bib"


def table_path(root: Path, table: str) -> Path:
    return Path(root) / "data" / f"{table}.csv"


def read_rows(root: Path, table: str) -> list[dict[str, str]]:
    """The rows of ``data/<table>.csv`` as text, unvalidated (authoring checks before it appends)."""
    with table_path(root, table).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def append_row(root: Path, table: str, row: dict[str, str]) -> Path:
    """Append one row to ``data/<table>.csv`` in the schema's column order, atomically."""
    path = table_path(root, table)
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=TABLES[table].columns, lineterminator="\n").writerow(row)
    write_atomic(path, path.read_text(encoding="utf-8").rstrip("\n") + "\n" + out.getvalue())
    return path


def references_text(root: Path) -> str:
    """references.bib as written (for the full-bibliography download)."""
    return (Path(root) / BIB_NAME).read_text(encoding="utf-8")


def append_reference(root: Path, entry_text: str) -> Path:
    """Append one BibTeX entry to references.bib, atomically."""
    path = Path(root) / BIB_NAME
    write_atomic(path, references_text(root).rstrip("\n") + "\n\n" + entry_text.strip() + "\n")
    return path


def references_verbatim(root: Path, keys: Iterable[str]) -> str:
    """The entries for ``keys`` exactly as references.bib writes them, in the file's order."""
    wanted = set(keys)
    library = bibtexparser.parse_string(references_text(root))
    return "\n".join((entry.raw or "").strip() + "\n" for entry in library.entries if entry.key in wanted)


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on data/ while authoring reads, checks and writes (one writer at a time)."""
    fd = os.open(Path(root) / "data", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
