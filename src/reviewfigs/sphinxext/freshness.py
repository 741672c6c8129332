"""Freshness by content: a page is re-read (and so re-executed) only when something it reads has changed.

Sphinx decides staleness by modification time, which misses an input saved while a page executes
(the page's read time is later than the edit) and a file restored with an older time. Instead we
record, when a page is read, the SHA-256 of each input it depends on and of its own source, in the
Sphinx environment; on the next build ``env-get-outdated`` compares them with the files' current
hashes. Hashes are taken *before* the page executes, so an edit made during execution always
shows up as a change next time.

What a page reads:
* a page with code cells or glue: every data file and references.bib (``rf.review()`` validates
  them together) and the library's source that can change what a page shows;
* a page with only ``{datum}`` roles: the data files and references.bib;
* any other page: nothing beyond its own source.
"""

from __future__ import annotations

import pickle
from functools import lru_cache
from pathlib import Path

from ..data.load import input_files
from ..files import sha256_of

CODE_MARKERS = ("{code-cell}", "{glue")
DATUM_MARKER = "{datum}"
PACKAGE = Path(__file__).resolve().parents[1]
#: library modules that cannot change what a page shows (commands and authoring tools)
NOT_PAGE_INPUTS = ("cli.py", "authoring.py", "lint.py")


def library_files() -> list[Path]:
    """The package's modules that can change a page: everything but the command-line tools."""
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name not in NOT_PAGE_INPUTS and "__pycache__" not in p.parts)


def page_inputs(srcdir: Path, source: str) -> dict[str, Path]:
    """Input key -> file, for a page with this source text. Data keys are relative to the book root."""
    srcdir = Path(srcdir)
    inputs: dict[str, Path] = {}
    if any(marker in source for marker in (*CODE_MARKERS, DATUM_MARKER)):
        inputs.update({f.relative_to(srcdir).as_posix(): f for f in input_files(srcdir)})
    if any(marker in source for marker in CODE_MARKERS):
        inputs.update({"reviewfigs/" + f.relative_to(PACKAGE).as_posix(): f for f in library_files()})
    return inputs


def _resolve(srcdir: Path, key: str) -> Path:
    return PACKAGE / key.removeprefix("reviewfigs/") if key.startswith("reviewfigs/") else Path(srcdir) / key


def record(app, docname: str, source: list[str]) -> None:
    """``source-read``: remember the hash of the page's source and of every input it reads."""
    env = app.env
    if not hasattr(env, "reviewfigs_hashes"):
        env.reviewfigs_hashes = {}
    inputs = page_inputs(Path(app.srcdir), source[0])
    hashes = {key: sha256_of(path) for key, path in inputs.items()}
    hashes["<source>"] = sha256_of(Path(env.doc2path(docname)))
    env.reviewfigs_hashes[docname] = hashes


def outdated(app, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: pages whose source or any recorded input no longer has the recorded hash."""
    recorded = getattr(env, "reviewfigs_hashes", {})
    current = lru_cache(maxsize=None)(lambda key: sha256_of(_resolve(app.srcdir, key)))
    stale = []
    for docname, hashes in recorded.items():
        if docname in added or docname in changed or docname in removed or docname not in env.found_docs:
            continue
        if not _doctree_readable(Path(env.doctreedir) / f"{docname}.doctree"):
            stale.append(docname)  # a damaged or missing doctree is read again, not a traceback when writing
            continue
        for key, digest in hashes.items():
            now = sha256_of(Path(env.doc2path(docname))) if key == "<source>" else current(key)
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
    app.connect("source-read", record)
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
