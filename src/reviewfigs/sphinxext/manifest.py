"""A built site that is whole, or rebuilt: the manifest of output hashes, written last and checked first.

A build that is killed while writing, or a page or image damaged afterwards, used to survive the
next "build succeeded" (a truncated page, a broken image, a search index of half the pages). Now:

* at the end of a successful HTML build (after every other step that writes into the site) the
  SHA-256 of every file Sphinx wrote goes into ``<outdir>.manifest.json``, beside the site;
* at the start of the next build the manifest is read and then removed; if it is missing while the
  site has files, or any listed file is missing or changed, the site is wiped so Sphinx writes every
  page (and a complete search index) again. A build that dies leaves no manifest behind.

``make publish`` runs :func:`verify` (``python -m reviewfigs.sphinxext.manifest``): it refuses a site
without a matching manifest or one holding build caches.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from sphinx.util import logging

from ..files import sha256_of, write_atomic

logger = logging.getLogger(__name__)
#: written into the site by later steps (PDF, slides, answers), not by Sphinx: not listed, not checked
LATER_STEPS = ("slides/", "downloads/book.pdf", "downloads/problems.pdf")
#: build caches that must never be published
CACHES = (".doctrees", "jupyter_execute", ".jupyter_cache", "__pycache__")


def manifest_path(outdir: Path) -> Path:
    outdir = Path(outdir)
    return outdir.with_name(outdir.name + ".manifest.json")


def _files(outdir: Path) -> list[str]:
    return sorted(p.relative_to(outdir).as_posix() for p in Path(outdir).rglob("*")
                  if p.is_file() and not p.relative_to(outdir).as_posix().startswith(LATER_STEPS))


def write(outdir: Path) -> None:
    write_atomic(manifest_path(outdir), json.dumps({name: sha256_of(Path(outdir) / name) for name in _files(outdir)},
                                                   indent=0, sort_keys=True) + "\n")


def problems(outdir: Path) -> list[str]:
    """Why the site in ``outdir`` is not the one its last build wrote (empty: it is)."""
    outdir = Path(outdir)
    path = manifest_path(outdir)
    if not path.is_file():
        return [f"no manifest ({path.name}): the last build did not finish"]
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return [f"{path.name} is damaged"]
    found = []
    for name, digest in listed.items():
        actual = sha256_of(outdir / name)
        if actual != digest:
            found.append(f"{name}: {'missing' if actual is None else 'changed since the build wrote it'}")
    found += [f"{p.relative_to(outdir)}: a build cache" for p in outdir.rglob("*") if p.name in CACHES]
    return found


def _check_first(app) -> None:
    """Before building: a site that is not what a finished build wrote is wiped and written again."""
    if app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    has_files = any(p.is_file() for p in outdir.rglob("*"))
    found = problems(outdir) if has_files else []
    manifest_path(outdir).unlink(missing_ok=True)
    if found:
        logger.info("reviewfigs: the site in %s is incomplete or damaged (%s); writing it again", outdir, "; ".join(found[:3]))
        for child in outdir.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()


def _write_last(app, exception) -> None:
    """After a build with no error and no warning (under -W a warning fails it): list what it wrote."""
    failed = app.statuscode or (getattr(app, "_warncount", 0) and app.warningiserror)
    if exception is None and app.builder.format == "html" and not failed:
        write(Path(app.outdir))


def setup(app) -> None:
    app.connect("builder-inited", _check_first, priority=100)
    app.connect("build-finished", _write_last, priority=1000)


def verify(outdir: Path) -> list[str]:
    """What keeps a site from being published (it matches its manifest, and holds no cache)."""
    outdir = Path(outdir)
    if not (outdir / "index.html").is_file():
        return [f"{outdir}: no built site (run `make book`)"]
    return problems(outdir)


if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html")
    refused = verify(site)
    for line in refused:
        print(f"error: {line}", file=sys.stderr)
    if refused:
        print("refusing to publish: run `make clean book`", file=sys.stderr)
    sys.exit(1 if refused else 0)
