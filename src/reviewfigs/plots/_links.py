"""Every data mark of a figure links to its study: a tooltip (SVG ``<title>``), an accessible name and a URL.

Plots attach a :class:`Mark` (which study, what value, which conditions, where the review says it)
to each marker with matplotlib's own URL support (``Collection.set_urls``, ``Artist.set_url``),
using a placeholder ``rfmark:<n>``. When the figure is written as SVG, :func:`linked_svg` replaces
each placeholder with the real link: the study's section in its chapter (``study-<slug>``), or,
for a study added after the review, its row on the What's new page (``new-<slug>``); the text goes
into a ``<title>`` and an ``aria-label``, the bibliography entry into ``data-rf-bib`` and the paper's DOI link, when it has one, into ``data-rf-doi``. Links are
relative to the chapters' folder, where every chapter and the bibliography live.

Nothing here needs a browser or a charting library: the SVG stays a plain, static file, and the
book adds a few lines of JS and CSS (``static/figlinks.js``, ``static/reviewfigs.css``) for the
tooltip and the keyboard focus ring.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..anchors import added_anchor, study_anchor
from ..format import paper_place
from ..vocab import BOUNDS, SECTIONS, readable_units, unit_text

MARKS_ATTR = "_reviewfigs_marks"
PLACEHOLDER = "rfmark:"
BIB_PAGE = "bibliography.html"
WHATS_NEW_PAGE = "whats_new.html"


@dataclass(frozen=True)
class Mark:
    """What one data mark stands for. ``section`` and ``bibkey`` may be left empty: the review fills them in."""

    study: str
    what: str
    conditions: str = ""
    source: str = ""
    section: str = ""
    bibkey: str = ""
    ids: tuple[str, ...] = ()


def _text(value) -> str:
    try:
        missing = value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        missing = False
    return "" if missing else str(value)


def sources_of(tidy: pd.DataFrame, ids) -> tuple[str, str, str]:
    """(sources, section, bibkey) of measurement rows given by id: where the review prints them, and whose they are."""
    ids = [i.strip() for i in (re.split(r"[;,]", ids) if isinstance(ids, str) else ids) if i.strip()]
    rows = tidy[tidy["id"].isin(ids)]
    if rows.empty:
        return "", "", ""
    sources = "; ".join(dict.fromkeys(str(v) for v in rows["source"]))
    return sources, _text(rows.iloc[0].get("section")), _text(rows.iloc[0].get("bibkey"))


def value_text(row, value: str = "value", unit: str | None = None) -> str:
    """'more than 1000 cycles', '99.0 %', '6–8 µm': a row's value with its bound and unit."""
    text = _text(row.get(f"{value}_text")) or f"{row[value]:g}"
    if pd.notna(row.get(f"{value}_max", float("nan"))):
        text += "–" + (_text(row.get(f"{value}_max_text")) or f"{row[f'{value}_max']:g}")
    unit = " " + unit_text(row["unit"]) if unit is None else unit
    return BOUNDS[row.get("bound", "=")].words + text + unit


def conditions_text(row) -> str:
    """The row's recorded test conditions in words ('half cell, 1 mA/cm2, 1 mAh/cm2'), units made readable."""
    text = _text(row.get("conditions"))
    return readable_units(text)


def mark_of_row(row, what: str, **extra) -> Mark:
    """A mark for one tidy measurement row."""
    fields = dict(study=row["study"], what=what, conditions=conditions_text(row), source=_text(row.get("source")),
                  section=_text(row.get("section")), bibkey=_text(row.get("bibkey")), ids=(row["id"],))
    fields.update(extra)
    return Mark(**fields)


# ------------------------------------------------------------------------------ attaching
def _register(fig, mark: Mark) -> str:
    marks = getattr(fig, MARKS_ATTR, None)
    if marks is None:
        marks = []
        setattr(fig, MARKS_ATTR, marks)
    marks.append(mark)
    return f"{PLACEHOLDER}{len(marks) - 1}"


def link_collection(collection, marks: Sequence[Mark]) -> None:
    """One link per point of a scatter collection, in the order the points were given."""
    fig = collection.figure
    if len(marks) != len(collection.get_offsets()):
        raise ValueError(f"{len(marks)} marks for {len(collection.get_offsets())} points")
    collection.set_urls([_register(fig, m) for m in marks])


def link_artist(artist, mark: Mark) -> None:
    """A link on a single artist (a marker line, a patch)."""
    artist.set_url(_register(artist.figure, mark))


def marks_of(fig) -> list[Mark]:
    """Every mark attached to a figure, in the order attached."""
    return list(getattr(fig, MARKS_ATTR, []) or [])


def linked_artists(fig) -> list[tuple[object, Mark]]:
    """(artist, mark) for every linked point or artist of the figure (one entry per point of a collection)."""
    marks = marks_of(fig)
    out = []
    for artist in fig.findobj(lambda a: True):
        urls = artist.get_urls() if hasattr(artist, "get_urls") else [artist.get_url()]
        for url in urls or []:
            if isinstance(url, str) and url.startswith(PLACEHOLDER):
                out.append((artist, marks[int(url[len(PLACEHOLDER):])]))
    return out


# ------------------------------------------------------------------------------ resolving
@dataclass(frozen=True)
class Links:
    """What a link needs beyond the figure: each study's section and date added, and the bibliography."""

    sections: dict
    added: dict
    bibkeys: dict
    references: dict  # bibkey -> 'Yan et al., 2020 [97]; https://doi.org/10.1039/...'
    dois: dict = field(default_factory=dict)  # bibkey -> 'https://doi.org/...' (entries with a DOI only)

    @classmethod
    def from_review(cls, review) -> Links:
        s = review.studies
        refs, dois = {}, {}
        for key in set(s["bibkey"]):
            try:
                ref = review.bib[key]
            except KeyError:
                continue
            refs[key] = ref.short + (f" [{ref.number}]" if ref.number else "") + (f"; {ref.doi_url}" if ref.doi else "")
            if ref.doi:
                dois[key] = ref.doi_url
        added = {row.study: (str(row.added) if pd.notna(row.added) and str(row.added) else "") for row in s.itertuples()}
        return cls(dict(zip(s["study"], s["section"])), added, dict(zip(s["study"], s["bibkey"])), refs, dois)


