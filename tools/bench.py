"""Benchmark: build and rebuild times of the book against the template-book floor, and more.

Run with ``make bench`` (``python tools/bench.py``; ``--with-tests`` also times the test suite
against one cold build). It works on temporary copies and prints figures; it asserts nothing, so
it is not part of the test suite. Pages executed are counted from the executed notebooks that
MyST-NB rewrites (``_build/jupyter_execute``), not from log wording.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reviewfigs.data.load import find_root, load_review

IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", ".jupyter_cache", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "*.egg-info")
JB = Path(sys.executable).with_name("jupyter-book")


def _notebook_stamps(book: Path) -> dict[str, int]:
    folder = book / "_build" / "jupyter_execute"
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*.ipynb")} if folder.is_dir() else {}


def timed_build(book: Path) -> tuple[float, int]:
    """Seconds for `jupyter-book build -n -W --keep-going`, and how many pages it executed."""
    before = _notebook_stamps(book)
    start = time.perf_counter()
    done = subprocess.run([str(JB), "build", str(book), "-n", "-W", "--keep-going"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build of {book} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    after = _notebook_stamps(book)
    return elapsed, sum(1 for page, stamp in after.items() if before.get(page) != stamp)


def edit_row(book: Path, table: str, column: str, where: tuple[str, str], change) -> str:
    """Rewrite one cell of data/<table>.csv (the first row whose `where` column equals the value)."""
    path = book / "data" / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index(where[0])] == where[1]:
            row[header.index(column)] = change(row[header.index(column)])
            with path.open("w", newline="", encoding="utf-8") as f:
                csv.writer(f, lineterminator="\n").writerows(rows)
            return f"{table}.csv {where[0]}={where[1]}, {column}"
    raise SystemExit(f"no row with {where} in {path}")


def make_book_timings(book: Path, root: Path) -> list[tuple[str, float]]:
    """`make book` (check, HTML, slides, handout, PDF) with this venv: once to fill the slide and PDF caches,
    then with nothing changed, then after a one-row edit (GZCNT's m002). Without chromium the PDF step says
    it is skipped, and the figures are the HTML side only."""
    venv = Path(sys.executable).parent.parent
    command = ["make", "-C", str(book), f"VENV={venv}", "-o", str(venv / ".installed-stamp"), "book"]

    def timed() -> float:
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"make book in {book} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return time.perf_counter() - start

    timed()
    same = timed()
    edit_row(book, "measurements", "value", ("id", "m002"), lambda v: str(int(v) + 10))
    return [("make book, nothing changed (HTML, slides, handout, PDF)", same),
            ("make book, one-row edit (m002; HTML, slides, handout, PDF)", timed())]


def import_time() -> float:
    """Best of five: seconds for `python -c "import reviewfigs"` in a fresh interpreter."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import reviewfigs"], check=True)
        best = min(best, time.perf_counter() - start)
    return best


