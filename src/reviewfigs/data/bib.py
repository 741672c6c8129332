"""The bibliography layer over bibtexparser v2: keys, review numbers and short citations.

``references.bib`` is parsed into references here; ``data/store.py`` reads it only to append an
entry and to copy entries verbatim. Each entry carries ``reviewnumber``, its
number in the review's reference list, so ``[96]`` maps to a key and back.
"""

from __future__ import annotations

import copy
import functools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware, NameParts, SeparateCoAuthors, SplitNameParts
from bibtexparser.model import DuplicateBlockKeyBlock, Entry

from ..errors import Issue
from . import untrusted

REQUIRED_FIELDS = ("author", "title")
#: how the book says that an entry records no journal or no year (never a guess)
UNKNOWN_JOURNAL = "journal not recorded"
UNKNOWN_YEAR = "year not recorded"
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
#: ``doi_source`` is '<where the DOI was read>; checked <ISO date>'
DOI_SOURCE_PATTERN = re.compile(r"^(?P<where>.+); checked (?P<checked>\d{4}-\d{2}-\d{2})$")
#: the ``doi_source`` place of an entry whose DOI no checked source gave
DOI_NOT_FOUND = "DOI not found in the sources checked"
#: the ``doi_source`` place of a DOI the review itself prints
DOI_IN_REVIEW = "printed in the review"
#: the entry fields a candidate DOI may disagree on (``doi_disagrees = {author: ...}``)
DOI_MATCH_FIELDS = ("title", "author", "year", "journal")
#: BibTeX's own word for names left out; ``author = {others}`` alone records that the authors are unknown
OTHERS = "others"
#: how the book names a paper whose authors are not recorded
UNKNOWN_AUTHORS = "authors not recorded"
#: bibtexparser's own LaTeX decoding and name splitting (after its default brace removal)
MIDDLEWARE = (LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts)


@dataclass(frozen=True)
class DoiSource:
    """Where an entry's DOI was read (a page address, or the review itself) and when; or that none was found."""

    where: str
    checked: str

    @property
    def found(self) -> bool:
        return self.where != DOI_NOT_FOUND

    @property
    def url(self) -> str | None:
        return self.where if self.where.startswith(("https://", "http://")) else None

    @property
    def host(self) -> str:
        """The page's host ('ouci.dntb.gov.ua'), or the place in words when it is not a page."""
        from urllib.parse import urlsplit

        return urlsplit(self.url).hostname or self.where if self.url else self.where

    def __str__(self) -> str:
        return f"{self.where}; checked {self.checked}"


@dataclass(frozen=True)
class Reference:
    key: str
    number: int | None
    authors: str
    title: str
    journal: str  # '' = not recorded
    year: str  # '' = not recorded
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    line: int = 0
    #: family names in order; ``others`` (BibTeX's 'and others') stands for names left out
    last_names: tuple[str, ...] = ()
    doi_source: DoiSource | None = None
    #: a DOI a source gave for a paper that disagrees with this entry: 'field: what the source shows'
    doi_disagrees: str | None = None
    #: every field as written (cleaned), for the few an entry alone carries (the review's dates)
    fields: dict[str, str] = field(default_factory=dict, hash=False, compare=False, repr=False)

    @property
    def disagreement(self) -> tuple[str, str]:
        """('author', 'what the source shows ...') from ``doi_disagrees``; ('', '') when the entry has none."""
        name, _, detail = (self.doi_disagrees or "").partition(":")
        return name.strip(), detail.strip()

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def authors_known(self) -> bool:
        """False when the entry says only ``author = {others}``: the paper's authors are not recorded."""
        return bool(self.last_names) and self.last_names != (OTHERS,)

    @property
    def first_author(self) -> str:
        return self.last_names[0] if self.authors_known else UNKNOWN_AUTHORS

    @property
    def short(self) -> str:
        """'Zhang et al., 2018' (or 'authors not recorded, 2026'): how the book names a paper in running text."""
        many = self.authors_known and len(self.last_names) > 1
        return f"{self.first_author}{' et al.' if many else ''}, {self.year or UNKNOWN_YEAR}"


@dataclass
class Bibliography:
    path: str
    references: dict[str, Reference] = field(default_factory=dict)

    def __contains__(self, key: str) -> bool:
        return key in self.references

    def __getitem__(self, key: str) -> Reference:
        return self.references[key]

    def __len__(self) -> int:
        return len(self.references)

    @property
    def keys(self) -> list[str]:
        return list(self.references)

    def key_for(self, number: int) -> str:
        """The key of reference ``[number]`` of the review."""
        for ref in self.references.values():
            if ref.number == number:
                return ref.key
        raise KeyError(f"no entry in {self.path} has reviewnumber {number}")

    def number_for(self, key: str) -> int | None:
        return self.references[key].number


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


