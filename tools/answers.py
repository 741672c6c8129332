"""Instructors' PDFs, printed offline by chromium (as :mod:`reviewfigs.pdf` prints the book).

* ``_build/html/downloads/problems.pdf``: the problem set page as readers see it (needs the built book).
* ``_build/answers/answer-key.pdf``: the problems with their answers, computed by
  :mod:`reviewfigs.teaching` from ``data/`` and :mod:`reviewfigs.models`. It is written outside the
  site and no page links to it.

    python tools/answers.py            # what `make answers` runs
"""

from __future__ import annotations

import html
import sys
import time
from pathlib import Path

from pdf import CHROMIUM, FLAGS  # tools/pdf.py, beside this script
from reviewfigs.data.load import find_root
from reviewfigs.data.load import review as load
from reviewfigs.teaching import BOOK_TITLE, REVIEW_CITATION, problems_myst

STYLE = ("body{font-family:sans-serif;max-width:48em;margin:auto;line-height:1.45}"
         "blockquote{border-left:4px solid #2a7;margin:0.5em 0 1.2em;padding:0.2em 1em;background:#f3faf6}"
         "code{background:#f2f2f2;padding:0 0.2em}")


def answer_key_html(root: Path) -> str:
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").enable("table").render(problems_myst(load(root), root, answers=True))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Answer key</title>"
            f"<style>{STYLE}</style></head><body><h1>Answer key (for instructors)</h1>"
            f"<p>{html.escape(BOOK_TITLE)}, companion to {html.escape(REVIEW_CITATION)}. Every number below is "
            f"computed by <code>reviewfigs</code> from the book's data and models at build time. "
            f"Not for distribution to students.</p>{body}</body></html>")


def print_pdfs(root: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    site = root / "_build" / "html"
    key_dir = root / "_build" / "answers"
    key_dir.mkdir(parents=True, exist_ok=True)
    key_html = key_dir / "answer-key.html"
    key_html.write_text(answer_key_html(root), encoding="utf-8")
    jobs = [(key_html, key_dir / "answer-key.pdf")]
    problems = site / "chapters" / "problems.html"
    if problems.is_file():
        jobs.append((problems, site / "downloads" / "problems.pdf"))
    else:
        print(f"problem-set PDF skipped: build the book first ({problems} is missing)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        for source, target in jobs:
            page.goto(source.resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            target.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(target), format="A4", print_background=True,
                     margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
        browser.close()
    return [t for _, t in jobs]


def main() -> int:
    if not Path(CHROMIUM).is_file():
        print(f"no chromium at {CHROMIUM}: run `make chromium` first")
        return 1
    start = time.perf_counter()
    written = print_pdfs(find_root())
    for path in written:
        print(f"{path} ({path.stat().st_size / 1e3:.0f} kB)")
    print(f"PDFs in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
