"""DOI coverage of the bibliography: which entries link to their paper, from which source, and which do not.

One classification serves the command line (``reviewfigs doi-report``) and the bibliography page (the list
of entries still without a DOI), so the two never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from docutils.nodes import make_id

from ..data.bib import Bibliography, Reference
from .myst import escape


@dataclass(frozen=True)
class Coverage:
    """The entries of a bibliography sorted by what is known of their DOI."""

    found: tuple[Reference, ...]
    disagreeing: tuple[Reference, ...]
    not_found: tuple[Reference, ...]
    not_checked: tuple[Reference, ...]

    @property
    def missing(self) -> tuple[Reference, ...]:
        """Every entry without a DOI, in bibliography order."""
        return tuple(sorted((*self.disagreeing, *self.not_found, *self.not_checked), key=_order))


def _order(ref: Reference):
    return (0, ref.number, "") if ref.number is not None else (1, 0, ref.key)


def coverage(bib: Bibliography) -> Coverage:
    refs = sorted(bib.references.values(), key=_order)
    return Coverage(
        found=tuple(r for r in refs if r.doi),
        disagreeing=tuple(r for r in refs if not r.doi and r.doi_disagrees),
        not_found=tuple(r for r in refs if not r.doi and not r.doi_disagrees and r.doi_source),
        not_checked=tuple(r for r in refs if not r.doi and not r.doi_disagrees and not r.doi_source),
    )


def label(ref: Reference) -> str:
    """'[96] zhang2018lithiophilic', or '[R]' for the review, or the key alone for an added paper."""
    number = "R" if ref.number == 0 else ref.number
    return f"[{number}] {ref.key}" if ref.number is not None else ref.key


def report_text(bib: Bibliography) -> str:
    """The coverage as plain text: counts, then every entry under found (with the source's host), disagreeing
    (with the field that disagrees), not found and not checked."""
    cov = coverage(bib)
    review = [r for r in bib.references.values() if r.number not in (None, 0)]
    with_doi = sum(1 for r in review if r.doi)
    lines = [
        f"DOI coverage of {bib.path}: {len(cov.found)} of {len(bib)} entries have a DOI with a source "
        f"({with_doi} of the review's {len(review)} references).",
        f"  found: {len(cov.found)}   disagreeing: {len(cov.disagreeing)}   not found: {len(cov.not_found)}   "
        f"not checked: {len(cov.not_checked)}",
    ]
    hosts = Counter(r.doi_source.host for r in cov.found if r.doi_source)
    if hosts:
        lines.append("  sources: " + ", ".join(f"{host} {n}" for host, n in sorted(hosts.items(), key=lambda kv: (-kv[1], kv[0]))))
    lines.append("")
    lines.append(f"Found ({len(cov.found)}):")
    lines += [f"  {label(r)}: {r.doi} ({_where(r)})" for r in cov.found]
    lines.append(f"Disagreeing ({len(cov.disagreeing)}): a source gave a DOI for a paper that differs from the entry")
    lines += [f"  {label(r)}: {r.disagreement[0]} disagrees: {r.disagreement[1]}" for r in cov.disagreeing]
    lines.append(f"Not found ({len(cov.not_found)}):")
    lines += [f"  {label(r)}: checked {r.doi_source.checked if r.doi_source else 'never'}" for r in cov.not_found]
    lines.append(f"Not checked ({len(cov.not_checked)}): no doi and no doi_source")
    lines += [f"  {label(r)}" for r in cov.not_checked]
    return "\n".join(lines) + "\n"


def _where(ref: Reference) -> str:
    source = ref.doi_source
    if source is None:
        return "no source: reviewfigs check refuses this entry"
    return f"from {source.host}" if source.url else source.where


def missing_doi_myst(bib: Bibliography) -> str:
    """The bibliography page's list of entries still without a DOI, each linked to its entry, so an author can
    fill them in (add ``doi`` and ``doi_source`` to references.bib)."""
    cov = coverage(bib)
    missing = cov.missing
    if not missing:
        return "Every entry has a DOI with its source.\n"
    reason = {r.key: f"the only source found disagrees on the {r.disagreement[0]}" for r in cov.disagreeing}
    reason.update({r.key: "not yet checked" for r in cov.not_checked})
    items = []
    for r in missing:
        why = reason.get(r.key, "not found in the sources checked")
        number = "R" if r.number == 0 else r.number if r.number is not None else r.key
        anchor = make_id(f"cite-{r.key}")  # the bibliography entry's own anchor (see sphinxext/bibtex.py)
        items.append(f'- <a href="#{anchor}">[{number}]</a> {escape(r.short)}: {escape(why)}')
    head = (f"{len(missing)} of {len(bib)} entries have no DOI yet ({len(cov.found)} have one, each with the page "
            f"it was read from in `references.bib`):\n\n")
    return head + "\n".join(items) + "\n"
