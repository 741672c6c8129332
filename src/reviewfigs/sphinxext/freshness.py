"""Freshness by content: a page is re-read (and so re-executed) only when something it read has changed.

Sphinx decides staleness by modification time, which misses an input saved while a page executes
(the page's read time is later than the edit) and a file restored with an older time. Instead we
record, per page, the SHA-256 of its own source and of what it read, in the Sphinx environment; on the
next build ``env-get-outdated`` compares them with the current ones.

What a page read:
* **data, by slice.** While a page is read, its kernel (and the ``{datum}`` roles in this process)
  record each slice of the data the page used and its digest (:mod:`reviewfigs.data.reads`): a whole
  table, or, for a declared view, only the studies or rows it shows. The digests are of the data the
  page actually used, so an edit saved during execution shows up as a change next time. A code page
  whose kernel wrote no ledger (it never imported the library) depends on every data file, as before;
* **the library**, for a page with code cells or glue: every module that can change what a page shows.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

from ..data import reads
from ..data.load import input_files
from ..errors import DataError
from ..files import sha256_of

CODE_MARKERS = ("{code-cell}", "{glue")
PACKAGE = Path(__file__).resolve().parents[1]
#: library modules that cannot change what a page shows (commands and authoring tools)
NOT_PAGE_INPUTS = ("cli.py", "authoring.py", "lint.py")
SOURCE_KEY = "<source>"
FILE_PREFIX = "file:"
LEDGERS = "reviewfigs-reads"


def library_files() -> list[Path]:
    """The package's modules that can change a page: everything but the command-line tools."""
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name not in NOT_PAGE_INPUTS and "__pycache__" not in p.parts)


def is_code_page(source: str) -> bool:
    return any(marker in source for marker in CODE_MARKERS)


def library_inputs() -> dict[str, Path]:
    return {"reviewfigs/" + f.relative_to(PACKAGE).as_posix(): f for f in library_files()}


def _ledger_path(app, docname: str) -> Path:
    return Path(app.doctreedir) / LEDGERS / (docname.replace("/", "__") + ".json")


def record(app, docname: str, source: list[str]) -> None:
    """``source-read``: hash the page's source (and the library, for a code page), and open its ledger."""
    env = app.env
    if not hasattr(env, "reviewfigs_hashes"):
        env.reviewfigs_hashes = {}
    hashes = {key: sha256_of(path) for key, path in library_inputs().items()} if is_code_page(source[0]) else {}
    hashes[SOURCE_KEY] = sha256_of(Path(env.doc2path(docname)))
    env.reviewfigs_hashes[docname] = hashes
    ledger = _ledger_path(app, docname)
    ledger.parent.mkdir(parents=True, exist_ok=True)
    ledger.unlink(missing_ok=True)
    reads.reset()
    os.environ[reads.LEDGER_ENV] = str(ledger)  # inherited by the page's kernel, started after this event


def collect(app, doctree) -> None:
    """``doctree-read``: the page's reads are those of its kernel and of this process's roles."""
    env, docname = app.env, app.env.docname
    os.environ.pop(reads.LEDGER_ENV, None)
    hashes = env.reviewfigs_hashes.get(docname)
    if hashes is None:
        return
    found = {f"slice:{key}": digest for key, digest in reads.snapshot().items()}
    ledger = _ledger_path(app, docname)
    if ledger.is_file():
        found.update({f"slice:{key}": digest for key, digest in json.loads(ledger.read_text(encoding="utf-8")).items()})
        ledger.unlink()
    elif any(key.startswith("reviewfigs/") for key in hashes):  # a code page whose kernel never loaded the library
        found.update({FILE_PREFIX + f.relative_to(app.srcdir).as_posix(): sha256_of(f) or "missing"
                      for f in input_files(Path(app.srcdir))})
    hashes.update(found)
    reads.reset()


class _Current:
    """The current digest of each recorded input, each computed once per build."""

    def __init__(self, srcdir: Path):
        self.srcdir = Path(srcdir)
        self.known: dict[str, str | None] = {}
        self._review: object = None

    def review(self):
        if self._review is None:
            from ..data.load import review
            try:
                self._review = review(self.srcdir)
            except DataError:
                self._review = False  # every data slice counts as changed; executing the page reports why
        return self._review

    def __call__(self, key: str) -> str | None:
        if key not in self.known:
            if key.startswith("slice:"):
                data = self.review()
                self.known[key] = reads.digest(data, key.removeprefix("slice:")) if data else None
            elif key.startswith(FILE_PREFIX):
                self.known[key] = sha256_of(self.srcdir / key.removeprefix(FILE_PREFIX))
            else:
                self.known[key] = sha256_of(PACKAGE / key.removeprefix("reviewfigs/"))
        return self.known[key]


def outdated(app, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: pages whose source or any recorded input no longer has the recorded digest."""
    recorded = getattr(env, "reviewfigs_hashes", {})
    current = _Current(app.srcdir)
    stale = []
    for docname, hashes in recorded.items():
        if docname in added or docname in changed or docname in removed or docname not in env.found_docs:
            continue
        if not _doctree_readable(Path(env.doctreedir) / f"{docname}.doctree"):
            stale.append(docname)  # a damaged or missing doctree is read again, not a traceback when writing
            continue
        for key, digest in hashes.items():
            now = sha256_of(Path(env.doc2path(docname))) if key == SOURCE_KEY else current(key)
            if now != digest:
                stale.append(docname)
                break
    return sorted(stale)


def _doctree_readable(path: Path) -> bool:
    """Whether Sphinx's pickled doctree of a page loads (an interrupted write or a damaged disk leaves one
    that does not; Sphinx would then fail with an UnpicklingError while writing the page)."""
    try:
        pickle.loads(path.read_bytes())
    except Exception:
        return False
    return True


def purge(app, env, docname: str) -> None:
    getattr(env, "reviewfigs_hashes", {}).pop(docname, None)


def merge(app, env, docnames, other) -> None:
    """Parallel reads: keep the hashes recorded in the worker processes."""
    if not hasattr(env, "reviewfigs_hashes"):
        env.reviewfigs_hashes = {}
    for docname in docnames:
        if docname in getattr(other, "reviewfigs_hashes", {}):
            env.reviewfigs_hashes[docname] = other.reviewfigs_hashes[docname]


def setup(app) -> None:
    reads.keep_in_memory()
    app.connect("source-read", record)
    app.connect("doctree-read", collect)
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
