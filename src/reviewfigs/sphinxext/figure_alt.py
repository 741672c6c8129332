"""Sphinx side of linked figures: the inline SVG takes the chapter's alt text.

MyST-NB keeps every output format of a cell until a post-transform picks one per builder. A
figure with linked marks comes as inline SVG (text/html, picked for HTML) and as PNG (picked
elsewhere); the chapter's ``image: alt:`` option lands on the PNG's image node only. This transform
runs just before that choice and copies the alt text into the SVG's ``aria-label``, so the page
keeps the caption (``figure:`` option, numbered for ``{numref}``) and the chapter's alt text.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

_LABEL = re.compile(r'(<svg class="rf-linked" role="group" aria-label=")[^"]*(" data-rf-alt="1")')


class LinkedFigureAlt(SphinxPostTransform):
    default_priority = 3  # MyST-NB's SelectMimeType runs at 4

    def run(self, **kwargs) -> None:
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            by_type = {child.get("mime_type"): child for child in bundle.children}
            html_part, png_part = by_type.get("text/html"), by_type.get("image/png")
            if html_part is None or png_part is None:
                continue
            alts = [img.get("alt") for img in png_part.findall(nodes.image) if img.get("alt")]
            if not alts:
                continue
            for raw in list(html_part.findall(nodes.raw)):
                text = raw.astext()
                if 'data-rf-alt="1"' not in text:
                    continue
                label = html.escape(alts[0], quote=True)
                new = _LABEL.sub(lambda m: m.group(1) + label + m.group(2), text, count=1)  # noqa: B023 (used at once)
                raw.replace_self(nodes.raw("", new, format="html", classes=raw.get("classes", [])))
