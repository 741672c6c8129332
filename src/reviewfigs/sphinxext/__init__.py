"""Sphinx glue: review-numbered citations, and data files as dependencies of the pages that read them.

* ``review`` pybtex style: bibliography labels are the review's own reference numbers, so
  ``[96]`` in this book is ``[96]`` in the paper; entries are listed in that order.
* Freshness by content hash (:mod:`.freshness`): a page is re-read, and so re-executed, when
  its source or an input it reads has different content, and only then.
* Kernels load the data of the book being built (``$REVIEWFIGS_ROOT`` is set from ``app.srcdir``).
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from sphinx.util import logging

from . import freshness
from ..data.load import ROOT_ENV

logger = logging.getLogger(__name__)



class ReviewNumberLabels(BaseLabelStyle):
    """Label = the review's reference number; the review itself is 'R'; later additions A1, A2, ... by key."""

    def format_labels(self, sorted_entries):
        added = 0
        for entry in sorted_entries:
            number = entry.fields.get("reviewnumber")
            if number is None:
                added += 1
                yield f"A{added}"
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


class datum(nodes.inline):
    """Placeholder for a number from the data; becomes a link to its reference once citations resolve."""


_MEASUREMENTS_BY_ID: dict[int, tuple[object, object]] = {}


def _measurement_rows(data):
    """The tidy table indexed by row id, built once per loaded review (not once per {datum} in the book)."""
    cached = _MEASUREMENTS_BY_ID.get(id(data))
    if cached is None or cached[0] is not data:
        _MEASUREMENTS_BY_ID.clear()
        cached = (data, data.tidy().set_index("id", drop=False))
        _MEASUREMENTS_BY_ID[id(data)] = cached
    return cached[1]