def timed_tests(root: Path, *args: str, profile: str = "default") -> tuple[float, str]:
    """Seconds for a pytest run (negative if it failed) and its summary line; ``profile`` is the Hypothesis
    profile (make test-fast uses 'everyday')."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=root,
                          capture_output=True, text=True,
                          env={**os.environ, "CI": os.environ.get("CI", ""), "HYPOTHESIS_PROFILE": profile})
    elapsed = time.perf_counter() - start
    tail = (done.stdout.strip().splitlines() or ["?"])[-1]
    return elapsed if done.returncode == 0 else -elapsed, tail


def synthetic_rows(book: Path, count: int) -> None:
    """Grow measurements.csv to `count` rows: the real rows as they are (views that read a review row by
    its id still find it), then copies of them (and their flags) under new ids."""
    path = book / "data" / "measurements.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    grown = [list(row) for row in body]
    for i in range(max(count - len(body), 0)):
        row = list(body[i % len(body)])
        row[0] = f"m{100000 + i}"
        grown.append(row)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *grown])


def replicate_studies(book: Path, factor: int) -> int:
    """Grow the book to ``factor`` x its studies: each review study copied as an added paper.

    A copy gets its own name, BibTeX key (the original entry without its review number), measurement
    ids, host layers and the date it was "added"; its rows keep their values but cite places in the
    copy's own paper (an added study cannot cite the review). Returns the number of studies.
    """
    import bibtexparser

    data = book / "data"

    def rows(name):
        with (data / f"{name}.csv").open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            return reader.fieldnames, list(reader)

    def write(name, fields, body):
        with (data / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(body)

    s_fields, studies = rows("studies")
    m_fields, measurements = rows("measurements")
    l_fields, layers = rows("layers")
    bib = bibtexparser.parse_string((book / "references.bib").read_text(encoding="utf-8"))
    raw = {e.key: e.raw for e in bib.entries}
    own = [s for s in studies if not s["added"]]
    next_id = max(int(m["id"][1:]) for m in measurements) + 1
    new_bib = []
    for k in range(2, factor + 1):
        for s in own:
            name, key = f"{s['study']} r{k}", f"{s['bibkey']}r{k}"
            studies.append({**s, "study": name, "bibkey": key, "added": "2026-01-01"})
            entry = re.sub(r"^\s*reviewnumber\s*=.*\n", "", raw[s["bibkey"]], flags=re.M)
            # a copy is another paper: it cannot share the original's DOI (check refuses a DOI twice)
            entry = re.sub(r"^\s*doi\s*=.*\n", "", entry, flags=re.M)
            entry = re.sub(r"^(\s*doi_source\s*=\s*)\{.*\}", r"\1{DOI not found in the sources checked; checked 2026-01-01}",
                           entry, flags=re.M)
            new_bib.append(entry.replace("{" + s["bibkey"] + ",", "{" + key + ",", 1))
            for m in [m for m in measurements if m["study"] == s["study"]]:
                measurements.append({**m, "id": f"m{next_id:04d}", "study": name, "source": "paper: text",
                                     "discrepancy": "", "unit_as_printed": ""})
                next_id += 1
            layers += [{**layer, "study": name} for layer in layers if layer["study"] == s["study"]]
    write("studies", s_fields, studies)
    write("measurements", m_fields, measurements)
    write("layers", l_fields, layers)
    with (book / "references.bib").open("a", encoding="utf-8") as f:
        f.write("\n\n" + "\n\n".join(new_bib) + "\n")
    return len(studies)


def figures_time(root: Path, where: Path, grow) -> str:
    """Time to draw every figure (``reviewfigs figures``) from a copy of the data grown by ``grow``:
    it should grow with the marks drawn, not with the square of the rows."""
    from reviewfigs.figures import render_all

    (where / "data").parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(root / "data", where / "data")
    shutil.copy2(root / "references.bib", where / "references.bib")
    grow(where)
    review = load_review(where)
    start = time.perf_counter()
    render_all(review, where / "figures")
    return f"{time.perf_counter() - start:.1f} s for {len(review.measurements):,} rows of {len(review.studies)} studies"


def heaviest_page(html: Path) -> tuple[str, float, float]:
    """The page that weighs most when opened: its HTML (inline SVG included) and the images it loads at once.

    Returns (page, MB when opened, MB once every lazy image below the fold has loaded too). An image with
    ``loading="lazy"`` (the gallery's) loads only as the reader scrolls to it.
    """
    best = ("", 0.0, 0.0)
    for page in html.rglob("*.html"):
        if page.relative_to(html).parts[0] in ("_static", "slides"):
            continue
        size = lazy = page.stat().st_size
        for tag, src in re.findall(r'(<img[^>]+src="([^"]+)"[^>]*>)', page.read_text(encoding="utf-8")):
            target = (page.parent / src).resolve()
            if target.is_file() and "_static" not in target.parts:
                lazy += target.stat().st_size
                size += 0 if 'loading="lazy"' in tag else target.stat().st_size
        if size > best[1] * 1e6:
            best = (str(page.relative_to(html)), size / 1e6, lazy / 1e6)
    return best


def label_overlaps(book: Path) -> str:
    """Overlapping text boxes per registered figure (drawn from the book's data), figures with none left out."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from reviewfigs.figures import FIGURES

    review = load_review(book)
    counts = {}
    for name, spec in FIGURES.items():
        fig = spec.build(review)
        fig = fig.figure if hasattr(fig, "figure") and not hasattr(fig, "savefig") else fig
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for ax in fig.axes for t in ax.texts if t.get_text().strip() and t.get_visible()]
        counts[name] = sum(1 for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b))
        plt.close(fig)
    crowded = {name: n for name, n in counts.items() if n}
    return ", ".join(f"{name} {n}" for name, n in crowded.items()) or "none"