EMPTY = Links({}, {}, {}, {})


def href(mark: Mark, links: Links = EMPTY) -> str:
    """Where a click on the mark goes: the study's section, or its row on the What's new page."""
    if links.added.get(mark.study):
        return f"{WHATS_NEW_PAGE}#{added_anchor(mark.study)}"
    section = links.sections.get(mark.study, mark.section)
    if section in SECTIONS:
        return f"{SECTIONS[section].chapter}.html#{study_anchor(mark.study)}"
    return bib_href(mark, links)


def bib_href(mark: Mark, links: Links = EMPTY) -> str:
    key = links.bibkeys.get(mark.study, mark.bibkey)
    return f"{BIB_PAGE}#cite-{key}" if key else BIB_PAGE


def tooltip_lines(mark: Mark, links: Links = EMPTY) -> list[str]:
    """Study and value; conditions; where the review (or, for an added study, the paper) says it; reference."""
    lines = [f"{mark.study}: {mark.what}"]
    if mark.conditions:
        lines.append(f"Conditions: {mark.conditions}")
    added = links.added.get(mark.study)
    section = links.sections.get(mark.study, mark.section)
    if added:
        lines.append(f"Added to the book on {added}" + (f"; in the paper: {paper_place(mark.source)}" if mark.source else ""))
    elif mark.source:
        lines.append(f"In the review: {mark.source}")
    elif section:
        lines.append(f"In the review: Sect. {section}")
    key = links.bibkeys.get(mark.study, mark.bibkey)
    if key:
        lines.append(f"Reference: {links.references.get(key, key)}")
    return lines


def tooltip(mark: Mark, links: Links = EMPTY) -> str:
    """The tooltip as one line (also the mark's accessible name)."""
    return ". ".join(line.rstrip(".") for line in tooltip_lines(mark, links)) + "."


_ANCHOR = re.compile(r'<a xlink:href="' + re.escape(PLACEHOLDER) + r'(\d+)"(?: target="_blank")?>')


def link_svg_text(svg: str, marks: Sequence[Mark], links: Links = EMPTY) -> str:
    """Replace every placeholder link of a matplotlib SVG by the real link, tooltip and accessible name."""

    def anchor(match: re.Match) -> str:
        mark = marks[int(match.group(1))]
        url = html.escape(href(mark, links), quote=True)
        name = html.escape(tooltip(mark, links), quote=True)
        title = html.escape("\n".join(tooltip_lines(mark, links)), quote=False)
        bib = html.escape(bib_href(mark, links), quote=True)
        doi = links.dois.get(links.bibkeys.get(mark.study, mark.bibkey))
        paper = f' data-rf-doi="{html.escape(doi, quote=True)}"' if doi else ""
        return (f'<a href="{url}" xlink:href="{url}" class="rf-mark" aria-label="{name}" data-rf-bib="{bib}"{paper}>'
                f"<title>{title}</title>")

    return _ANCHOR.sub(anchor, svg)


def linked_svg(svg: bytes, fig, links: Links = EMPTY) -> bytes:
    """SVG bytes of ``fig`` with its placeholder links resolved (unchanged if the figure has no marks)."""
    marks = marks_of(fig)
    if not marks:
        return svg
    return link_svg_text(svg.decode("utf-8"), marks, links).encode("utf-8")


# ------------------------------------------------------------------------------- inline HTML
_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(xlink:href="#|url\(#)([^")]+)')
_REF_TARGET = re.compile(r'(?:href="#|url\(#)([^")]+)')


_BETWEEN_TAGS = re.compile(r">\s+<")
_AUTO_GROUP_ID = re.compile(r'<g id="([^"]+_\d+)"')  # matplotlib's own numbering (text_12, patch_3), not a gid
_NO_ROTATION = re.compile(r' transform="rotate\(-0 [-\d.]+ [-\d.]+\)"')


def _compact(svg: str) -> str:
    """The same drawing in fewer bytes: no indentation, no unreferenced group ids, no zero rotations.

    A page holds a figure per family with a row per study; at 10x the studies this saves about a seventh.
    """
    svg = _BETWEEN_TAGS.sub("><", svg)
    referenced = set(_REF_TARGET.findall(svg))
    svg = _AUTO_GROUP_ID.sub(lambda m: m.group(0) if m.group(1) in referenced else "<g", svg)
    return _NO_ROTATION.sub("", svg)


def inline_svg(svg: str, label: str, prefix: str | None = None) -> str:
    """An SVG document made fit to sit inside an HTML page.

    Drops the XML prologue and metadata, prefixes every id (two figures on a page would otherwise
    share ids such as glyph definitions), lets the figure scale with the column, and gives it a
    name (``role="group"`` keeps the links inside reachable; ``role="img"`` would hide them).
    """
    svg = _METADATA.sub("", _PROLOGUE.sub("", svg, count=1))
    prefix = prefix or "f" + hashlib.sha256(svg.encode("utf-8")).hexdigest()[:8]
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    svg = _compact(svg)
    attrs = f'class="rf-linked" role="group" aria-label="{html.escape(label, quote=True)}" data-rf-alt="1"'
    return re.sub(r"<svg\b", f"<svg {attrs}", svg, count=1)