def _name(name: object) -> str:
    """'Last, First' from bibtexparser's split name (or the text, should splitting have failed)."""
    if not isinstance(name, NameParts):
        return _clean(str(name))
    last = " ".join([*name.von, *name.last])
    first = " ".join(name.first)
    return _clean(f"{last}, {first}" if first else last)


def parse_bibliography(text: str, shown: str) -> tuple[Bibliography, list[Issue]]:
    """Parse BibTeX text; every malformed block, duplicate key or missing field becomes an Issue.

    The result is a function of the text alone, and decoding its LaTeX is most of the time a load takes, so a
    process that reads the same text again (the Sphinx build's several loads, the test suite) parses it once;
    each caller gets its own copy."""
    return copy.deepcopy(_parsed(text, shown))


@functools.lru_cache(maxsize=4)
def _parsed(text: str, shown: str) -> tuple[Bibliography, list[Issue]]:
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text, append_middleware=[m() for m in MIDDLEWARE])
    issues: list[Issue] = []
    bib = Bibliography(path=shown)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            issues.append(Issue(shown, line, "key", f"duplicate entry key '{block.key}'; every key must be unique"))
        else:
            error = getattr(block, "error", None)
            detail = f": {error}" if error else ""
            if "\\href" in (block.raw or "") and "Middleware" in detail:  # valid LaTeX, but the decoder cannot read it (and a link belongs in url)
                issues.append(Issue(shown, line, "url", "\\href{...}{...} in a field cannot be read; put the address in "
                                    "url = {https://...} and keep the text plain"))
                continue
            issues.append(Issue(shown, line, None, f"malformed BibTeX entry{detail}; expected @type{{key, field = {{value}}, ...}}"))
    numbers: dict[int, str] = {}
    for entry in library.entries:
        ref, found = _reference(entry, shown)
        issues.extend(found)
        if ref is None:
            continue
        if ref.number is not None:
            if ref.number in numbers:
                issues.append(Issue(shown, ref.line, "reviewnumber", f"number {ref.number} is already used by '{numbers[ref.number]}'"))
            numbers[ref.number] = ref.key
        bib.references[ref.key] = ref
    issues.extend(_duplicate_dois(bib))
    return bib, issues


def _duplicate_dois(bib: Bibliography) -> list[Issue]:
    """A DOI names one paper: two entries with one DOI (DOIs ignore case) are one paper twice or a wrong DOI."""
    first: dict[str, str] = {}
    issues = []
    for ref in bib.references.values():
        if not ref.doi:
            continue
        other = first.setdefault(ref.doi.lower(), ref.key)
        if other != ref.key:
            issues.append(Issue(bib.path, ref.line, "doi", f"entry '{ref.key}': DOI {ref.doi} is already the DOI of "
                                f"'{other}'; each paper has its own DOI"))
    return issues


def _doi_issues(key: str, fields: dict[str, str], shown: str, line: int) -> tuple[DoiSource | None, list[Issue]]:
    """The DOI's syntax, and its ``doi_source``: a DOI needs one, and the source must fit what the entry says."""
    doi, raw = fields.get("doi"), fields.get("doi_source")
    issues = []
    expected = (f"expected '<address of the page that shows the DOI>; checked YYYY-MM-DD', "
                f"'{DOI_IN_REVIEW}; checked YYYY-MM-DD' or '{DOI_NOT_FOUND}; checked YYYY-MM-DD'")
    if doi and not DOI_PATTERN.match(doi):
        issues.append(Issue(shown, line, "doi", f"entry '{key}': expected a DOI like 10.1234/abc, got '{doi}'"))
    source = None
    if raw:
        match = DOI_SOURCE_PATTERN.match(raw)
        if match is None:
            issues.append(Issue(shown, line, "doi_source", f"entry '{key}': {expected}; got '{raw}'"))
        else:
            source = DoiSource(match["where"].strip(), match["checked"])
            if not re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", source.checked):
                issues.append(Issue(shown, line, "doi_source", f"entry '{key}': '{source.checked}' is not a date (YYYY-MM-DD)"))
            if not (source.url or source.where in (DOI_IN_REVIEW, DOI_NOT_FOUND)):
                issues.append(Issue(shown, line, "doi_source", f"entry '{key}': '{source.where}' is not a page address (http:// or https://); {expected}"))
            elif doi and not source.found:
                issues.append(Issue(shown, line, "doi_source", f"entry '{key}' has DOI {doi} but its source says '{DOI_NOT_FOUND}'"))
            elif not doi and source.found:
                issues.append(Issue(shown, line, "doi_source", f"entry '{key}' names where its DOI was read but has no doi"))
    elif doi:
        issues.append(Issue(shown, line, "doi_source", f"entry '{key}' has DOI {doi} but no doi_source; {expected}"))
    disagrees = fields.get("doi_disagrees")
    if disagrees:
        name = disagrees.split(":", 1)[0].strip()
        if name not in DOI_MATCH_FIELDS or ":" not in disagrees:
            issues.append(Issue(shown, line, "doi_disagrees", f"entry '{key}': expected '<{'|'.join(DOI_MATCH_FIELDS)}>: "
                                f"what the source shows', got '{disagrees}'"))
        if doi:
            issues.append(Issue(shown, line, "doi_disagrees", f"entry '{key}' has a DOI and also says its source disagrees; keep one"))
    return source, issues


