"""Instructors' PDFs, printed offline by chromium (as tools/pdf.py prints the book), math rendered by
the book's own offline MathJax.

* ``_build/html/downloads/problems.pdf``: the student handout. Every exercise and problem, numbered as
  in the book, with space to answer under each. Published with the site; the problem set links to it.
  ``make book`` writes it (``--handout``), only when its inputs changed.
* ``_build/answers/answer-key.pdf``: the same numbering with the answers, computed by
  :mod:`reviewfigs.teaching` from ``data/`` and :mod:`reviewfigs.models`. Written outside the site; no
  page links to it.

    python tools/answers.py              # both (what `make answers` runs)
    python tools/answers.py --handout    # the handout only, if its inputs changed (what `make book` runs)
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from pathlib import Path

from pdf import CHROMIUM, FLAGS  # tools/pdf.py, beside this script
from reviewfigs import teaching
from reviewfigs.data.load import find_root
from reviewfigs.data.load import review as load
from reviewfigs.files import tree_digest, write_atomic
from reviewfigs.sphinxext import MATHJAX_COMBINED, mathjax_source

#: what the PDFs are made from: a change to any of these files prints them again
INPUTS = ("chapters/*.md", "_toc.yml", "data/*.csv", "references.bib", "src/reviewfigs/**/*.py", "tools/answers.py")
STYLE = ("body{font-family:sans-serif;max-width:48em;margin:auto;line-height:1.45}"
         "blockquote{border-left:4px solid #2a7;margin:0.5em 0 1.2em;padding:0.2em 1em;background:#f3faf6}"
         "code{background:#f2f2f2;padding:0 0.2em}"
         ".answer-space{height:7.5em;border:1px solid #bbb;border-radius:4px;margin:0.3em 0 1.4em;break-inside:avoid}"
         "h2{break-before:page}h2:first-of-type{break-before:auto}p{break-inside:avoid}"
         ".name{display:flex;gap:2em;margin:1em 0 2em}.name span{flex:1;border-bottom:1px solid #888;padding-bottom:0.2em}")


def _markdown(text: str) -> str:
    """MyST of the problem set as HTML; $...$ kept for MathJax (escaped), other HTML escaped by markdown-it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    def math(content: str, options) -> str:
        return f'<span class="math">\\({html.escape(content)}\\)</span>'

    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(dollarmath_plugin, renderer=math)
    body = md.render(text)
    # the one HTML block the problem set emits (an empty box to write in) is added here, not from the text
    return body.replace(html.escape(teaching.ANSWER_SPACE), teaching.ANSWER_SPACE).replace(
        f"<p>{teaching.ANSWER_SPACE}</p>", teaching.ANSWER_SPACE)


def document(root: Path, mode: str) -> str:
    """The answer key (``teaching.KEY``) or the student handout (``teaching.HANDOUT``) as one HTML page."""
    review = load(root)
    if mode == teaching.KEY:
        title = "Answer key (for instructors)"
        intro = (f"<p>{html.escape(teaching.BOOK_TITLE)}, companion to {html.escape(teaching.REVIEW_CITATION)}. "
                 "Exercises and problems are numbered as in the book's problem set. Every number below is computed "
                 "by <code>reviewfigs</code> from the book's data and models at build time. Not for distribution "
                 "to students.</p>")
    else:
        title = "Problem set"
        intro = (f"<p>{html.escape(teaching.BOOK_TITLE)}, companion to {html.escape(teaching.REVIEW_CITATION)}. "
                 "The exercises are numbered as in the book, where each chapter explains its symbols; the "
                 "notation page lists them all. Write your answers in the boxes.</p>"
                 '<div class="name"><span>Name:</span><span>Date:</span></div>')
    mathjax = (mathjax_source() / MATHJAX_COMBINED).resolve().as_uri()
    body = _markdown(teaching.problems_myst(review, root, mode))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{STYLE}</style><script defer src='{mathjax}'></script></head>"
            f"<body><h1>{title}</h1>{intro}{body}</body></html>")


def print_pdf(jobs: list[tuple[str, Path]]) -> None:
    """Print each (HTML, target PDF) with chromium, once MathJax has typeset the page."""
    import tempfile

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*FLAGS, "--allow-file-access-from-files"])
        page = browser.new_page()
        for i, (text, target) in enumerate(jobs):
            source = Path(tmp) / f"{i}.html"
            source.write_text(text, encoding="utf-8")
            page.goto(source.as_uri(), wait_until="load")
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30000)
            page.evaluate("MathJax.startup.promise")
            page.emulate_media(media="print")
            pdf = Path(tmp) / f"{i}.pdf"
            page.pdf(path=str(pdf), format="A4", print_background=True,
                     margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
            write_atomic(target, pdf.read_bytes())
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--handout", action="store_true", help="only the student handout, and only if its inputs changed")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        print(f"handout/answer key skipped: no chromium at {CHROMIUM} (run `make chromium`)")
        return 0 if args.handout else 1
    root = find_root()
    handout = root / "_build" / "html" / "downloads" / "problems.pdf"
    stamp = root / "_build" / ".stamps" / "handout.sha256"
    digest = tree_digest(root, INPUTS)
    jobs = []
    if args.handout and handout.is_file() and stamp.is_file() and stamp.read_text() == digest:
        print(f"handout up to date: {handout}")
        return 0
    jobs.append((document(root, teaching.HANDOUT), handout))
    if not args.handout:
        jobs.append((document(root, teaching.KEY), root / "_build" / "answers" / "answer-key.pdf"))
    start = time.perf_counter()
    print_pdf(jobs)
    write_atomic(stamp, digest)
    for _, path in jobs:
        print(f"{path} ({path.stat().st_size / 1e3:.0f} kB)")
    print(f"PDFs in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
