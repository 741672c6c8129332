"""The one adapter over sphinxcontrib-bibtex's internals: everything else in the package goes through it.

sphinxcontrib-bibtex keeps its state on the ``cite`` domain (``citations``, ``citation_refs``,
``bibliographies``); those attribute names are not a public API and have changed between its
releases. Only this module reads them, so a new release is adapted to here, once. The pybtex
style of the book (labels and order of the bibliography) lives here too.

Labels are stable: a reference of the review is labelled with the review's own number ('R' for the
review itself), and a paper the book adds is labelled with its BibTeX key. Adding a paper therefore
changes no other label.
"""

from __future__ import annotations

from typing import NamedTuple

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import date, pages, toplevel
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import field, first_of, join, optional, optional_field, sentence, tag, words

#: The name of the pybtex style (``bibtex_default_style`` in the book's configuration).
STYLE_NAME = "review"


# ------------------------------------------------------------------------------ pybtex style
class ReviewNumberLabels(BaseLabelStyle):
    """Label = the review's reference number; the review itself is 'R'; a paper the book adds keeps its key."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            number = entry.fields.get("reviewnumber")
            if number is None:
                yield entry.key
            elif str(number) == "0":
                yield "R"
            else:
                yield str(number)


class ReviewNumberSorting(BaseSortingStyle):
    """The review first, then its references in the review's order, then later additions by key."""

    def sorting_key(self, entry):
        number = entry.fields.get("reviewnumber")
        return (0, int(number), "") if number is not None else (1, 0, entry.key)

    def sort(self, entries):
        return sorted(entries, key=self.sorting_key)


class ReviewStyle(UnsrtStyle):
    default_label_style = ReviewNumberLabels
    default_sorting_style = ReviewNumberSorting

    def format_title(self, e, which_field, as_sentence=True):
        """The title as the paper prints it: no sentence-casing, so 'Li', 'MXene' and 'SnO2' keep their case
        without the author bracing them."""
        title = field(which_field)
        return sentence[title] if as_sentence else title

    def get_article_template(self, e):
        """unsrt's article, saying 'journal not recorded' / 'year not recorded' (upright) for a field the entry lacks."""
        from ..data.bib import UNKNOWN_JOURNAL, UNKNOWN_YEAR

        volume_and_pages = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ":", pages]],
            words["pages", pages],
        ]
        journal = tag("em")[field("journal")] if e.fields.get("journal") else UNKNOWN_JOURNAL
        when = date if e.fields.get("year") else UNKNOWN_YEAR
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[journal, optional[volume_and_pages], when],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def format_entry(self, label, entry, bib_data=None):
        """``author = {others}`` alone (authors unknown) is printed as 'authors not recorded', not 'others'."""
        from pybtex.database import Entry, Person

        from ..data.bib import OTHERS, UNKNOWN_AUTHORS

        people = entry.persons.get("author", [])
        if len(people) == 1 and str(people[0]) == OTHERS:
            honest = Entry(entry.type, fields=entry.fields,
                           persons={**entry.persons, "author": [Person(last="{" + UNKNOWN_AUTHORS + "}")]})
            honest.key = entry.key
            entry = honest
        return super().format_entry(label, entry, bib_data=bib_data)


def register_style() -> None:
    register_plugin("pybtex.style.formatting", STYLE_NAME, ReviewStyle, force=True)


# ------------------------------------------------------------------- the cite domain's state
class Citation(NamedTuple):
    """A bibliography entry as rendered: its key, the page of its bibliography, its HTML anchor."""

    key: str
    docname: str
    citation_id: str


def _domain(env):
    return env.get_domain("cite")


def citations(env) -> list[Citation]:
    """Every rendered bibliography entry, in the domain's order."""
    return [Citation(c.key, c.bibliography_key.docname, c.citation_id) for c in getattr(_domain(env), "citations", [])]


def citation_targets(env) -> dict[str, tuple[str, str]]:
    """key -> (docname, anchor) of its first bibliography entry."""
    targets: dict[str, tuple[str, str]] = {}
    for c in citations(env):
        targets.setdefault(c.key, (c.docname, c.citation_id))
    return targets


def key_of_citation_id(env) -> dict[str, str]:
    """Anchor -> key. Anchors are made by docutils' ``make_id``, which lowercases and rewrites ``_`` and ``:``,
    so a key is never recovered from its anchor's text."""
    return {c.citation_id: c.key for c in citations(env)}


def cited_in(env) -> dict[str, list[tuple[str, str]]]:
    """key -> [(docname, anchor of the first citation of it on that page)], pages sorted by name."""
    found: dict[str, dict[str, str]] = {}
    for ref in _domain(env).citation_refs:
        for target in ref.targets:
            found.setdefault(target.key, {}).setdefault(ref.docname, ref.citation_ref_id)
    return {key: sorted(pages.items()) for key, pages in found.items()}


def bibliography_docnames(env) -> list[str]:
    """The pages that hold a ``{bibliography}`` directive, sorted."""
    return sorted({key.docname for key in _domain(env).bibliographies})
