"""One reveal.js deck per chapter, built offline with sphinx-revealjs from the same sources as the book.

Each deck: a title slide, the chapter's learning objectives (read from the chapter's own block), its
key figures (the registry's PNG with caption and slide citation), its main numbers (tables computed
from ``data/``) and one exercise. reveal.js is bundled by sphinx-revealjs, so the decks need no
network and open from ``file://`` as well as from the site. Output: ``_build/html/slides/<chapter>.html``.

    python tools/slides.py              # what `make slides` runs
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from reviewfigs import plots, teaching
from reviewfigs.data.load import Review, find_root
from reviewfigs.data.load import review as load
from reviewfigs.figures import FIGURES, figure_files

DECKS = ("introduction", "lithiophilicity", "conductivity", "dual", "models", "outlook", "comparisons", "table1")
CONF = """\
project = "Gradient hosts: slides"
extensions = ["myst_parser", "sphinx_revealjs"]
myst_enable_extensions = ["colon_fence"]
revealjs_style_theme = "white"
revealjs_script_conf = {"hash": True, "slideNumber": "c/t", "center": False, "width": 1280, "height": 800}
revealjs_css_files = ["slides.css"]
revealjs_static_path = ["_static"]
html_static_path = []
html_favicon = "favicon.svg"
suppress_warnings = ["myst.xref_missing", "myst.header"]
"""
CSS = """\
.reveal { font-size: 28px; }
.reveal h1 { font-size: 1.7em; } .reveal h2 { font-size: 1.3em; }
.reveal img { max-height: 460px; background: #fff; }
.reveal table { font-size: 0.62em; }
.reveal .caption, .reveal blockquote { font-size: 0.6em; }
.reveal li { font-size: 0.85em; }
"""


def chapter_title(root: Path, name: str) -> str:
    text = (root / "chapters" / f"{name}.md").read_text(encoding="utf-8")
    return re.search(r"^# (.+)$", text, re.M).group(1).strip()


def chapter_objectives(root: Path, name: str) -> list[str]:
    """The bullet points of the chapter's 'Learning objectives' block."""
    text = (root / "chapters" / f"{name}.md").read_text(encoding="utf-8")
    block = re.search(r"^```\{admonition\} Learning objectives\n(.*?)^```\s*$", text, re.M | re.S)
    return [line[2:].strip() for line in block.group(1).splitlines() if line.startswith("- ")] if block else []


def plain(myst: str) -> str:
    """Roles that only resolve inside the book become plain text on a slide."""
    myst = re.sub(r"\{(?:ref|doc|term)\}`([^`<]*?)\s*<[^`>]+>`", r"\1", myst)
    myst = re.sub(r"\{(?:ref|doc|term|cite:p|cite:t|cite)\}`([^`]+)`", r"\1", myst)
    return myst


def _table(df: pd.DataFrame) -> str:
    df = df.copy()
    cols = [str(c).replace("\n", " ") for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, row in df.iterrows():
        cells = ["" if pd.isna(v) else (f"{v:g}" if isinstance(v, float) else str(v)) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main_numbers(review: Review, name: str) -> tuple[str, str]:
    """(title, Markdown) of the deck's slide of main numbers, computed from the data."""
    tidy = review.tidy()
    if name in ("lithiophilicity", "conductivity", "dual"):
        return "Main numbers (best of each study)", _table(plots.family_table(tidy, name))
    if name == "introduction":
        counts = review.studies.groupby("gradient").size().rename("studies").reset_index()
        return "The studies of the review, by family", _table(counts)
    if name in ("outlook", "table1"):
        th = review.thresholds[["quantity", "value", "unit"]]
        gap = teaching._p_loading(review)
        return "The review's practical conditions", _table(th) + (
            f"\n\nFull cells exceeding the cathode threshold ({gap['comparator']} {gap['threshold']:g} mAh/cm²): "
            f"{gap['meet']} of the {gap['judged']} with a known capacity ({gap['cells']} full cells in all).")
    if name == "models":
        j, al, flat, host = teaching._p_sand(review)
        qc, li, ec, base, lean, host_e = teaching._p_energy(review)
        rows = pd.DataFrame({"quantity": [f"Sand's time, flat foil, {j:g} mA/cm² (h)", f"Sand's time in a host, aL = {al:g} (h)",
                                          "specific energy at the thresholds (Wh/kg)", "same at N/P = 1 (Wh/kg)"],
                             "value": [round(flat / 3600, 1), round(host / 3600), round(base), round(lean)]})
        return "Main numbers from the models", _table(rows)
    counts = tidy.groupby("quantity").size().rename("rows").reset_index()
    return "What the data hold", _table(counts)


def deck_markdown(review: Review, root: Path, name: str, figures: list[str]) -> str:
    out = [f"# {chapter_title(root, name)}\n", "Companion to " + teaching.REVIEW_CITATION + "\n",
           "Slides generated from the book's sources and data (`make slides`).\n"]
    objectives = chapter_objectives(root, name)
    out.append("# Learning objectives\n\nAfter this chapter you can:\n")
    out += [f"- {plain(o)}" for o in objectives] + [""]
    for fig in figures:
        spec = FIGURES[fig]
        alt = spec.alt(review).replace("\n", " ").replace("]", ")").replace("[", "(")
        out.append(f"# Figure: {fig.replace('_', ' ')}\n")
        out.append(f"![{alt}](figs/{fig}.png)\n")
        out.append(f"> {plain(spec.caption)}\n>\n> *{teaching.slide_citation(review, fig)}*\n")
    title, table = main_numbers(review, name)
    out.append(f"# {title}\n\n{table}\n")
    ex = [e for e in teaching.exercises(root) if e[0] == name]
    if ex:
        out.append(f"# Exercise\n\n{plain(ex[0][2])}\n")
    else:
        problem = next(p for p in teaching.PROBLEMS if name in p.chapters)
        out.append(f"# Exercise\n\n{plain(problem.statement(review))}\n")
    return "\n".join(out)


def build_slides(root: Path, target: Path) -> dict[str, int]:
    """Write every deck into ``target`` (e.g. _build/html/slides); return slides per deck."""
    review = load(root)
    per_deck = {name: [f for f, spec in FIGURES.items() if spec.page == name] for name in DECKS}
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        (src / "_static").mkdir(parents=True)
        (src / "conf.py").write_text(CONF, encoding="utf-8")
        (src / "_static" / "slides.css").write_text(CSS, encoding="utf-8")
        shutil.copyfile(root / "_static" / "favicon.svg", src / "favicon.svg")
        for fig in sorted({f for figs in per_deck.values() for f in figs}):
            _svg, png = figure_files(review, fig)
            (src / "figs").mkdir(exist_ok=True)
            (src / "figs" / f"{fig}.png").write_bytes(png)
        names = []
        for name in DECKS:
            (src / f"{name}.md").write_text(deck_markdown(review, root, name, per_deck[name]), encoding="utf-8")
            names.append(name)
        (src / "index.md").write_text("# Slides\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", encoding="utf-8")
        subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "revealjs", "-W", str(src), str(out)], check=True)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(out, target, ignore=shutil.ignore_patterns(".doctrees", ".buildinfo", "objects.inv", "_sources"))
    counts = {}
    for name in DECKS:
        html = (target / f"{name}.html").read_text(encoding="utf-8")
        counts[name] = _count_slides(html)
    return counts


def _count_slides(html: str) -> int:
    """Slides of a deck: sections that hold no nested section."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return sum(1 for s in soup.select("div.slides section") if not s.find("section"))


def main() -> int:
    root = find_root()
    start = time.perf_counter()
    counts = build_slides(root, root / "_build" / "html" / "slides")
    took = time.perf_counter() - start
    for name, n in counts.items():
        print(f"slides/{name}.html: {n} slides")
    print(f"{len(counts)} decks in {took:.1f} s -> {root / '_build' / 'html' / 'slides'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
