"""One reveal.js deck per chapter, built offline with sphinx-revealjs from the same sources as the book.

Each deck: a title slide, the chapter's learning objectives, an outline (the chapter's sections), every
figure of the chapter (the figure registry's SVG, one per slide, as large as the slide allows; the
caption goes to the speaker notes), its main numbers with units, and its exercises, each slide with speaker notes
(press S). Math is typeset by the book's offline MathJax; reveal.js is bundled by sphinx-revealjs, so the
decks need no network and open from ``file://`` as well as from the site. The outline's notes quote the
built chapter pages (numbers resolved), so ``make book`` builds the book first. Output: ``_build/html/slides/<chapter>.html``.

    python tools/slides.py              # what `make slides` runs
    python tools/slides.py --if-changed # what `make book` runs: nothing when no input changed
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from bs4 import BeautifulSoup

from reviewfigs import plots, teaching
from reviewfigs.data.load import Review, find_root
from reviewfigs.data.load import review as load
from reviewfigs.figures import FIGURES, figure_files
from reviewfigs.files import tree_digest, write_atomic
from reviewfigs.sphinxext import MATHJAX_COMBINED, copy_mathjax
from reviewfigs.teaching import LICENCE, chapter_title, figure_title, plain
from reviewfigs.text.myst import escape

DECKS = ("introduction", "lithiophilicity", "conductivity", "dual", "models", "outlook", "comparisons", "table1")
#: the deck's logical size (16:9); reveal.js scales it to the screen (x1.5 at 1920x1080)
WIDTH, HEIGHT = 1280, 720
CONF = f"""\
project = "Gradient hosts: slides"
extensions = ["myst_parser", "sphinx_revealjs", "sphinx.ext.mathjax"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
mathjax_path = "mathjax/{MATHJAX_COMBINED}"
revealjs_style_theme = "white"
revealjs_script_conf = {{"hash": True, "slideNumber": "c/t", "center": False, "width": {WIDTH}, "height": {HEIGHT},
                        "margin": 0.04, "transition": "none"}}
revealjs_script_plugins = [{{"name": "RevealNotes", "src": "revealjs/plugin/notes/notes.js"}}]
revealjs_css_files = ["slides.css"]
revealjs_static_path = ["_static"]
html_static_path = []
html_favicon = "favicon.svg"
suppress_warnings = ["myst.xref_missing", "myst.header"]
"""
CSS = """\
.reveal { font-size: 30px; }
.reveal h1 { font-size: 1.25em; margin-bottom: 0.4em; text-transform: none; }
.reveal p, .reveal li { font-size: 0.9em; line-height: 1.3; }
.reveal img.slide-figure { display: block; margin: 0 auto; height: 590px; width: auto; max-width: 100%; object-fit: contain; background: #fff; }
.reveal p.slide-cite { font-size: 15px; color: #444; margin: 0.3em 0 0; text-align: center; }
.reveal table { font-size: 20px; margin: 0 auto; }
.reveal table th, .reveal table td { padding: 0.25em 0.5em; }
.reveal .subtitle { font-size: 0.8em; color: #333; }
"""


def chapter_objectives(root: Path, name: str) -> list[str]:
    """The bullet points of the chapter's 'Learning objectives' block."""
    text = (root / "chapters" / f"{name}.md").read_text(encoding="utf-8")
    block = re.search(r"^```\{admonition\} Learning objectives\n(.*?)^```\s*$", text, re.M | re.S)
    return [line[2:].strip() for line in block.group(1).splitlines() if line.startswith("- ")] if block else []


def chapter_sections(site: Path, name: str) -> list[tuple[str, str]]:
    """(heading, first sentence of its first paragraph) of each section of a built chapter page, as text."""
    soup = BeautifulSoup((site / "chapters" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    out = []
    for heading in soup.select("main section > h2, article section > h2"):
        title = " ".join(heading.get_text(" ").replace("#", "").split())
        paragraph = heading.find_next_sibling("p")
        first = " ".join(paragraph.get_text(" ").split()) if paragraph else ""
        sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z])", first)[0] if first else ""
        out.append((title, sentence))
    return out


class SlideFigure(NamedTuple):
    """A figure of a deck: its file in the deck, caption and alt text (from the figure registry)."""

    file: str
    caption: str
    alt: str


def deck_figures(review: Review, name: str, figs: Path) -> list[SlideFigure]:
    """Every registered figure of a chapter (the registry's ``page``), written into the deck as SVG."""
    found = []
    for fig, spec in FIGURES.items():
        if spec.page != name:
            continue
        svg, _png = figure_files(review, fig)
        (figs / f"{fig}.svg").write_bytes(svg)
        found.append(SlideFigure(f"figs/{fig}.svg", spec.caption, spec.alt(review)))
    return found


def _table(df: pd.DataFrame) -> str:
    cols = [str(c).replace("\n", " ") for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, row in df.iterrows():
        cells = ["–" if (not isinstance(v, str) and pd.isna(v)) else (f"{v:g}" if isinstance(v, float) else str(v)) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def family_numbers(review: Review, gradient: str) -> pd.DataFrame:
    """Each study's four headline numbers, with their units, as the family figure shows them."""
    tidy = review.tidy()
    out = pd.DataFrame({"Study": plots.family_table(tidy, gradient)["study"]})
    for metric in plots.METRICS:
        picked = metric.pick(tidy).drop_duplicates("study").set_index("study")
        title = metric.title.replace("\n", " ")
        # the text the figure prints; a bare count is a number of cycles
        texts = picked["text"].map(lambda t: t if re.search(r"[^\d.,\s<>~≈]", t) else f"{t} cycles")
        out[title] = [texts.get(s, "not reported") for s in out["Study"]]
    return out


def main_numbers(review: Review, name: str) -> tuple[str, str, str]:
    """(title, Markdown table, speaker note) of the deck's slide of main numbers, computed from the data."""
    if name in ("lithiophilicity", "conductivity", "dual"):
        return ("Headline numbers of each study", _table(family_numbers(review, name)),
                "Best half-cell CE, longest symmetric-cell test, longest full-cell test and its retention, each "
                "with its unit, from data/measurements.csv; the chapter gives the conditions of each.")
    if name in ("outlook", "table1", "introduction"):
        th = review.thresholds
        rows = pd.DataFrame({"Practical condition (the review's)": th["label"], "Source in the review": th["source"]})
        gap = teaching._p_loading(review)
        return ("The review's practical conditions", _table(rows) + (
                f"\n\nFull cells exceeding the cathode threshold ({gap['comparator']} {gap['threshold']:g} mAh/cm²): "
                f"{gap['meet']} of the {gap['judged']} with a known capacity ({gap['cells']} full cells in all)."),
                "The three conditions a practical lithium metal cell must meet, as the review states them, and how "
                "many of the full cells in the data meet the cathode one.")
    if name == "models":
        j, al, flat, host = teaching._p_sand(review)
        qc, li, ec, base, lean, _host_e = teaching._p_energy(review)
        rows = pd.DataFrame({
            "Quantity": [f"Sand's time, flat foil, J = {j:g} mA/cm²", f"Sand's time in a host, aL = {al:g}",
                         "Specific energy at the three thresholds", "Same cell at N/P = 1"],
            "Value": [f"{flat / 3600:.1f} h", f"{host / 3600:.0f} h", f"{base:.0f} Wh/kg", f"{lean:.0f} Wh/kg"]})
        return ("Main numbers from the models", _table(rows),
                "Computed by reviewfigs.models from the data: Sand's time scales as 1/J², so a host of roughness aL "
                "delays it by (aL)²; the specific energies use the review's thresholds.")
    families = teaching._p_families(review)
    rows = pd.DataFrame({"Family": families.index, "Median lifespan": [f"{v:.0f} h" for v in families["median"]],
                         "Longest": [f"{v:.0f} h" for v in families["max"]], "Tests": families["count"].astype(int)})
    return ("Symmetric-cell lifespans by family", _table(rows),
            "Every symmetric-cell test on one time axis (cycles converted to hours with 2Q/J). The tests ran at "
            "different J and Q, so the ranking is a summary, not a verdict.")


def slide_text(myst: str) -> str:
    """An exercise's MyST for a slide: roles as plain text, code cells as plain code blocks (not run)."""
    text = re.sub(r"^(`{3,}|~{3,})\{code-cell\}[^\n]*\n(?::[^\n]*\n)*", r"\1python\n", plain(myst), flags=re.M)
    return text


def table1_slides(review: Review, rows_per_slide: int = 4) -> list[tuple[str, str, str]]:
    """Table 1 a few rows per slide, then the review's self-contradictions: (title, MyST, note) each."""
    from reviewfigs.text.interactive import table1_frame

    frame = table1_frame(review)
    columns = [c for c in frame.columns if c not in ("Type", "Electrolyte", "Discrepancies")]
    shown = frame[columns].map(lambda v: escape(str(v)))
    out = []
    for start in range(0, len(frame), rows_per_slide):
        part = shown.iloc[start:start + rows_per_slide]
        out.append((f"Table 1, rows {start + 1}–{start + len(part)} of {len(frame)}", _table(part),
                    "Rebuilt from data/measurements.csv; a ‡ marks an entry where the review disagrees with itself "
                    "(next slides). The electrolyte of each cell is on the book's Table 1 page."))
    disc = review.discrepancies
    for start in range(0, len(disc), 2):
        items = "\n".join(f"- **‡{escape(r['id'])}** ({escape(r['study'])}): {escape(r['note'])}"
                          for _, r in disc.iloc[start:start + 2].iterrows())
        out.append(("Where the review disagrees with itself", items,
                    "Each disagreement is recorded in data/discrepancies.csv; the book keeps both values, each with "
                    "the place in the review it comes from."))
    return out


def _notes(text: str) -> str:
    return f":::{{revealjs-notes}}\n{' '.join(text.split())}\n:::\n"


def deck_markdown(review: Review, root: Path, name: str, figures: list[SlideFigure]) -> str:
    """The MyST source of one deck."""
    title = chapter_title(root, name)
    out = [f"# {title}\n",
           f'<p class="subtitle">Companion to {html.escape(teaching.REVIEW_CITATION)}<br>'
           f"Slides generated from the book's sources and data. Text and figures: {LICENCE}.</p>\n",
           _notes(f"This deck follows the chapter '{title}' of the companion book. Every number and figure is "
                  "rebuilt from the book's data, so it matches the page. Press S for these notes, F for full "
                  "screen, Esc for the overview.")]
    objectives = chapter_objectives(root, name)
    out.append("# Learning objectives\n\nAfter this chapter you can:\n")
    out += [f"- {plain(o)}" for o in objectives] + [""]
    out.append(_notes("Read the objectives out; come back to them at the end: each exercise in this deck "
                      "practises one of them."))
    sections = chapter_sections(root / "_build" / "html", name)
    if sections:
        out.append("# What this chapter covers\n")
        out += [f"- {escape(h)}" for h, _ in sections] + [""]
        out.append(_notes(" ".join(f"{escape(h)}: {escape(first)}" for h, first in sections if first) or
                          "The sections of the chapter, in order."))
    for fig in figures:
        out.append(f"# {figure_title(fig.caption) or title}\n")
        alt = html.escape(" ".join(fig.alt.split()), quote=True)
        out.append(f'<img class="slide-figure" src="{fig.file}" alt="{alt}">\n')
        out.append(f'<p class="slide-cite">Companion book to {html.escape(teaching.REVIEW_CITATION)} '
                   f"(reviewfigs), {LICENCE}; the figure's sources are in its notes and in the book's gallery.</p>\n")
        out.append(_notes(f"Caption: {escape(fig.caption)} Description: {escape(fig.alt)}"))
    table_title, table, note = main_numbers(review, name)
    out.append(f"# {table_title}\n\n{table}\n")
    out.append(_notes(note))
    for slide_title, body, slide_note in (table1_slides(review) if name == "table1" else []):
        out.append(f"# {slide_title}\n\n{body}\n")
        out.append(_notes(slide_note))
    numbered = list(enumerate(teaching.exercises(root), start=1))
    mine = [(n, body) for n, (stem, _label, body) in numbered if stem == name]
    for n, body in mine:
        out.append(f"# Exercise {n}\n\n{slide_text(body)}\n")
        out.append(_notes(f"Exercise {n} of the book's problem set; the worked solution is under the exercise in "
                          "the chapter. Give the class a few minutes, then take answers."))
    for i, problem in enumerate(teaching.PROBLEMS, start=1):
        if name in problem.chapters:
            out.append(f"# Problem {i}\n\n{slide_text(problem.statement(review))}\n")
            out.append(_notes(f"Problem {i} of the problem set combines this chapter with others; its answer, computed "
                              "from the data, is in the instructors' answer key (make answers)."))
    return "\n".join(out)


def build_slides(root: Path, target: Path) -> dict[str, int]:
    """Write every deck into ``target`` (e.g. _build/html/slides); return slides per deck."""
    site = root / "_build" / "html"
    if not (site / "chapters").is_dir():
        raise SystemExit(f"no built book at {site}: the decks quote the built chapters, run `make book` first")
    review = load(root)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        (src / "_static").mkdir(parents=True)
        (src / "figs").mkdir()
        (src / "conf.py").write_text(CONF, encoding="utf-8")
        (src / "_static" / "slides.css").write_text(CSS, encoding="utf-8")
        shutil.copyfile(root / "_static" / "favicon.svg", src / "favicon.svg")
        copy_mathjax(src / "_static" / "mathjax")
        for name in DECKS:
            figures = deck_figures(review, name, src / "figs")
            (src / f"{name}.md").write_text(deck_markdown(review, root, name, figures), encoding="utf-8")
        (src / "index.md").write_text("# Slides\n\n```{toctree}\n" + "\n".join(DECKS) + "\n```\n", encoding="utf-8")
        subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "revealjs", "-W", str(src), str(out)], check=True)
        shutil.copytree(src / "figs", out / "figs", dirs_exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(out, target, ignore=shutil.ignore_patterns(".doctrees", ".buildinfo", "objects.inv", "_sources"))
    counts = {}
    for name in DECKS:
        html_text = (target / f"{name}.html").read_text(encoding="utf-8")
        counts[name] = _count_slides(html_text)
    return counts


def _count_slides(html: str) -> int:
    """Slides of a deck: sections that hold no nested section."""
    
    soup = BeautifulSoup(html, "html.parser")
    return sum(1 for s in soup.select("div.slides section") if not s.find("section"))


#: what the decks are made from: a change to any of these files rebuilds them
INPUTS = ("chapters/*.md", "data/*.csv", "references.bib", "src/reviewfigs/**/*.py", "tools/slides.py",
          "_static/favicon.svg", "_build/html/chapters/*.html")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="One reveal.js deck per chapter into _build/html/slides/")
    parser.add_argument("--if-changed", action="store_true", help="do nothing when the inputs are unchanged")
    args = parser.parse_args(argv)
    root = find_root()
    target = root / "_build" / "html" / "slides"
    stamp = root / "_build" / ".stamps" / "slides.sha256"
    digest = tree_digest(root, INPUTS)
    if args.if_changed and stamp.is_file() and stamp.read_text() == digest and all(
            (target / f"{name}.html").is_file() for name in DECKS):
        print(f"slides up to date: {target}")
        return 0
    start = time.perf_counter()
    counts = build_slides(root, target)
    write_atomic(stamp, digest)
    took = time.perf_counter() - start
    for name, n in counts.items():
        print(f"slides/{name}.html: {n} slides")
    print(f"{len(counts)} decks in {took:.1f} s -> {root / '_build' / 'html' / 'slides'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
