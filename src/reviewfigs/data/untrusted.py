"""Rules for text the book cannot show: data and references are untrusted input.

Escaping (``text.myst``, ``export``) keeps any text inert on a page; these rules refuse, with the
file, line and field, what would still come out wrong: control characters, numbers in spellings
the pages would print as typed, names that are markup or share a link anchor, and links that are
not web links. ``check``, the book build and ``new-study`` all go through them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from pathlib import Path

from ..anchors import slug
from ..errors import Issue

#: tables the book cannot show without rows (others, e.g. discrepancies, may be empty)
MUST_HAVE_ROWS = ("studies", "measurements", "thresholds")
#: the longest cell a page can show in a table or a tooltip (characters)
MAX_CELL = 2000
#: a number as the pages print it: optional minus, digits without leading zeros, optional decimals
PLAIN_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
#: characters that are markup in Markdown, MyST, HTML or LaTeX: never part of a study's name
NAME_MARKUP = set("<>{}[]`\\|$\"*_~#")
#: first characters a spreadsheet reads as a formula (CSV downloads)
FORMULA_START = tuple("=+-@")
#: link schemes a reference may use (any letter case); everything else (javascript:, data:, file:) is refused
URL_SCHEMES = ("http://", "https://", "doi:")
#: LaTeX commands that make a link out of their argument
LINK_COMMANDS = re.compile(r"\\(?:url|href)\s*\{([^}]*)\}", re.IGNORECASE)


def read_utf8(path: Path, shown: str) -> tuple[str, Issue | None]:
    """An input file's text (UTF-8, a byte-order mark dropped), or the problem that keeps it from being read."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return "", Issue(shown, line, None, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8 "
                         "(a Latin-1 or Windows encoding shows letters wrongly)")


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (line breaks and tabs included), as 'U+000A', or None."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") and ch != "\u200d":
            return f"U+{ord(ch):04X}"
    return None


def cell_issues(file: str, line: int | None, field: str, cell: str, numeric: bool) -> list[Issue]:
    """What one CSV cell may not hold, whatever its column."""
    issues = []
    bad = control_character(cell)
    if bad:
        issues.append(Issue(file, line, field, f"contains the control character {bad} (a line break, tab or invisible "
                            "character; an unbalanced quote makes one too); a cell holds one line of printable text"))
    if len(cell) > MAX_CELL:
        issues.append(Issue(file, line, field, f"cell is {len(cell)} characters long; at most {MAX_CELL} fit on a page"))
    text = cell.strip()
    if numeric and text and not PLAIN_NUMBER.fullmatch(text) and _reads_as_number(text):
        issues.append(Issue(file, line, field, f"'{text[:40]}' is not a plain decimal number; write it like 1000, 0.5 or -20 "
                            "(no +, _, exponent, leading zeros or thousands separator)"))
    return issues


def _reads_as_number(text: str) -> bool:
    """Python reads it as a number (so the schema accepts it); other spellings the schema refuses itself."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def name_issues(file: str, line: int | None, field: str, name: str) -> list[Issue]:
    """A study's name is shown in headings, figure labels and anchors: plain text that makes an anchor."""
    name = name.strip()
    issues = []
    markup = sorted({ch for ch in name if ch in NAME_MARKUP})
    if markup:
        issues.append(Issue(file, line, field, f"'{name[:60]}' contains {' '.join(markup)}, which is markup on a page; "
                            "a name is plain text (letters, digits, spaces and - / ( ) . , @ + : ;)"))
    if name.startswith(FORMULA_START):
        issues.append(Issue(file, line, field, f"'{name[:60]}' starts with '{name[0]}', which spreadsheets read as a formula; "
                            "start the name with a letter or digit"))
    missing = undrawable(name)
    if missing:
        issues.append(Issue(file, line, field, f"'{name[:60]}' has characters the figures' font (DejaVu Sans) cannot draw: "
                            f"{' '.join(missing[:5])}; write the name in Latin, Greek or Cyrillic letters as the paper's "
                            "English text does"))
    if name and not slug(name):
        issues.append(Issue(file, line, field, f"'{name[:60]}' has no letter or digit, so it gives no link anchor"))
    return issues