class _Progress(list):
    """The results, each also printed to stderr as it comes (a long run that fails later keeps them)."""

    def append(self, item: tuple[str, str]) -> None:
        super().append(item)
        print(f"  {item[0]}: {item[1]}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-tests", action="store_true", help="also time `pytest` and `pytest -m 'not book'`")
    parser.add_argument("--scale", type=int, nargs="*", default=[], metavar="N",
                        help="also build the book with every study replicated N times (e.g. --scale 4 10)")
    options = parser.parse_args()
    root = find_root()
    results = _Progress([("python -c 'import reviewfigs'", f"{import_time():.2f} s (best of 5)")])
    with tempfile.TemporaryDirectory(prefix="reviewfigs-bench-") as tmp:
        tmp = Path(tmp)
        template = tmp / "template"
        subprocess.run([str(JB), "create", str(template)], check=True, capture_output=True)
        floor, _ = timed_build(template)
        results.append(("template book build (floor)", f"{floor:.1f} s"))

        book = tmp / "book"
        shutil.copytree(root, book, ignore=IGNORE)
        cold, n_cold = timed_build(book)
        results.append(("cold build", f"{cold:.1f} s ({cold / floor:.1f}x floor), {n_cold} pages executed"))
        again, n_again = timed_build(book)
        results.append(("no-change rebuild", f"{again:.1f} s ({again / floor:.1f}x floor, target <= 1.5x), {n_again} pages executed"))
        touched = book / "data" / "studies.csv"
        os.utime(touched)
        same, n_same = timed_build(book)
        results.append(("rebuild after touching a data file (content unchanged)", f"{same:.1f} s, {n_same} pages executed"))
        edits = [
            ("one study's row", lambda: edit_row(book, "measurements", "value", ("id", "m006"), lambda v: f"{float(v) - 0.1:.1f}")),
            # a number no chart track or count uses (GZCNT's symmetric pouch cell, no conditions given)
            ("another study's row", lambda: edit_row(book, "measurements", "value", ("id", "m002"), lambda v: str(int(v) + 10))),
            ("a row every page reads", lambda: edit_row(book, "thresholds", "label", ("quantity", "anode_li"), lambda v: v + " ")),
        ]
        for label, edit in edits:
            where = edit()
            one, n_one = timed_build(book)
            results.append((f"one-row rebuild, {label} ({where})",
                            f"{one:.1f} s ({one / floor:.1f}x floor, target <= 3x), {n_one} of {n_cold} pages executed"))
        try:
            for label, seconds in make_book_timings(book, root):
                results.append((label, f"{seconds:.1f} s ({seconds / floor:.1f}x floor, target <= 3x)"))
        except SystemExit as failed:  # report it and go on: the other figures do not depend on it
            results.append(("make book timings", f"failed: {str(failed)[-500:]}"))
        html = book / "_build" / "html"
        size = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
        results.append(("built HTML size", f"{size / 1e6:.1f} MB in {sum(1 for _ in html.rglob('*.html'))} pages"))

        big = tmp / "big"
        shutil.copytree(root, big, ignore=IGNORE)
        synthetic_rows(big, 10_000)
        start = time.perf_counter()
        review = load_review(big)
        elapsed = time.perf_counter() - start
        results.append((f"validate {len(review.measurements):,} measurement rows", f"{elapsed:.2f} s (target < 2 s)"))

        try:
            from reviewfigs.figures import render_all
        except ImportError:
            render_all = None
        if render_all is not None:
            start = time.perf_counter()
            written = render_all(load_review(root), tmp / "figures")
            elapsed = time.perf_counter() - start
            results.append(("render all figures", f"{elapsed:.1f} s ({len(written) if written else '?'} files)"))

        n_rows = len(load_review(root).measurements)
        for label, grow in (("10x rows", lambda b: synthetic_rows(b, 10 * n_rows)),
                            ("100x rows", lambda b: synthetic_rows(b, 100 * n_rows)),
                            ("10x studies", lambda b: replicate_studies(b, 10))):
            results.append((f"reviewfigs figures, {label}", figures_time(root, tmp / label.replace(" ", "-"), grow)))

        base_studies = len(load_review(book).studies)
        page, weight, scrolled = heaviest_page(html)
        results.append(("1x: heaviest page when opened (HTML + images not lazy; theme assets not counted)",
                        f"{page} {weight:.2f} MB (target <= 1.5 MB; {scrolled:.2f} MB with its lazy images); "
                        f"overlapping text boxes: {label_overlaps(book)}"))
        for factor in options.scale:
            grown = tmp / f"x{factor}"
            shutil.copytree(root, grown, ignore=IGNORE)
            n = replicate_studies(grown, factor)
            load_review(grown)  # every replica passes check
            seconds, _ = timed_build(grown)
            page, weight, scrolled = heaviest_page(grown / "_build" / "html")
            results.append((f"{factor}x: {n} studies, cold build",
                            f"{seconds:.1f} s = {seconds / cold:.1f}x the 1x build for {n / base_studies:.1f}x the studies; "
                            f"heaviest page when opened {page} {weight:.2f} MB (target <= 1.5 MB; {scrolled:.2f} MB "
                            f"with its lazy images); overlapping labels: {label_overlaps(grown)}"))

        if options.with_tests:
            fast, fast_tail = timed_tests(root, "-m", "not book and not slow", "-n", "2", profile="everyday")
            results.append(("make test-fast (not book, not slow, -n 2, profile everyday)", f"{abs(fast):.0f} s, target <= 60 s: {fast_tail}"))
            unit, unit_tail = timed_tests(root, "-m", "not book", "-n", "2")
            results.append(("make test, first phase (not book, -n 2, every paper)", f"{abs(unit):.0f} s: {unit_tail}"))
            books, books_tail = timed_tests(root, "-m", "book")
            full = abs(unit) + abs(books)
            results.append(("make test, second phase (book: three builds and their checks)", f"{abs(books):.0f} s: {books_tail}"))
            results.append(("make test (both phases, venv excluded)", f"{full:.0f} s = {full / cold:.1f}x one cold build (target <= 4x)"))

    width = max(len(k) for k, _ in results)
    print("reviewfigs benchmark")
    for key, value in results:
        print(f"  {key:<{width}}  {value}")


if __name__ == "__main__":
    main()
