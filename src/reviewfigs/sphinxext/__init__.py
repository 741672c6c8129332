"""Sphinx glue: review-numbered citations, and data files as dependencies of the pages that read them.

* ``review`` pybtex style (:mod:`.bibtex`): bibliography labels are the review's own reference
  numbers, so ``[96]`` in this book is ``[96]`` in the paper, and entries are listed in that order;
  a paper the book adds is labelled with its key, so adding one renumbers nothing.
* :mod:`.bibtex` is the one adapter over sphinxcontrib-bibtex's internals (the ``cite`` domain).
* Freshness by content hash (:mod:`.freshness`): a page is re-read, and so re-executed, when
  its source or an input it reads has different content, and only then.
* Kernels load the data of the book being built (``$REVIEWFIGS_ROOT`` is set from ``app.srcdir``).
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

from .. import __version__
from ..data.load import ROOT_ENV, load_review, review
from ..errors import DataError
from ..text.provenance import datum_parts
from . import bibtex, csp, datatables, freshness, manifest, searchentries

logger = logging.getLogger(__name__)



class datum(nodes.inline):
    """Placeholder for a number from the data; becomes a link to its reference once citations resolve."""


def datum_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{datum}`m006``` -> '99.0 %' linked to the study's reference, with a tooltip naming its source.

    ``{datum}`~m006``` shows the number without its unit.
    """
    env = inliner.document.settings.env
    bare = text.startswith("~")
    mid = text.lstrip("~").strip()
    try:
        parts = datum_parts(review(env.srcdir), mid, bare)
    except DataError as exc:
        msg = inliner.reporter.error(f"data do not validate:\n{exc.report()}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    except KeyError:
        msg = inliner.reporter.error(f"unknown measurement id '{mid}' in {{datum}} (see data/measurements.csv)", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    node = datum(rawtext, parts["value"], classes=["datum"])
    node["bibkey"] = parts["bibkey"]
    node["tooltip"] = parts["tooltip"]
    node["conditions"] = parts["conditions"]
    node["mid"] = mid
    return [node], []


def _resolve_data(app, doctree, fromdocname: str) -> None:
    """Turn each datum placeholder into a link to its bibliography entry, titled with its provenance."""
    targets = bibtex.citation_targets(app.env)
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




def _add_backlinks(app, doctree, fromdocname: str) -> None:
    """Under each bibliography entry, list the pages that cite it (links back to the citation)."""
    if app.builder.format != "html":
        return
    cited: dict[str, list[tuple[str, str]]] | None = None
    keys: dict[str, str] = {}
    for node in doctree.findall(nodes.Element):
        ids = [i for i in node.get("ids", []) if i.startswith("cite-")]
        if not ids or isinstance(node, nodes.reference):
            continue
        if cited is None:
            cited, keys = bibtex.cited_in(app.env), bibtex.key_of_citation_id(app.env) or {}
        key = keys.get(ids[0])
        if key is None:
            continue
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
    return bibtex.bibliography_docnames(env)


def _write_downloads(app, exception) -> None:
    """After a successful HTML build, put the data and bibliography downloads beside the pages."""
    if exception is not None or app.builder.format != "html":
        return
    from .downloads import write_downloads

    write_downloads(review(app.srcdir), Path(app.outdir))


#: CommonHTML output (1.2 MB script plus the few web fonts a page uses), not SVG (2.1 MB): half the weight
#: The book's pages load MathJax's startup script, which loads only TeX input, CommonHTML output and the
#: assistive MathML for screen readers (0.65 MB, not the 1.16 MB combined file with its context menu).
MATHJAX_SCRIPT = "startup.js"
MATHJAX_LOAD = ["input/tex", "output/chtml", "a11y/assistive-mml"]
#: the combined file, for pages made outside Sphinx's config (the slides, the handout and answer key)
MATHJAX_COMBINED = "tex-chtml.js"
MATHJAX_PARTS = (MATHJAX_SCRIPT, MATHJAX_COMBINED, "core.js", "a11y", "ui", "input", "adaptors", "sre",
                 "output/chtml", "output/chtml.js")


def _offline_defaults(app, config) -> None:
    """Work offline and quietly: local MathJax, and a valid default colour mode for the theme."""
    config.mathjax_path = f"mathjax/{MATHJAX_SCRIPT}"
    config.mathjax3_config = {**(config.mathjax3_config or {}), "loader": {"load": MATHJAX_LOAD}}
    config.html_context = {**(config.html_context or {}), "default_mode": "auto"}
    config.html_static_path = [*config.html_static_path, str(Path(__file__).parent / "static")]


class MathJaxMissing(RuntimeError):
    """The offline MathJax files cannot be found (sphinx-mathjax-offline not installed, or laid out differently)."""


MATHJAX_PACKAGE = "sphinx-mathjax-offline"  # the distribution installs a top-level folder of this (hyphenated) name


def mathjax_source() -> Path:
    """The folder of MathJax files shipped by sphinx-mathjax-offline; a clear error if it is missing."""
    import importlib.util

    spec = importlib.util.find_spec(MATHJAX_PACKAGE)
    if spec is None or spec.origin is None:
        raise MathJaxMissing(
            f"{MATHJAX_PACKAGE} is not installed, so the book cannot ship MathJax for offline reading: "
            f"install it (`pip install -c constraints.txt {MATHJAX_PACKAGE}`, or `make book`, which installs "
            "every pinned dependency)")
    source = Path(spec.origin).parent / "static" / "mathjax"
    missing = [part for part in MATHJAX_PARTS if not (source / part).exists()]
    if missing:
        raise MathJaxMissing(f"{MATHJAX_PACKAGE} at {source.parent.parent} lacks MathJax files {', '.join(missing)}; "
                             "reinstall the version pinned in constraints.txt")
    return source


def _check_mathjax(app) -> None:
    """Fail at the start of an HTML build, not after it, when the offline MathJax is missing."""
    if app.builder.format == "html":
        mathjax_source()


def _copy_mathjax(app, exception) -> None:
    """Ship MathJax with the site (from the sphinx-mathjax-offline package): no CDN request.

    ``copy_asset`` rewrites only the files whose content differs, so a rebuild leaves the copies as they are.
    """
    if exception is not None or app.builder.format != "html":
        return
    copy_mathjax(Path(app.outdir) / "_static" / "mathjax")


def copy_mathjax(target: Path) -> None:
    """The offline MathJax parts the book loads, into ``target`` (the book's and the slides' ``_static/mathjax``)."""
    from sphinx.util.fileutil import copy_asset

    source = mathjax_source()
    for part in MATHJAX_PARTS:  # a folder into the same folder, a file into its parent folder
        folder = target / part if (source / part).is_dir() else (target / part).parent
        folder.mkdir(parents=True, exist_ok=True)
        copy_asset(source / part, folder)


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


def _mathjax_only_with_math(app, pagename, templatename, context, doctree) -> None:
    """Load MathJax only on a page that shows math itself.

    Sphinx's math domain also counts the math of every page in a page's toctree, so the index (which
    has none) would load 1.2 MB of MathJax for nothing; drop it there, after ``sphinx.ext.mathjax`` added it.
    """
    scripts = context.get("script_files")
    if not scripts or app.builder.format != "html":
        return
    own = app.env.get_domain("math").data.get("has_equations", {}).get(pagename, False)
    if own or 'class="math' in context.get("body", ""):
        return
    scripts[:] = [s for s in scripts if "mathjax" not in (getattr(s, "filename", None) or "")
                  and "window.MathJax" not in str(getattr(s, "attributes", {}).get("body", ""))]


def _subset_icons(app, exception) -> None:
    """Replace the theme's 1.5 MB Font Awesome script with the icons the pages use (:mod:`.icons`)."""
    if exception is not None or app.builder.format != "html":
        return
    import pydata_sphinx_theme

    from .icons import SCRIPT, write_subset

    theme_static = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    write_subset(Path(app.outdir), theme_static / "static" / SCRIPT.relative_to("_static"))


#: Toggle buttons draw a decorative chevron icon; hide it from screen readers (the button has text).
HIDE_DECORATIVE_ICONS = (
    "window.addEventListener('load', () => document.querySelectorAll('svg.tb-icon')"
    ".forEach(svg => svg.setAttribute('aria-hidden', 'true')));"
)


def _data_first(app) -> None:
    """Validate the data before any page runs: a data error is reported as itself (file, line, field),
    not as the failure of the first notebook that reads it (``make serve`` showed only 'ExecutionError')."""
    from sphinx.errors import ExtensionError

    try:
        load_review(app.srcdir)
    except DataError as exc:
        raise ExtensionError(f"the data do not validate; fix these and save again:\n{exc.report()}") from None


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
    app.connect("builder-inited", _check_mathjax)
    app.connect("builder-inited", _data_first)
    app.connect("build-finished", _copy_mathjax)
    app.connect("html-page-context", _dedupe_scripts)
    app.connect("html-page-context", _mathjax_only_with_math, priority=900)  # after sphinx.ext.mathjax (500)
    app.connect("build-finished", _subset_icons)
    bibtex.register_style()
    freshness.setup(app)
    datatables.setup(app)
    csp.setup(app)
    manifest.setup(app)
    app.add_node(datum, html=(lambda self, node: self.visit_inline(node), lambda self, node: self.depart_inline(node)))
    app.add_role("datum", datum_role)
    app.connect("doctree-resolved", _resolve_data)
    app.connect("doctree-resolved", _add_backlinks)
    app.connect("env-before-read-docs", _remember_reads)
    app.connect("env-get-updated", _rewrite_bibliography)
    app.connect("build-finished", _write_downloads)
    app.connect("env-updated", searchentries.restore)  # before pages are written; sphinx-doc/sphinx#12599
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