def anchor_issues(file: str, named: list[tuple[int, str]], field: str = "study") -> list[Issue]:
    """Names whose link anchors collide ('X/Y' and 'X-Y' are both #x-y): links would reach the wrong one."""
    issues: list[Issue] = []
    first: dict[str, tuple[int, str]] = {}
    for line, name in named:
        key = slug(name)
        if key in first and first[key][1] != name:
            issues.append(Issue(file, line, field, f"'{name}' gets the same link anchor '#{key}' as '{first[key][1]}' "
                                f"(line {first[key][0]}); rename one"))
        first.setdefault(key, (line, name))
    return issues


def date_issues(file: str, line: int, field: str, date: dt.date | None, today: dt.date | None = None) -> list[Issue]:
    today = today or dt.datetime.now(dt.UTC).date()
    if date is not None and date > today:
        return [Issue(file, line, field, f"{date.isoformat()} is in the future (today is {today.isoformat()})")]
    return []


def url_allowed(url: str) -> bool:
    """A web link (http, https) or a DOI link, with no character a browser would strip or stop at."""
    return url.lower().startswith(URL_SCHEMES) and not re.search(r"[\s\"'<>\\^`{|}]", url) and not control_character(url)


def reference_url_issues(file: str, line: int, key: str, fields: dict[str, str], raw: str) -> list[Issue]:
    """Every link a reference makes (its ``url`` field, ``\\url{}``/``\\href{}`` in any field) must be http, https or doi."""
    issues = []
    for name, value in fields.items():
        if name.lower() == "url" and not url_allowed(value.strip()):
            issues.append(Issue(file, line, "url", f"entry '{key}': '{value.strip()[:60]}' is not a web link; expected "
                                "http://, https:// or doi:"))
    for target in LINK_COMMANDS.findall(raw):
        if not url_allowed(target.strip()):
            issues.append(Issue(file, line, "url", f"entry '{key}': \\url{{{target.strip()[:60]}}} is not a web link; "
                                "expected http://, https:// or doi:"))
    return issues


@functools.lru_cache(maxsize=1)
def _font_charmap() -> frozenset[int]:
    """Code points of DejaVu Sans, the font every figure is drawn in (shipped with matplotlib)."""
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"), fallback_to_default=False)
    return frozenset(ft2font.FT2Font(path).get_charmap())


def undrawable(text: str) -> list[str]:
    """Characters of ``text`` the figure font has no glyph for (they would be drawn as empty boxes)."""
    if text.isascii():
        return []
    charmap = _font_charmap()
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in charmap})


#: the fields of a reference the bibliography page prints as text
PRINTED_BIB_FIELDS = ("author", "title", "journal", "booktitle", "publisher", "note")
_RAW_FIELD = re.compile(r"^\s*(\w+)\s*=\s*[{\"](.*)[}\"]\s*,?\s*$", re.M)


def unrendered_latex(raw_entry: str) -> list[tuple[str, str]]:
    """(field, markup) for each printed field whose LaTeX the page would show as typed: the field is
    rendered as sphinxcontrib-bibtex renders it (pybtex), and a command or a '$' left over is markup
    it cannot draw ('\\emph', '$_2$'); escapes it does render ('\\&', '{\\o}') pass."""
    from pybtex.backends.plaintext import Backend
    from pybtex.richtext import Text

    # one backend instance: render_as("text") looks the backend up among every installed package's entry
    # points on each call, which was 90 % of `reviewfigs check`
    backend = Backend()

    found = []
    for match in _RAW_FIELD.finditer(raw_entry):
        name = match.group(1).lower()
        if name not in PRINTED_BIB_FIELDS:
            continue
        try:
            shown = Text.from_latex(match.group(2)).render(backend)
        except Exception:  # pybtex cannot even parse it: the braces are the author's to fix
            shown = match.group(2)
        left = re.search(r"\\[A-Za-z]+|\$", shown)
        if left:
            found.append((name, left.group(0)))
    return found