def _reference(entry: Entry, shown: str) -> tuple[Reference | None, list[Issue]]:
    line = (entry.start_line or 0) + 1
    names = entry.fields_dict["author"].value if "author" in entry.fields_dict else []
    names = names if isinstance(names, list) else []
    fields = {k.lower(): _clean(str(f.value)) for k, f in entry.fields_dict.items() if k.lower() != "author"}
    if names:
        fields["author"] = " and ".join(_name(n) for n in names)
    issues = [
        Issue(shown, line, name, f"missing in entry '{entry.key}'; every reference needs {', '.join(REQUIRED_FIELDS)}")
        for name in REQUIRED_FIELDS
        if not fields.get(name)
    ]
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_:-]*", entry.key):
        issues.append(Issue(shown, line, "key", f"'{entry.key}' is not a readable key (letters, digits, _ : -)"))
    number = None
    if "reviewnumber" in fields:
        if fields["reviewnumber"].isdigit():
            number = int(fields["reviewnumber"])
        else:
            issues.append(Issue(shown, line, "reviewnumber", f"expected a whole number, got '{fields['reviewnumber']}'"))
    if fields.get("year") and not re.fullmatch(r"(19|20)\d\d", fields["year"]):
        issues.append(Issue(shown, line, "year", f"expected a year from 1900 to 2099, got '{fields['year']}' (leave the field out if the paper's year is not known)"))
    for name in ("received", "revised", "accepted", "online"):  # a paper's own dates, as it prints them
        if fields.get(name) and not re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", fields[name]):
            issues.append(Issue(shown, line, name, f"entry '{entry.key}': expected a date YYYY-MM-DD, got '{fields[name]}'"))
    doi_source, found = _doi_issues(entry.key, fields, shown, line)
    issues.extend(found)
    issues.extend(untrusted.reference_url_issues(shown, line, entry.key, fields, entry.raw or ""))
    for name, markup in untrusted.unrendered_latex(entry.raw or ""):
        issues.append(Issue(shown, line, name, f"entry '{entry.key}': the LaTeX markup {markup} would be printed as typed "
                            "on the bibliography page; write the text as it should read (plain words, Unicode for "
                            "symbols and subscripts: CO₂, µm, Li⁺)"))
    for name, value in fields.items():
        bad = untrusted.control_character(value)
        if bad:
            issues.append(Issue(shown, line, name, f"entry '{entry.key}' contains the control character {bad}; "
                                "a reference holds printable text only"))
    if issues and any(i.field in REQUIRED_FIELDS for i in issues):
        return None, issues
    ref = Reference(
        key=entry.key,
        number=number,
        authors=fields["author"],
        title=fields["title"],
        journal=fields.get("journal", ""),
        year=fields.get("year", ""),
        volume=fields.get("volume"),
        issue=fields.get("number"),
        pages=fields.get("pages", "").replace("--", "–") or None,
        doi=fields.get("doi"),
        line=line,
        last_names=tuple(_clean(" ".join([*n.von, *n.last])) if isinstance(n, NameParts) else _clean(str(n)) for n in names),
        doi_source=doi_source,
        doi_disagrees=fields.get("doi_disagrees"),
        fields=fields,
    )
    return ref, issues


def read_bibliography(path: Path, shown: str | None = None) -> tuple[Bibliography, list[Issue]]:
    shown = shown or str(path)
    if not path.exists():
        return Bibliography(path=shown), [Issue(shown, None, None, "file is missing")]
    if not path.is_file():
        return Bibliography(path=shown), [Issue(shown, None, None, "is not a file")]
    text, problem = untrusted.read_utf8(path, shown)
    if problem:
        return Bibliography(path=shown), [problem]
    return parse_bibliography(text, shown)
