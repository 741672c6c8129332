"""What a page read from the data: a ledger of named slices and the digest of each, so that Sphinx
re-executes a page only when a slice it used has changed (:mod:`reviewfigs.sphinxext.freshness`).

A *slice* is a key such as ``["table", "measurements"]`` or ``["study", "GSCP"]``: a name in :data:`SLICES`
and its arguments. Its *digest* is the SHA-256 of what that function returns for a review. The page's
kernel records ``key -> digest`` of the review it actually used; at the next build Sphinx recomputes each
digest from the current files and re-executes the page only if one differs.

Exact by construction, narrow by declaration:

* any direct use of a :class:`~reviewfigs.data.load.Review` table (``review.measurements``,
  ``review.tidy()``, ``review.bib``, ...) records that whole table;
* a view decorated with :func:`declares` records the slices it names instead, and its own table use is
  not recorded. ``tests/test_reads.py`` checks every declaration: a change outside the declared slices
  leaves the view's output unchanged.

The kernel writes its ledger to the file named by :data:`LEDGER_ENV` (set by Sphinx for each page) after
every new slice, so nothing depends on the kernel shutting down cleanly.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

if TYPE_CHECKING:
    from .load import Review

LEDGER_ENV = "REVIEWFIGS_READS"
#: tables a page can read directly from a review, each recorded whole (``tidy`` is the joined table)
TABLES = ("studies", "measurements", "discrepancies", "thresholds", "layers", "families", "quantities", "cathodes",
          "bib", "vocabulary", "tidy")
#: the digest recorded when one page used two different versions of the same slice (never matches again)
MIXED = "mixed"

Key = tuple[Any, ...]
F = TypeVar("F", bound=Callable[..., Any])


def _table(review: Review, name: str) -> object:
    if name == "tidy":
        return review.tidy()
    if name == "bib":
        return sorted(review.bib.references.items())
    return getattr(review, name)


def _rows(review: Review, ids: list[str]) -> object:
    tidy = review.tidy()
    return tidy[tidy["id"].isin(ids)]


def _of_studies(review: Review, names: Iterable[str]) -> object:
    """Everything the data say about these studies: their rows in every per-study table, joined as the book
    shows them, and their references."""
    names = sorted(set(names))
    tidy = review.tidy()
    studies = review.studies[review.studies["study"].isin(names)]
    return (studies, tidy[tidy["study"].isin(names)], review.layers[review.layers["study"].isin(names)],
            review.discrepancies[review.discrepancies["study"].isin(names)],
            [(key, review.bib.references.get(key)) for key in sorted(set(studies["bibkey"]))])


def _study(review: Review, name: str) -> object:
    return _of_studies(review, [name])


def _added(review: Review) -> object:
    """The studies added after the review (a date in ``added``), and all they hold."""
    return _of_studies(review, review.studies.loc[review.studies["added"].notna(), "study"])


def _discrepancies_of(review: Review, names: list[str]) -> object:
    """The discrepancy notes of these studies, and where each row they mark comes from."""
    notes = review.discrepancies[review.discrepancies["study"].isin(names)]
    marked = review.measurements[review.measurements["discrepancy"].isin(notes["id"])]
    return notes, marked[["id", "source", "discrepancy"]]


def _bib_entry(review: Review, key: str) -> object:
    return review.bib.references.get(key)


#: slice name -> function of a review; a ledger key is ``(name, *arguments)``
SLICES: dict[str, Callable[..., object]] = {
    "table": _table, "rows": _rows, "study": _study, "added": _added, "bib_entry": _bib_entry,
    "discrepancies_of": _discrepancies_of,
}

_ledger: dict[str, str] = {}
_digests: dict[tuple[int, str], tuple[Review, str]] = {}
_quiet = 0
_write = True


def _encode(obj: object) -> bytes:
    if isinstance(obj, pd.DataFrame):
        return str(obj.to_csv(index=False, lineterminator="\n")).encode("utf-8")
    if isinstance(obj, pd.Series):
        return str(obj.to_csv(lineterminator="\n")).encode("utf-8")
    if isinstance(obj, list | tuple):
        return b"\x1e".join(_encode(item) for item in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return repr(dataclasses.asdict(obj)).encode("utf-8")  # every field, those left out of repr() too
    return repr(obj).encode("utf-8")


def key_text(key: Key) -> str:
    return json.dumps(list(key), ensure_ascii=False)


def digest(review: Review, key: Key | str) -> str:
    """SHA-256 of a slice of ``review`` (its ledger key or the key's text)."""
    parts = json.loads(key) if isinstance(key, str) else list(key)
    name, args = parts[0], parts[1:]
    with quiet():
        value = SLICES[name](review, *args)
    return hashlib.sha256(_encode(value)).hexdigest()


@contextmanager
def quiet() -> Iterator[None]:
    """Inside a declared view (or while computing a digest), table use is not recorded."""
    global _quiet
    _quiet += 1
    try:
        yield
    finally:
        _quiet -= 1


def note(review: Review, *key: Any) -> None:
    """Record that the page used this slice of ``review``."""
    if _quiet:
        return
    text = key_text(key)
    cached = _digests.get((id(review), text))
    if cached is None or cached[0] is not review:
        cached = (review, digest(review, key))
        _digests[(id(review), text)] = cached
    known = _ledger.get(text)
    if known == cached[1]:
        return
    _ledger[text] = cached[1] if known is None else MIXED
    _flush()


def note_table(review: Review, name: str) -> None:
    if not _quiet:
        note(review, "table", name)


def declares(slices: Callable[..., Iterable[Key]]) -> Callable[[F], F]:
    """Decorate a view ``view(review, ...)``: a call records ``slices(review, ...)`` (keys) and nothing else."""
    def wrap(view: F) -> F:
        @functools.wraps(view)
        def declared(review: Review, *args: Any, **kwargs: Any) -> Any:
            with quiet():
                keys = list(slices(review, *args, **kwargs))
            for key in keys:
                note(review, *key)
            with quiet():
                return view(review, *args, **kwargs)
        declared.__reviewfigs_slices__ = slices  # type: ignore[attr-defined]
        return declared  # type: ignore[return-value]
    return wrap


def reset() -> None:
    """Start a new page's ledger."""
    _ledger.clear()
    _digests.clear()


def snapshot() -> dict[str, str]:
    return dict(_ledger)


def keep_in_memory() -> None:
    """This process (Sphinx) keeps its ledger in memory: only a page's kernel writes to :data:`LEDGER_ENV`."""
    global _write
    _write = False


def _flush() -> None:
    target = os.environ.get(LEDGER_ENV)
    if not _write or not target:
        return
    path = Path(target)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(_ledger, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def started() -> None:
    """A kernel that imported the library writes an (empty) ledger at once: Sphinx then knows this page's
    reads are recorded, and that a page with none read no data."""
    _flush()


started()
