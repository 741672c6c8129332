"""The review's own record for the What's new page: its DOI (when a checked source shows one) and its dates,
read from its entry in references.bib (fields ``received``, ``revised``, ``accepted``, ``online``) as the review
prints them. A date the review does not print is said to be so, never filled in."""

from __future__ import annotations

from ..data.bib import Bibliography
from .myst import escape

#: the review's dates, in the order a journal gives them: field -> words
DATES = {"received": "Received", "revised": "Revised", "accepted": "Accepted", "online": "Available online"}
NOT_PRINTED = "not printed in the review"


def review_record_myst(bib: Bibliography) -> str:
    """One line of dates and one of the DOI for the review (reference number 0)."""
    review = bib[bib.key_for(0)]
    dates = "; ".join(f"{words}: {escape(review.fields.get(name) or NOT_PRINTED)}" for name, words in DATES.items())
    if review.doi and review.doi_source:
        doi = f"DOI: [{escape(review.doi)}]({review.doi_url}) (read on {escape(review.doi_source.host)})"
    else:
        doi = "DOI: not found in the sources checked"
    return f"The review's dates, as it prints them: {dates}.\n\n{doi}.\n"
