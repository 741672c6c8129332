"""The suite's book builds, built once per session and shared by every test that needs one.

(a) ``offline_book``: a cold build of a copy of the repository, every socket off this machine refused.
    All read-only checks of the built site use it.
(b) ``second_book``: a cold build of another copy, in a longer path; its output is hashed right after
    the build, for the byte-for-byte comparison with (a).
(c) incremental rebuilds of that second copy, one session fixture per step, each depending on the one
    before (so any subset of tests runs them in the same order):

    1. ``noop_step``      nothing changed;
    2. ``prose_step``     one sentence appended to one page;
    3. ``moved_step``     the tree is copied, with its ``_build``, to a new place, where a new study is
                          added with ``reviewfigs new-study`` and one value edited; the build runs with
                          ``REVIEWFIGS_ROOT`` pointing at the OLD place, and while it executes its pages a
                          thread rewrites ``data/measurements.csv`` once more;
    4. ``after_edit_step`` a rebuild with no further change: must re-execute the pages read before that edit;
    5. ``restored_step``  ``data/measurements.csv`` restored to an earlier content with an OLDER mtime;
    6. ``other_row_step``  one number of another study (row m002, GZCNT) edited: pages that did not use it
                          stay as they are;
    7. ``final_noop_step`` nothing changed;
    8. ``final_cold``     a cold build of a copy of the final tree, to compare byte for byte with the
                          incremental one (freshness is exact only if they are identical).

Each step records the pages it re-read and executed (see ``bookbuild``) and keeps a copy of the HTML it made.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support.bookbuild import build, build_env, changed, command, doctree_stamps, failure, notebook_stamps, write_guard
from support.repo import COPY_IGNORE, REPO

# ------------------------------------------------------------------------------------------ edits
PROSE_PAGE = "chapters/outlook"
PROSE_SENTENCE = "One more sentence written by the test suite."

#: GSCP's average CE (row m006): 99.0 % in the review; the steps below change it twice.
M006_LINE = "m006,GSCP,GSCP,host,half,unspecified,average_ce,{},"
ORIGINAL_CE, EDITED_CE, DURING_CE = "99.0", "97.7", "96.6"

#: GZCNT's symmetric pouch cell (row m002), a study other than m006's: the unrelated edit changes it.
M002_LINE = "m002,GZCNT,GZCNT-coated Li,host,symmetric,pouch,cycles,{},"
M002_ORIGINAL, M002_EDITED = "200", "210"

NAME = "ZX-9 host"
KEY = "synthetic2026graded"
ATTACK = "<script>alert('x')</script>"
ENTRY = f"""@article{{{KEY},
  author = {{Tester, A. and Writer, B.}},
  title = {{A synthetic graded host for checking the book}},
  journal = {{Journal of Synthetic Results}},
  year = {{2026}},
  volume = {{1}},
  pages = {{1--2}},
  note = {{Not cited in the review; synthetic entry made by the test suite}}
}}
"""
#: a second paper, known only from its abstract: authors unknown, a family the review lacks, a cell of
#: unstated format, a Li-O2 cell and a fabrication figure; the starter study row stays as written
ABSTRACT_NAME = "PG-abstract host"
ABSTRACT_KEY = "synthetic2026abstract"
ABSTRACT_ENTRY = f"""@article{{{ABSTRACT_KEY},
  author = {{others}},
  title = {{A synthetic pore-graded host known from its abstract}},
  journal = {{Journal of Synthetic Results}},
  year = {{2026}}
}}
"""
ABSTRACT_ROWS = [  # cell_type, cell_format, quantity, value, bound, unit, at_cycle, cathode, chemistry
    ("not stated", "not stated", "average_ce", "99.1", "=", "%", "", "", ""),
    ("full", "not stated", "capacity_retention", "90", "=", "%", "300", "LFP", ""),
    ("full", "not stated", "lifespan", "800", ">", "h", "", "", "Li-O2"),
    ("none", "not stated", "li_deposited", "10", "=", "mAh/cm2", "", "", ""),
]
ROWS = [  # cell_type, cell_format, quantity, value, unit, at_cycle, J, Q, c_rate, cathode, loading, loading_unit, li, li_unit, np, notes
    ("half", "unspecified", "average_ce", "98.5", "%", "300", "2.0", "2.0", "", "", "", "", "", "", "", ATTACK),
    ("symmetric", "unspecified", "lifespan", "1500", "h", "", "2.0", "2.0", "", "", "", "", "", "", "", ""),
    ("full", "coin", "cycles", "200", "cycles", "", "", "", "0.5", "NCM811", "25", "mg/cm2", "8.0", "mAh/cm2", "1.6", ""),
    ("full", "coin", "capacity_retention", "85.0", "%", "200", "", "", "0.5", "NCM811", "25", "mg/cm2", "8.0", "mAh/cm2", "1.6", ""),
]


def add_synthetic_study(book: Path) -> None:
    """What an author does (CONTRIBUTING.md): `new-study` with a new entry, replace the "not stated" the paper
    does state, add rows; then a second paper known only from its abstract, its starter row left as written.

    The host description and a note carry a `<script>`: pages must show it as text.
    """
    from typer.testing import CliRunner

    from reviewfigs.cli import app

    entry = book / "entry.bib"
    entry.write_text(ENTRY, encoding="utf-8")
    result = CliRunner().invoke(app, ["new-study", KEY, "--name", NAME, "--section", "2.2", "--bib", str(entry), "--root", str(book)])
    assert result.exit_code == 0, result.output
    entry.unlink()
    studies = book / "data" / "studies.csv"
    text = studies.read_text(encoding="utf-8")
    new_row = text.rstrip("\n").rsplit("\n", 1)[1]
    described = new_row.replace("not stated", f"carbon felt {ATTACK}", 1).replace("not stated", "synthetic", 3)
    text = text.replace(new_row, described.replace("not stated", "bottom-up"))
    studies.write_text(text, encoding="utf-8")
    entry.write_text(ABSTRACT_ENTRY, encoding="utf-8")
    result = CliRunner().invoke(app, ["new-study", ABSTRACT_KEY, "--name", ABSTRACT_NAME, "--gradient", "pore-size",
                                      "--bib", str(entry), "--root", str(book)])
    assert result.exit_code == 0, result.output
    entry.unlink()
    path = book / "data" / "measurements.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        columns = list(rows[0])
    next_id = max(int(r["id"][1:]) for r in rows) + 1
    for i, (ctype, fmt, quantity, value, unit, at, j, q, c, cathode, load, lunit, li, liunit, np, notes) in enumerate(ROWS):
        rows.append({**{c_: "" for c_ in columns}, "id": f"m{next_id + i:03d}", "study": NAME, "sample": NAME, "role": "host",
                     "cell_type": ctype, "cell_format": fmt, "quantity": quantity, "value": value, "bound": "=", "unit": unit,
                     "at_cycle": at, "current_density": j, "areal_capacity": q, "c_rate": c, "cathode": cathode,
                     "cathode_loading": load, "cathode_loading_unit": lunit, "anode_li": li, "anode_li_unit": liunit,
                     "np_ratio": np, "source": "paper: Fig. 2", "notes": notes})
    next_id += len(ROWS)
    for i, (ctype, fmt, quantity, value, bound, unit, at, cathode, chemistry) in enumerate(ABSTRACT_ROWS):
        rows.append({**{c_: "" for c_ in columns}, "id": f"m{next_id + i:03d}", "study": ABSTRACT_NAME, "sample": ABSTRACT_NAME,
                     "role": "host", "cell_type": ctype, "cell_format": fmt, "quantity": quantity, "value": value,
                     "bound": bound, "unit": unit, "at_cycle": at, "cathode": cathode, "chemistry": chemistry,
                     "source": "paper: Abstract"})
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_m006(book: Path, old: str, new: str, *, atomic: bool = False) -> None:
    path = book / "data" / "measurements.csv"
    text = path.read_text(encoding="utf-8")
    assert M006_LINE.format(old) in text, f"row m006 does not hold {old}"
    text = text.replace(M006_LINE.format(old), M006_LINE.format(new))
    if atomic:  # a page being read at this moment sees the old or the new file, never half of it
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    else:
        path.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------------------------------ records
@dataclass
class Step:
    """One build of a book: its outcome, what it re-read and executed, and a copy of its HTML."""

    name: str
    book: Path
    done: subprocess.CompletedProcess
    seconds: float
    reread: set[str]
    executed: set[str]
    html: Path
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.done.returncode == 0

    def check(self) -> None:
        assert self.ok, f"{self.name} build failed: {failure(self.done)}"


def _snapshot_html(book: Path, target: Path) -> Path:
    shutil.copytree(book / "_build" / "html", target, ignore=shutil.ignore_patterns("_static", "_sources", "_images"))
    return target


def observed_build(name: str, book: Path, snapshots: Path, *, env=None, during=None) -> Step:
    """Build `book`, noting which pages were re-read and executed; `during(process)` runs beside the build."""
    doctrees, notebooks = doctree_stamps(book), notebook_stamps(book)
    extra: dict = {}
    if during is None:
        done, seconds = build(book, env=env)
    else:
        start = time.perf_counter()
        with subprocess.Popen(command(book), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env or build_env()) as proc:
            watcher = threading.Thread(target=during, args=(proc, doctrees, notebooks, extra), daemon=True)
            watcher.start()
            stdout, stderr = proc.communicate(timeout=1200)
            watcher.join(timeout=10)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
        seconds = time.perf_counter() - start
    html = _snapshot_html(book, snapshots / name) if (book / "_build" / "html").is_dir() else snapshots / name
    return Step(name, book, done, seconds, changed(doctrees, doctree_stamps(book)), changed(notebooks, notebook_stamps(book)), html, extra)


def tree_hashes(html: Path) -> dict[str, str]:
    return {p.relative_to(html).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(html.rglob("*")) if p.is_file()}


def copy_repo(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO, target, ignore=COPY_IGNORE)
    return target


# ------------------------------------------------------------------------------------------ (a)
@pytest.fixture(scope="session")
def offline_book(tmp_path_factory) -> Step:
    """(a) Cold build, offline. Read-only: tests must not edit this copy or its output."""
    root = tmp_path_factory.mktemp("offline")
    book = copy_repo(root / "book")
    env = build_env(offline_guard=write_guard(root / "guard"))
    step = observed_build("offline", book, root / "snapshots", env=env)
    step.check()
    step.extra["hashes"] = tree_hashes(book / "_build" / "html")
    return step


# ------------------------------------------------------------------------------------------ (b)
@pytest.fixture(scope="session")
def second_book(tmp_path_factory) -> Step:
    """(b) Cold build of another copy in a longer path; hashed at once (later steps edit this copy)."""
    root = tmp_path_factory.mktemp("second")
    book = copy_repo(root / "a-much-longer-folder-name-so-that-paths-differ-in-length" / "book")
    step = observed_build("second", book, root / "snapshots")
    step.check()
    step.extra["hashes"] = tree_hashes(book / "_build" / "html")
    step.extra["snapshots"] = root / "snapshots"
    return step


# ------------------------------------------------------------------------------------------ (c)
@pytest.fixture(scope="session")
def noop_step(second_book) -> Step:
    return observed_build("noop", second_book.book, second_book.extra["snapshots"])


@pytest.fixture(scope="session")
def prose_step(noop_step) -> Step:
    noop_step.check()
    page = noop_step.book / f"{PROSE_PAGE}.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{PROSE_SENTENCE}\n", encoding="utf-8")
    return observed_build("prose", noop_step.book, noop_step.html.parent)


def _edit_while_executing(proc, doctrees_before, notebooks_before, extra) -> None:
    """As soon as the first page has been executed in this build, rewrite m006 (atomically).

    Records the pages certainly read before the edit: those whose notebook or doctree was rewritten.
    """
    folder = extra["book"] / "_build" / "jupyter_execute"
    while proc.poll() is None:
        executed = changed(notebooks_before, notebook_stamps(extra["book"]))
        if executed:
            read = changed(doctrees_before, doctree_stamps(extra["book"]))
            set_m006(extra["book"], EDITED_CE, DURING_CE, atomic=True)
            extra["read_before_edit"] = executed | read
            extra["edited_at_ns"] = (extra["book"] / "data" / "measurements.csv").stat().st_mtime_ns
            return
        time.sleep(0.02)
    extra["missed"] = f"the build ended before any page was executed ({folder})"


@pytest.fixture(scope="session")
def moved_step(prose_step, tmp_path_factory) -> Step:
    """The tree moves (its _build too) and gets a new study and an edit; a thread edits data mid-build.

    The build runs with REVIEWFIGS_ROOT naming the old place, whose data lack both changes.
    """
    prose_step.check()
    old = prose_step.book
    new = tmp_path_factory.mktemp("moved") / "elsewhere" / "book"
    shutil.copytree(old, new, symlinks=True)
    add_synthetic_study(new)
    set_m006(new, ORIGINAL_CE, EDITED_CE)
    before_edit = (new / "data" / "measurements.csv").read_bytes()
    env = build_env(REVIEWFIGS_ROOT=str(old))

    def during(proc, doctrees, notebooks, extra):
        extra["book"] = new
        _edit_while_executing(proc, doctrees, notebooks, extra)

    step = observed_build("moved", new, prose_step.html.parent, env=env, during=during)
    step.extra["old"] = old
    step.extra["measurements_before_edit"] = before_edit
    return step


@pytest.fixture(scope="session")
def after_edit_step(moved_step) -> Step:
    moved_step.check()
    return observed_build("after-edit", moved_step.book, moved_step.html.parent)


@pytest.fixture(scope="session")
def restored_step(after_edit_step, moved_step) -> Step:
    """measurements.csv gets back its content from before the mid-build edit, with a day-old mtime."""
    after_edit_step.check()
    path = after_edit_step.book / "data" / "measurements.csv"
    path.write_bytes(moved_step.extra["measurements_before_edit"])
    old = time.time() - 86400
    os.utime(path, (old, old))
    step = observed_build("restored", after_edit_step.book, after_edit_step.html.parent)
    step.extra["mtime"] = old
    return step


@pytest.fixture(scope="session")
def other_row_step(restored_step) -> Step:
    restored_step.check()
    path = restored_step.book / "data" / "measurements.csv"
    text = path.read_text(encoding="utf-8")
    assert M002_LINE.format(M002_ORIGINAL) in text
    path.write_text(text.replace(M002_LINE.format(M002_ORIGINAL), M002_LINE.format(M002_EDITED)), encoding="utf-8")
    return observed_build("other-row", restored_step.book, restored_step.html.parent)


@pytest.fixture(scope="session")
def final_noop_step(other_row_step) -> Step:
    other_row_step.check()
    return observed_build("final-noop", other_row_step.book, other_row_step.html.parent)


@pytest.fixture(scope="session")
def final_cold(final_noop_step, tmp_path_factory) -> Step:
    """A cold build of the final tree's sources, copied without their ``_build``."""
    final_noop_step.check()
    root = tmp_path_factory.mktemp("final-cold")
    book = root / "book"
    shutil.copytree(final_noop_step.book, book, symlinks=True, ignore=shutil.ignore_patterns("_build", ".jupyter_cache"))
    step = observed_build("final-cold", book, root / "snapshots")
    step.check()
    step.extra["hashes"] = tree_hashes(book / "_build" / "html")
    return step
