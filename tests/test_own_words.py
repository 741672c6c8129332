"""Own words: the chapters explain the review, they do not reuse its sentences.

The check takes every run of eight consecutive words ("8-grams") of the chapters' prose and
counts how many of them also occur in the review's full text. Prose means what a reader reads, as
``support/prose.py`` reads it from MyST's own tokens (the reading the typed-number check scans too):
YAML front matter, code cells, fenced code, inline code, math, directive options, labels, URLs and
the machine parts of MyST roles ({cite:p}, {datum}, {numref}, ...) are removed first; a {term} role
keeps its visible text. Both texts are lower-cased, punctuation becomes a space, bare numbers are
dropped (every result number in prose comes from a {datum} role, so keeping numbers would only
hide copied sentences). The share of shared 8-grams must stay at or below 1 %.

The review's full text is not part of the book. Its path is ``$REVIEWFIGS_SEED`` or, by
default, the shared copy the book was written from; without it the comparison tests skip, or
fail when $CI is set; the tests of the normaliser itself always run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from support.prose import CHAPTERS, strip_markup
from support.repo import seed_text

EXCLUDED = {"bibliography.md"}
N = 8
MAX_SHARE = 0.01

def words(text: str) -> list[str]:
    """Lower-cased words, punctuation removed, bare numbers dropped."""
    tokens = re.sub(r"[^\w]+|_", " ", text.lower()).split()
    return [t for t in tokens if not t.isdigit()]


def normalise(markdown: str) -> list[str]:
    return words(strip_markup(markdown))


def ngrams(tokens: list[str], n: int = N) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def chapter_files() -> list[Path]:
    return sorted(p for p in CHAPTERS.glob("*.md") if p.name not in EXCLUDED)


def seed_ngrams() -> set[tuple[str, ...]]:
    return set(ngrams(normalise(seed_text())))


def overlap(markdown: str, reference: set[tuple[str, ...]]) -> tuple[int, int, list[tuple[str, ...]]]:
    """(shared 8-grams, all 8-grams, the shared ones in reading order) of one page."""
    grams = ngrams(normalise(markdown))
    shared = [g for g in grams if g in reference]
    return len(shared), len(grams), shared


def _passages(shared: list[tuple[str, ...]]) -> list[str]:
    """Merge overlapping shared 8-grams into the passages a writer has to rephrase."""
    runs: list[list[str]] = []
    for gram in shared:
        if runs and list(gram[:-1]) == runs[-1][-(N - 1):]:
            runs[-1].append(gram[-1])
        else:
            runs.append(list(gram))
    return [" ".join(r) for r in runs]


# ---------------------------------------------------------------- the normaliser itself


def test_normaliser_strips_citations_data_and_markup():
    page = (
        "---\njupytext: {}\n---\n(study-gscp)=\n## GSCP\n"
        "GSCP kept an average CE of {datum}`m006` {cite:p}`yan2020bottom`, see {numref}`fig-concept`\n"
        "and {term}`Sand's time` or {term}`the SEI <solid electrolyte interphase (SEI)>` at https://example.org.\n"
        "```{code-cell} ipython3\n:tags: [remove-input]\nimport reviewfigs as rf\n```\n"
        "````{exercise}\n:label: ex-a\nCount the cycles.\n````\n"
    )
    assert normalise(page) == ("gscp gscp kept an average ce of see and sand s time or the sei at "
                               "count the cycles").split()


def test_normaliser_drops_numbers_and_review_markup():
    seed_like = "an average CE of 99.0% over 400 cycles<sup>[97]</sup> at $1.0\\text{ mA cm}^{-2}$ (Fig. 3d)"
    assert normalise(seed_like) == "an average ce of over cycles at fig 3d".split()


def test_fenced_code_inside_a_solution_is_not_prose():
    page = ("```{solution-start} ex-a\n:class: dropdown\n```\nThe answer follows.\n"
            "```{code-cell} ipython3\ntidy = review.tidy()\n```\n```{solution-end}\n```\n"
            "````{solution} ex-b\n:class: dropdown\nIn words.\n```python\nprint(1)\n```\n````\n")
    assert normalise(page) == "the answer follows in words".split()


# ---------------------------------------------------------------- the comparison with the review


def test_a_page_copied_from_the_review_would_fail():
    reference = seed_ngrams()
    text = seed_text()
    start = text.index("Yan et al. obtained")
    copied = "# Copied\n\n" + text[start:start + 1200] + " {cite:p}`yan2020bottom`\n"
    shared, total, _ = overlap(copied, reference)
    assert total > 50
    assert shared / total > 0.5, "the check no longer recognises text taken from the review"
    # ... and light-touch editing (numbers replaced by data roles) does not hide it either
    edited = re.sub(r"\d+(\.\d+)?", "{datum}`m006`", copied)
    shared, total, _ = overlap(edited, reference)
    assert shared / total > 0.5


def test_chapters_are_in_our_own_words():
    reference = seed_ngrams()
    files = chapter_files()
    assert files, "no chapters found"
    shared_all = total_all = 0
    offending: dict[str, list[str]] = defaultdict(list)
    for path in files:
        shared, total, grams = overlap(path.read_text(encoding="utf-8"), reference)
        shared_all += shared
        total_all += total
        if grams:
            offending[path.name] = _passages(grams)
    share = shared_all / total_all if total_all else 0.0
    report = "\n".join(f"  {name}: " + " | ".join(f"'{p}'" for p in passages) for name, passages in offending.items())
    assert share <= MAX_SHARE, (
        f"{share:.2%} of the chapters' 8-word sequences also occur in the review (limit {MAX_SHARE:.0%}); "
        f"rephrase these passages:\n{report}"
    )
    print(f"own-words overlap: {shared_all}/{total_all} = {share:.3%}\n{report}")
