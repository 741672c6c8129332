"""Material for instructors, generated from the same registry, data and models as the book.

* :func:`gallery_myst`: every registered figure (:data:`reviewfigs.figures.FIGURES`) with its downloads,
  caption, alt text, the data rows it is drawn from and a one-line citation for a slide.
* :data:`PROBLEMS` / :func:`problems_myst`: exercises that combine chapters; every numeric answer
  is computed here from ``data/`` and :mod:`reviewfigs.models`, never typed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import models
from .analysis import lifespans
from .analysis import practical as analysis_practical
from .data.load import Review
from .figures import FIGURES
from .format import display_value
from .vocab import BOOK_TITLE, BOUNDS

GALLERY_DIR = "gallery"  # beside the pages in the built site: _build/html/gallery/<name>.svg|png
REVIEW_CITATION = "Wang Y N et al., New Carbon Materials 2023, 38(4): 623-640"
#: the reuse licence of the book's text and figures (the code is MIT)
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


# ---------------------------------------------------------------------------- figures
def reference_numbers(review: Review, rows: pd.DataFrame) -> list[str]:
    """The review's reference numbers ([n]) of the studies behind some rows, in order."""
    keys = rows["bibkey"] if "bibkey" in rows else review.studies.set_index("study").loc[rows["study"].unique(), "bibkey"]
    numbers = sorted({n for k in keys if (n := review.bib[k].number)})
    return [str(n) for n in numbers]


def slide_citation(review: Review, name: str) -> str:
    """One line to paste under a slide."""
    refs = reference_numbers(review, FIGURES[name].sources(review).rows)
    data = f"; data from refs. [{', '.join(refs)}] of the review" if refs else ""
    return (f"Redrawn after {REVIEW_CITATION}{data}. From the companion book \"{BOOK_TITLE}\" (reviewfigs), "
            f"{LICENCE}.")


def figure_title(caption: str) -> str:
    """A heading from a caption: its first clause, without markup, at most about 64 characters."""
    text = re.sub(r"`([^`]*)`", r"\1", " ".join(caption.split()))
    text = re.split(r"(?<!Sect)(?<!Fig)(?<!Ref)(?<!\bal)\.\s|:\s|\s\(|;\s", text)[0].rstrip(".")
    if len(text) > 64:
        text = text[:64].rsplit(" ", 1)[0] + " …"
    return text


def gallery_myst(review: Review, prefix: str = "../") -> str:
    """MyST for the gallery page: the licence, then one section per registered figure."""
    out = [f"All figures may be reused under [{LICENCE}]({LICENCE_URL}): credit the companion book and the review, "
           "as in the attribution line under each figure.\n"]
    for i, (name, spec) in enumerate(FIGURES.items(), start=1):
        src = spec.sources(review)
        alt = spec.alt(review)
        base = f"{prefix}{GALLERY_DIR}/{name}"
        rows = src.rows
        ids = ", ".join(rows["id"]) if "id" in rows and len(rows) else ""
        shown = f"{{doc}}`{spec.page}`"
        files = ", ".join(f"`{f}`" for f in src.files)
        out.append(f"## {i}. {figure_title(spec.caption)}\n")
        preview = f"{prefix}{GALLERY_DIR}/preview/{name}.png"
        out.append(f'<a href="{base}.svg"><img class="gallery-figure" src="{preview}" alt="{html.escape(alt, quote=True)}" '
                   'loading="lazy" width="100%"></a>\n')
        out.append(f'Download: <a href="{base}.svg" download>SVG</a> · <a href="{base}.png" download>PNG</a> · '
                   f"shown in: {shown}\n")
        out.append(f"**Caption.** {spec.caption}\n")
        data = f"{files}: {src.what}" if files else src.what
        out.append(f"**Data.** {data}" + (f" ({len(rows)} rows: {ids})." if ids else ".") + "\n")
        out.append(f"~~~{{admonition}} Alt text\n:class: dropdown\n\n{html.escape(alt, quote=True)}\n~~~\n")
        out.append(f'<p class="attribution"><strong>Attribution ({LICENCE}):</strong> '
                   f"{html.escape(slide_citation(review, name), quote=True)}</p>\n")
    return "\n".join(out)


#: width (px) of the image the gallery page shows; the download is the full-size PNG (>= 1920 px) or the SVG
PREVIEW_WIDTH = 900


