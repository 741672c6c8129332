"""The search index keeps every page's index entries (glossary terms) across incremental builds.

Sphinx 7.4 collects a page's index entries when it writes the page, after it has saved the environment,
so a rebuild that writes only the changed pages publishes a search index with the entries of those pages
alone (sphinx-doc/sphinx#12599): a search for a glossary term no longer offers the term itself. Before a
build writes, the entries of the last published index are put back for every page that still exists; the
pages written now replace theirs, as in a cold build.
"""

from __future__ import annotations

import json
from pathlib import Path


def published_entries(index_file: Path, pages: set[str]) -> dict[str, list[tuple[str, str, str]]]:
    """Per page, the index entries (entry, anchor, 'main' or '') of a written ``searchindex.js``, for ``pages``."""
    try:
        text = index_file.read_text(encoding="utf-8")
        index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    except (OSError, ValueError):  # no index yet, or not one Sphinx wrote: a cold build needs none
        return {}
    docnames = index.get("docnames", [])
    entries: dict[str, set[tuple[str, str, str]]] = {}
    for entry, hits in index.get("indexentries", {}).items():
        for doc, anchor, main in hits:
            if 0 <= doc < len(docnames) and docnames[doc] in pages:
                entries.setdefault(docnames[doc], set()).add((entry, anchor, "main" if main else ""))
    return {page: sorted(entries[page]) for page in sorted(entries)}


def restore(app, env) -> None:
    """``env-updated``: the environment's index entries are those of the last published index."""
    builder = app.builder
    if builder.format != "html" or not getattr(builder, "search", False):
        return
    store = env._search_index_index_entries  # Sphinx 7.4's own dict, which the search indexer reads
    store.clear()
    store.update(published_entries(Path(app.outdir) / builder.searchindex_filename, set(env.found_docs)))