def datum_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{datum}`m006``` -> '99.0 %' linked to the study's reference, with a tooltip naming its source.

    ``{datum}`~m006``` shows the number without its unit.
    """
    from ..errors import DataError
    from ..text.provenance import describe, display_value, visible_conditions

    env = inliner.document.settings.env
    bare = text.startswith("~")
    mid = text.lstrip("~").strip()
    try:
        from ..data.load import review

        data = review(env.srcdir)
        row = _measurement_rows(data).loc[mid]
    except DataError as exc:
        msg = inliner.reporter.error(f"data do not validate:\n{exc.report()}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    except KeyError:
        msg = inliner.reporter.error(f"unknown measurement id '{mid}' in {{datum}} (see data/measurements.csv)", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    node = datum(rawtext, display_value(row, unit=not bare), classes=["datum"])
    node["bibkey"] = row["bibkey"]
    node["tooltip"] = describe(row, data.bib)
    node["conditions"] = visible_conditions(row, data.bib)
    node["mid"] = mid
    return [node], []


def _resolve_data(app, doctree, fromdocname: str) -> None:
    """Turn each datum placeholder into a link to its bibliography entry, titled with its provenance."""
    domain = app.env.get_domain("cite")
    targets = {}
    for citation in getattr(domain, "citations", []):
        if citation.key not in targets:
            targets[citation.key] = (citation.bibliography_key.docname, citation.citation_id)
    for node in list(doctree.findall(datum)):
        key = node["bibkey"]
        text = node.astext()
        if key not in targets:
            logger.warning("datum %s: no bibliography entry for '%s'", node["mid"], key, location=node)
            shown = f" ({node['conditions']})"
            node.replace_self(nodes.inline(text + shown, text + shown, classes=["datum"]))
            continue
        docname, anchor = targets[key]
        uri = app.builder.get_relative_uri(fromdocname, docname) + "#" + anchor
        ref = nodes.reference("", "", internal=True, refuri=uri, reftitle=node["tooltip"], classes=["datum"])
        ref.append(nodes.Text(text))
        # the conditions are printed too (not only in the tooltip): visible in print and on a projector
        shown = f"({node['conditions']})"
        node.replace_self([ref, nodes.inline(shown, shown, classes=["datum-conditions"])])




def _cited_in(app) -> dict[str, list[tuple[str, str]]]:
    """key -> [(docname, anchor of the first citation on that page)], pages sorted by name."""
    domain = app.env.get_domain("cite")
    found: dict[str, dict[str, str]] = {}
    for ref in domain.citation_refs:
        for target in ref.targets:
            found.setdefault(target.key, {}).setdefault(ref.docname, ref.citation_ref_id)
    return {key: sorted(pages.items()) for key, pages in found.items()}


def _add_backlinks(app, doctree, fromdocname: str) -> None:
    """Under each bibliography entry, list the pages that cite it (links back to the citation)."""
    if app.builder.format != "html":
        return
    cited = None
    for node in doctree.findall(nodes.Element):
        ids = [i for i in node.get("ids", []) if i.startswith("cite-")]
        if not ids or isinstance(node, nodes.reference):
            continue
        cited = cited if cited is not None else _cited_in(app)
        key = next((c.key for c in app.env.get_domain("cite").citations if c.citation_id == ids[0]), ids[0].removeprefix("cite-"))
        pages = [(doc, anchor) for doc, anchor in cited.get(key, []) if doc != fromdocname]
        para = nodes.paragraph(classes=["cited-in"])
        if not pages:
            para += nodes.Text("Not cited on another page.")
        else:
            para += nodes.Text("Cited in: ")
            for i, (doc, anchor) in enumerate(pages):
                if i:
                    para += nodes.Text(", ")
                title = app.env.titles[doc].astext() if doc in app.env.titles else doc
                uri = app.builder.get_relative_uri(fromdocname, doc) + "#" + anchor
                para += nodes.reference("", title, internal=True, refuri=uri)
        node += para


def _remember_reads(app, env, docnames) -> None:
    env.reviewfigs_reread = list(docnames)


def _rewrite_bibliography(app, env):
    """Backlinks depend on every page: when any page was re-read, rewrite the bibliography pages too."""
    if not getattr(env, "reviewfigs_reread", None):
        return []
    domain = env.get_domain("cite")
    return sorted({key.docname for key in domain.bibliographies})


def _write_downloads(app, exception) -> None:
    """After a successful HTML build, put the data and bibliography downloads beside the pages."""
    if exception is not None or app.builder.format != "html":
        return
    from .downloads import write_downloads
    from ..data.load import review

    write_downloads(review(app.srcdir), Path(app.outdir))


MATHJAX_PARTS = ("tex-svg.js", "a11y", "ui", "input", "adaptors", "sre", "output/svg")


def _offline_defaults(app, config) -> None:
    """Work offline and quietly: local MathJax, and a valid default colour mode for the theme."""
    config.mathjax_path = "mathjax/tex-svg.js"
    config.html_context = {**(config.html_context or {}), "default_mode": "auto"}
    config.html_static_path = [*config.html_static_path, str(Path(__file__).parent / "static")]


def _copy_mathjax(app, exception) -> None:
    """Ship MathJax with the site (from the sphinx-mathjax-offline package): no CDN request."""
    if exception is not None or app.builder.format != "html":
        return
    import importlib.util
    import shutil

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    source = Path(spec.origin).parent / "static" / "mathjax"
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        src, dst = source / part, target / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """sphinx-thebe registers its inline configuration twice under Jupyter Book; keep one copy."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        attributes = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
        key = (getattr(script, "filename", None) or "", attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


#: Toggle buttons draw a decorative chevron icon; hide it from screen readers (the button has text).
HIDE_DECORATIVE_ICONS = (
    "window.addEventListener('load', () => document.querySelectorAll('svg.tb-icon')"
    ".forEach(svg => svg.setAttribute('aria-hidden', 'true')));"
)


def _kernels_read_this_book(app, config) -> None:
    """Kernels inherit this process's environment: make them load the data of the book being built."""
    os.environ[ROOT_ENV] = str(Path(app.srcdir).resolve())


def setup(app):
    app.add_js_file(None, body=HIDE_DECORATIVE_ICONS)
    app.add_css_file("reviewfigs.css")
    app.add_js_file("figlinks.js", defer="defer")  # tooltips of linked figure marks
    from .figure_alt import LinkedFigureAlt

    app.add_post_transform(LinkedFigureAlt)
    # Kernels inherit this process's environment: a non-inline MPLBACKEND (e.g. Agg in test runs)
    # would make figure cells display nothing, and their labels would then be undefined.
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    app.connect("config-inited", _offline_defaults)
    app.connect("config-inited", _kernels_read_this_book)
    app.connect("build-finished", _copy_mathjax)
    app.connect("html-page-context", _dedupe_scripts)
    register_plugin("pybtex.style.formatting", "review", ReviewStyle, force=True)
    freshness.setup(app)
    app.add_node(datum, html=(lambda self, node: self.visit_inline(node), lambda self, node: self.depart_inline(node)))
    app.add_role("datum", datum_role)
    app.connect("doctree-resolved", _resolve_data)
    app.connect("doctree-resolved", _add_backlinks)
    app.connect("env-before-read-docs", _remember_reads)
    app.connect("env-get-updated", _rewrite_bibliography)
    app.connect("build-finished", _write_downloads)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
