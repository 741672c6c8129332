"""Benchmark: build and rebuild times of the book against the template-book floor, and validation speed.

Run with ``make bench`` (or ``python -m reviewfigs.bench``). It works on temporary copies and
prints figures; it asserts nothing, so it is not part of the test suite.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reviewfigs.data.load import find_root, load_review

IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", ".jupyter_cache", "__pycache__", ".pytest_cache", "*.egg-info")
JB = Path(sys.executable).with_name("jupyter-book")
EXECUTED = re.compile(r"Executing notebook|Executing: ")


def timed_build(book: Path) -> tuple[float, int]:
    """Seconds for `jupyter-book build -n -W --keep-going`, and how many pages it executed."""
    start = time.perf_counter()
    done = subprocess.run([str(JB), "build", str(book), "-n", "-W", "--keep-going", "-v"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build of {book} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    executed = len(EXECUTED.findall(done.stdout + done.stderr))
    return elapsed, executed


def bump_one_value(book: Path) -> str:
    """Change one measurement (the first average CE) by +0.1 so exactly the data-reading pages go stale."""
    path = book / "data" / "measurements.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("quantity")] == "average_ce":
            row[header.index("value")] = f"{float(row[header.index('value')]) - 0.1:.1f}"
            with path.open("w", newline="", encoding="utf-8") as f:
                csv.writer(f, lineterminator="\n").writerows(rows)
            return row[0]
    raise SystemExit("no average_ce row to change")


def synthetic_rows(book: Path, count: int) -> None:
    """Grow measurements.csv to `count` rows by repeating real rows (and their flags) under new ids."""
    path = book / "data" / "measurements.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    grown = []
    for i in range(count):
        row = list(body[i % len(body)])
        row[0] = f"m{i + 1:05d}"
        grown.append(row)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *grown])


def main() -> None:
    root = find_root()
    results: list[tuple[str, str]] = []
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
        changed = bump_one_value(book)
        one, n_one = timed_build(book)
        results.append((f"one-data-row rebuild ({changed})", f"{one:.1f} s ({one / floor:.1f}x floor, target <= 3x), {n_one} of {n_cold} pages executed"))
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

    width = max(len(k) for k, _ in results)
    print("reviewfigs benchmark")
    for key, value in results:
        print(f"  {key:<{width}}  {value}")


if __name__ == "__main__":
    main()