def write_gallery(review: Review, outdir: Path, cache: Path | None = None) -> list[Path]:
    """Every registered figure as SVG and PNG (and alt.json) under ``outdir/gallery``; figures whose inputs
    and code are unchanged are copied from ``cache`` (see :func:`reviewfigs.figures.render_all`). Plus a
    smaller preview PNG per figure for the gallery page itself (so the page stays light on a phone)."""
    import io

    from PIL import Image

    from .figures import render_all
    from .files import write_atomic

    folder = Path(outdir) / GALLERY_DIR
    written = render_all(review, folder, cache=cache)
    for name in FIGURES:
        with Image.open(folder / f"{name}.png") as full:
            small = full.resize((PREVIEW_WIDTH, round(full.height * PREVIEW_WIDTH / full.width)), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        small.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG", optimize=True)
        write_atomic(folder / "preview" / f"{name}.png", buffer.getvalue())
        written.append(folder / "preview" / f"{name}.png")
    return written


# ---------------------------------------------------------------------------------- problems
class Problem(NamedTuple):
    """A problem that combines chapters. ``statement`` and ``answer`` take the review and return MyST;
    every number in them is computed (from ``data/`` or :mod:`reviewfigs.models`), never typed."""

    label: str
    chapters: tuple[str, ...]
    statement: Callable[[Review], str]
    answer: Callable[[Review], str]


def _row(review: Review, mid: str) -> pd.Series:
    return review.tidy().set_index("id", drop=False).loc[mid]


def _threshold(review: Review, quantity: str) -> float:
    return float(review.thresholds.set_index("quantity").loc[quantity, "value"])


def _g(x: float, digits: int = 3) -> str:
    """Significant digits, without exponents for the sizes a student meets (3.9e+06 -> 3900000)."""
    x = float(x)
    return f"{x:.0f}" if abs(x) >= 10 ** digits else f"{x:.{digits}g}"


def _p_sand(review):
    r = _row(review, "m006")
    j, al = float(r["current_density"]), 8.0
    return j, al, float(models.sand_time(j)), float(models.sand_time_host(j, al))


def _p_spare(review):
    r = _row(review, "m006")
    ce = float(r["value_fraction"])
    return ce, {np_: float(models.cycle_life(ce, np_)) for np_ in (1.0, 2.0, 3.0)}


def _ghga_full(review):
    """G-HGA's full cell (m093) against its half cell (m089): retention, cycles, the CE the retention needs."""
    full, half = _row(review, "m093"), _row(review, "m089")
    np_ratio, cycles = float(full["np_ratio"]), float(full["at_cycle"])
    ce_needed = 1 - np_ratio / cycles  # models.cycle_life (lithiated) = cycles, solved for CE, as in Ex. ex-dual-np
    return float(full["value"]), cycles, ce_needed, np_ratio, float(half["value"])


def _p_throughput(review):
    life = lifespans.symmetric_lifespans(review.tidy()).sort_values("hours", ascending=False).iloc[0]
    # half of the test's time plates on a given electrode, the other half strips from it
    plated = float(life["hours"]) * float(life["current_density"]) / 2  # mAh/cm² plated on each electrode
    return life, float(models.li_thickness_um(float(life["areal_capacity"]))), plated, float(models.li_thickness_um(plated))


def _p_loading(review):
    """The practical-gap verdicts (``analysis.practical.meets`` with thresholds.csv's comparator)."""
    gap = analysis_practical.practical_gap(review)
    threshold = review.thresholds.set_index("quantity").loc["cathode_areal_capacity"]
    verdict = gap["meets_cathode_areal_capacity"]
    judged = gap[verdict.notna()]
    best = judged.loc[judged["cathode_capacity_judged"].idxmax()]
    return {"cells": len(gap), "judged": len(judged), "meet": int((verdict == True).sum()),  # noqa: E712
            "comparator": threshold["comparator"], "threshold": float(threshold["value"]), "best": best}


def _p_energy(review):
    qc, li, ec = (_threshold(review, q) for q in ("cathode_areal_capacity", "anode_li", "electrolyte_amount"))
    base = float(models.cell_energy_density(qc, li / qc, ec))
    lean = float(models.cell_energy_density(qc, 1.0, ec))
    host = float(models.cell_energy_density(qc, li / qc, ec, host_mass=4.0))
    return qc, li, ec, base, lean, host


def _p_ce_needed(review):
    qc, li = _threshold(review, "cathode_areal_capacity"), _threshold(review, "anode_li")
    np_ratio, target = li / qc, 1000
    ce_lith = 1 - np_ratio / target              # n = (N/P)/(1 - CE) solved for CE
    ce_excess = 1 - (np_ratio - 1) / target      # n = (N/P - 1)/(1 - CE)
    return np_ratio, target, ce_lith, ce_excess


def _best_ce(review) -> float:
    t = review.tidy()
    return float(t.loc[t["quantity"] == "average_ce", "value"].max())


def _p_families(review):
    tidy = review.tidy()
    life = lifespans.symmetric_lifespans(tidy)
    family = life["study"].map(tidy.drop_duplicates("study").set_index("study")["gradient"])
    return life.groupby(family)["hours"].agg(["median", "max", "count"])


def _p_profile(review):
    out = {}
    for sigma in (1000.0, 0.1):
        p = models.deposition_profile(models.Host.uniform(sigma_eff=sigma, specific_area=1e6))
        out[sigma] = (float(p.bottom_fraction), float(p.depth[p.rate.argmax()]))
    return out


def _p_hgap(review):
    host, li = _row(review, "m088"), _row(review, "m093")
    li_um = float(models.li_thickness_um(float(li["anode_li"])))
    return host, li, li_um


PROBLEMS: list[Problem] = [
    Problem("pr-sand-host", ("introduction", "lithiophilicity", "models"),
            lambda rv: (f"GSCP's average CE was measured at {_g(_p_sand(rv)[0])} mA/cm² (data row m006). "
                        "Compute Sand's time at this current for a flat foil with `models.sand_time`, then inside a "
                        f"host of roughness factor $aL$ = {_g(_p_sand(rv)[1])} with `models.sand_time_host`. By what "
                        "factor does the host delay dendrite onset, and why is the answer $(aL)^2$?"),
            lambda rv: (lambda j, al, flat, host: (
                f"Flat foil: $t_\\mathrm{{S}}$ = {_g(flat)} s ({_g(flat / 3600)} h). In the host: {_g(host)} s "
                f"({_g(host / 3600)} h), {_g(host / flat)} times longer, because the local current density is "
                f"$J/(aL)$ and $t_\\mathrm{{S}} \\propto 1/J^2$."))(*_p_sand(rv))),
    Problem("pr-spare-li", ("lithiophilicity", "dual", "models"),
            lambda rv: (f"Suppose a full cell with a lithiated cathode kept GSCP's half-cell average CE "
                        f"({_g(100 * _p_spare(rv)[0])} %, row m006). With `models.cycle_life`, how many cycles does the "
                        "spare lithium last at N/P = 1, 2 and 3? Is a half-cell CE an optimistic or a pessimistic "
                        "input for a full cell? Compare G-HGA (row m093 against row m089)."),
            lambda rv: (lambda ce, n: (
                "; ".join(f"N/P = {_g(k)}: {_g(v)} cycles" for k, v in n.items())
                + ". The cycles grow in proportion to N/P and to $1/(1-\\mathrm{CE})$. It can err either way. "
                  "Optimistic: a full cell runs higher capacities with lean electrolyte, which a half cell with a "
                  "flooded electrolyte and a thick Li counter electrode does not test. Pessimistic: a full cell "
                  "may sit under stack pressure and start from a lithiated host, and a Cu or bare-host half cell "
                  f"also pays for its first SEI. G-HGA's full cell kept {_g(_ghga_full(rv)[0])} % over "
                  f"{_g(_ghga_full(rv)[1])} cycles, which needs an average CE of at least "
                  f"{_g(100 * _ghga_full(rv)[2], 4)} % at N/P = {_g(_ghga_full(rv)[3])}, above its half-cell "
                  f"{_g(_ghga_full(rv)[4])} %."))(*_p_spare(rv))),
    Problem("pr-throughput", ("introduction", "conductivity", "comparisons"),
            lambda rv: (lambda life, *_: (
                f"The longest symmetric-cell test in the data is {life['study']} ("
                f"{BOUNDS[life['bound']].words}{_g(life['hours'])} h"
                + (f", converted from {BOUNDS[life['bound']].words}{_g(life['cycles'])} cycles"
                   if life["converted"] else "")
                + f", at "
                f"{_g(life['current_density'])} mA/cm² and {_g(life['areal_capacity'])} mAh/cm²). How thick is the "
                "layer of lithium plated in one cycle (`models.li_thickness_um`)? How much charge per cm², and how "
                "many micrometres of dense lithium, does each electrode plate over the whole test?"))(*_p_throughput(rv)),
            lambda rv: (lambda life, per_cycle, plated, plated_um: (
                f"Per cycle: {_g(per_cycle)} µm. Over the test each electrode plates at least {_g(plated)} mAh/cm² "
                f"(half of the time at {_g(life['current_density'])} mA/cm²), equivalent to {_g(plated_um)} µm "
                "of dense lithium, and strips as much; that is far more than a host's thickness, so the host is "
                "emptied and refilled many times."))(*_p_throughput(rv))),
    Problem("pr-loading-gap", ("lithiophilicity", "conductivity", "dual", "table1", "outlook"),
            lambda rv: (lambda r: (
                f"Across the whole book, how many full cells exceed the review's cathode threshold "
                f"({r['comparator']} {_g(r['threshold'])} mAh/cm², the review's own comparator) once loadings in "
                "mg/cm² are converted (`rf.practical_gap`, which judges a cell on its delivered capacity where the "
                "review reports one)? Which cell has the highest judged capacity?"))(_p_loading(rv)),
            lambda rv: (lambda r: (
                f"{r['meet']} of the {r['judged']} full cells whose cathode capacity is known exceed it "
                f"({r['cells']} full cells in all; {r['cells'] - r['judged']} not reported). The closest is "
                f"{r['best']['cell']} at {_g(r['best']['cathode_capacity_judged'])} mAh/cm² "
                f"({'delivered' if r['best']['judged_on'] == 'delivered' else 'from its loading'}), "
                f"which is not {r['comparator']} {_g(r['threshold'])}."))(_p_loading(rv))),
    Problem("pr-energy-budget", ("models", "outlook"),
            lambda rv: (lambda qc, li, ec, *_: (
                f"Take a cell exactly at the review's three thresholds: NCM811 at {_g(qc)} mAh/cm², {_g(li)} mAh/cm² of "
                f"lithium, E/C = {_g(ec)} g/Ah. Compute its specific energy with `models.cell_energy_density`. What "
                "does it gain at N/P = 1, and what does a 4 mg/cm² carbon host cost?"))(*_p_energy(rv)),
            lambda rv: (lambda qc, li, ec, base, lean, host: (
                f"Threshold cell: {_g(base)} Wh/kg. At N/P = 1: {_g(lean)} Wh/kg ({_g(lean - base, 2)} more). With "
                f"the host: {_g(host)} Wh/kg ({_g(base - host, 2)} less)."))(*_p_energy(rv))),
    Problem("pr-ce-needed", ("dual", "models", "outlook"),
            lambda rv: (lambda np_ratio, target, *_: (
                f"At the review's limits (Li over cathode capacity = N/P = {_g(np_ratio)}), what average CE does a cell "
                f"need for {target} cycles before its spare lithium runs out, with a lithiated cathode and with a "
                "Li-free one? Compare with the CEs the hosts report."))(*_p_ce_needed(rv)),
            lambda rv: (lambda np_ratio, target, lith, excess: (
                f"Lithiated cathode: CE = 1 − (N/P)/n = {_g(100 * lith, 5)} %. Li-free cathode: "
                f"CE = 1 − (N/P − 1)/n = {_g(100 * excess, 5)} %. The highest average CE in the data is "
                f"{_g(_best_ce(rv), 4)} %."))(*_p_ce_needed(rv))),
    Problem("pr-family-hours", ("lithiophilicity", "conductivity", "dual", "comparisons"),
            lambda rv: ("Put every symmetric-cell test on one time axis (`rf.analysis.symmetric_lifespans`, "
                        "which converts cycles to hours with $2Q/J$). What is the median and the longest lifespan "
                        "of each gradient family? Does the ranking survive if you ask at which $J$ and $Q$ the "
                        "longest tests ran?"),
            lambda rv: "; ".join(f"{g}: median {_g(r['median'])} h, longest {_g(r['max'])} h ({int(r['count'])} tests)"
                                 for g, r in _p_families(rv).iterrows()) + "."),
    Problem("pr-profile-sigma", ("conductivity", "models"),
            lambda rv: ("A uniform host (`models.Host.uniform(specific_area=1e6)`) is made of a good conductor "
                        "($\\sigma_\\mathrm{eff}$ = 1000 S/m) or of a poor one (0.1 S/m). For each, compute the "
                        "bottom-half fraction and the depth of peak plating with `models.deposition_profile`. "
                        "Relate the result to the principle of Sect. 2.2."),
            lambda rv: " ".join(f"σ_eff = {_g(s)} S/m: bottom-half fraction {_g(bf, 2)}, peak at z = {_g(z, 2)}."
                                for s, (bf, z) in _p_profile(rv).items())
            + " When the scaffold conducts worse than the electrolyte, plating moves to the collector side."),
    Problem("pr-hga-room", ("introduction", "dual", "outlook"),
            lambda rv: (lambda host, li, li_um: (
                f"G-HGA is {display_value(host, unit=False)} µm thick (row m088); its full cell pre-stores "
                f"{_g(li['anode_li'])} mAh/cm² of lithium (row m093). How thick is that lithium as a dense layer? Can "
                "the host hold it in its pores, and what does that imply for where the lithium sits?"))(*_p_hgap(rv)),
            lambda rv: (lambda host, li, li_um: (
                f"Dense Li: {_g(li_um)} µm, against a host of {display_value(host, unit=False)} µm: "
                + ("even a host that were all pore (porosity 1) could not hold it, so most of the lithium sits as a "
                   "layer beside the host."
                   if li_um > float(host["value_max"] if pd.notna(host["value_max"]) else host["value"]) else "the host could hold it if its porosity is high enough.")))(*_p_hgap(rv))),
]


def exercises(root: Path) -> list[tuple[str, str, str]]:
    """Every exercise of the chapters: (chapter, label, statement in MyST), in table-of-contents order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [e["file"] for part in toc.get("parts", []) for e in part.get("chapters", [])]
    found = []
    block = re.compile(r"^(`{3,})\{exercise\}\n:label: ([\w-]+)\n(.*?)^\1\s*$", re.M | re.S)
    for f in files:
        path = root / f"{f}.md"
        if path.stem == "problems" or not path.is_file():
            continue
        for _, label, body in block.findall(path.read_text(encoding="utf-8")):
            found.append((path.stem, label, body.strip()))
    return found


def chapter_title(root: Path, stem: str) -> str:
    """The title of a chapter (its first ``# `` heading), as the book shows it."""
    text = (root / "chapters" / f"{stem}.md").read_text(encoding="utf-8")
    found = re.search(r"^# (.+)$", text, re.M)
    return found.group(1).strip() if found else stem


def plain(myst: str) -> str:
    """Roles that only resolve inside the book become plain text (slides, answer key, handout)."""
    myst = re.sub(r"\{(?:ref|doc|term)\}`([^`<]*?)\s*<[^`>]+>`", r"\1", myst)
    myst = re.sub(r"\{(?:ref|doc|term|cite:p|cite:t|cite)\}`([^`]+)`", r"\1", myst)
    return myst


#: the three forms of the problem set: the book page (links), the answer key, the student handout
PAGE, KEY, HANDOUT = "page", "key", "handout"
ANSWER_SPACE = '<div class="answer-space" aria-hidden="true"></div>'


def problems_myst(review: Review, root: Path, mode: str = PAGE) -> str:
    """The problem set: every chapter exercise, numbered as the book numbers them (Exercise 1, 2, ... in
    table-of-contents order), then the combined problems. ``mode``: :data:`PAGE` links each exercise to
    its worked solution; :data:`KEY` adds the computed answers; :data:`HANDOUT` leaves space to answer."""
    if mode not in (PAGE, KEY, HANDOUT):
        raise ValueError(f"problems_myst: mode must be one of {PAGE!r}, {KEY!r}, {HANDOUT!r}, not {mode!r}")
    linked = mode == PAGE
    out = ["## Exercises of the chapters\n"]
    chapter = None
    for number, (stem, label, body) in enumerate(exercises(root), start=1):
        if stem != chapter:
            out.append(f"### {{doc}}`{stem}`\n" if linked else f"### {chapter_title(root, stem)}\n")
            chapter = stem
        if linked:
            out.append(f"**{{ref}}`{label}`.** {body}\n")
            continue
        # outside the book the chapter's text is not "above" the exercise
        out.append(f"**Exercise {number}.** {plain(body).replace(' quoted above', ' quoted in the chapter')}\n")
        if mode == KEY:
            out.append(f"> **Answer.** Worked solution in the book, chapter *{chapter_title(root, stem)}*, "
                       f"under Exercise {number}.\n")
        else:
            out.append(ANSWER_SPACE + "\n")
    out.append("## Problems that combine chapters\n")
    for i, p in enumerate(PROBLEMS, start=1):
        where = ", ".join((f"{{doc}}`{c}`" if linked else chapter_title(root, c)) for c in p.chapters)
        out.append(f"**Problem {i}** ({where}). {p.statement(review)}\n")
        if mode == KEY:
            out.append(f"> **Answer.** {p.answer(review)}\n")
        elif mode == HANDOUT:
            out.append(ANSWER_SPACE + "\n")
    return "\n".join(out)
