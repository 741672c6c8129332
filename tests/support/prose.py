"""The prose of the chapters as a reader reads it: what the own-words and typed-number checks scan.

A page is parsed with MyST's own parser (the extensions of ``_config.yml``) and its token stream is walked
(:func:`prose_lines`). Kept: the text of paragraphs, headings, list items, table cells, definition lists,
and of the directives whose body is prose (exercise, solution, admonition, note, glossary, ...), parsed
again as MyST, with the title of those that have one. Left out: front matter, code cells and other code
or data directives, fenced and indented code, inline code, math, HTML (tags, HTML blocks, ``<sup>``
footnote marks), comments, labels (``(name)=``), directive options, URLs, and the roles: a {term},
{ref}, {numref}, {doc} or {download} role keeps its visible text (``text <target>`` shows ``text``;
a bare {term} shows the term), the others show nothing.

Each line of prose keeps the line of the page it was typed on, so a check can say ``page:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html import unescape

import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from support.repo import REPO

CHAPTERS = REPO / "chapters"

# Directives whose body is code or data, not prose.
CODE_DIRECTIVES = {"code-cell", "code-block", "code", "sourcecode", "literalinclude", "math", "raw", "eval-rst",
                   "bibliography", "tableofcontents", "toctree", "csv-table", "include", "image", "glue",
                   "glue:any", "glue:figure", "glue:math"}
# Directives whose argument is a title a reader reads (for the others it is a label or a path).
TITLED = {"exercise", "exercise-start", "admonition", "note", "tip", "hint", "warning", "important", "seealso",
          "topic", "dropdown", "list-table", "table", "sidebar"}
# Roles that show words: `text <target>` shows 'text'; a bare {term} shows the term, the others a number or nothing.
ROLES_WITH_TEXT = {"term", "ref", "numref", "doc", "download"}
# Inline markup a reader does not read as words, besides code, math, HTML and roles (each leaves a space; emphasis,
# links and the like leave nothing and their text is read).
HIDDEN = {"footnote_ref", "substitution_inline"}
DIRECTIVE = re.compile(r"^\{([\w:.-]+)\}\s*(.*)$")
EXPLICIT = re.compile(r"^(.*?)\s*<[^>]*>$", re.S)
URL = re.compile(r"(https?://|www\.)\S+")
TAG = re.compile(r"<[^>]*>")
HTML_HIDDEN = re.compile(r"<!--.*?-->|<(sup|script|style)\b.*?</\1\s*>", re.S | re.I)


@dataclass(frozen=True)
class Line:
    """What a reader reads on one line of a page, within one block (a table row gives one per cell)."""

    number: int  # the line of the page, from 1
    text: str
    heading: bool = False
    within: tuple[str, ...] = ()  # the directives around it, outermost first, e.g. ('exercise',)


@cache
def parser() -> MarkdownIt:
    """MyST's parser with the book's syntax extensions (``parse.myst_enable_extensions`` of ``_config.yml``)."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    extensions = config.get("parse", {}).get("myst_enable_extensions", [])
    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


def _without_options(body: str) -> str:
    """A directive's body with its options blanked (line count kept), as MyST reads them: a ``---`` YAML block
    at the start, or the ``:key: value`` lines that open the body."""
    lines = body.split("\n")
    if lines and lines[0].startswith("---"):
        end = next((i for i in range(1, len(lines)) if re.match(r"^-{3,}", lines[i])), len(lines) - 1)
        return "\n" * end + "\n" + "\n".join(lines[end + 1:])
    count = 0
    while count < len(lines) and lines[count].lstrip().startswith(":"):
        count += 1
    return "\n" * count + "\n".join(lines[count:])


def _role_text(token: Token) -> str:
    role, body = token.meta.get("name", ""), token.content
    if role not in ROLES_WITH_TEXT:
        return " "
    explicit = EXPLICIT.match(body)
    if explicit:
        return explicit.group(1)
    return body if role == "term" else " "


class _Cursor:
    """Where the children of one inline token were typed: markdown-it gives a line only to the block, and
    folds the line breaks inside a role or inline code into spaces, so each child is found in the source."""

    def __init__(self, source: str, first_line: int):
        self.source, self.first_line, self.at = source, first_line, 0

    def line(self) -> int:
        return self.first_line + self.source.count("\n", 0, self.at)

    def over(self, start: str, end: str = "") -> int:
        """Move past ``start`` (and then ``end``); the line where ``start`` begins."""
        found = self.source.find(start, self.at) if start else -1
        if found == -1:
            return self.line()
        line = self.first_line + self.source.count("\n", 0, found)
        self.at = found + len(start)
        if end:
            close = self.source.find(end, self.at)
            self.at = close + len(end) if close != -1 else self.at
        return line

    def over_role(self, name: str) -> int:
        """Move past ``{name}`body``` (the body between runs of backticks of the same length)."""
        role = re.compile(r"\{" + re.escape(name) + r"\}(`+)")
        found = role.search(self.source, self.at)
        if not found:
            return self.line()
        self.at = found.start()
        return self.over(found.group(0), found.group(1))


def _inline(token: Token, first_line: int) -> list[tuple[int, str]]:
    """The visible text of one inline token, as (line, text) pieces."""
    cursor = _Cursor(token.content, first_line)
    pieces: list[tuple[int, str]] = []
    in_sup = in_autolink = False
    for child in token.children or []:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            cursor.over("\n")
        elif kind == "text":
            line = cursor.over(child.content)
            if not (in_sup or in_autolink):
                pieces.append((line, URL.sub(" ", child.content)))
        elif kind == "image":  # its alt text is read (aloud, or when the image is missing)
            pieces.append((cursor.over("!["), "".join(c.content for c in child.children or [] if c.type == "text")))
        elif kind == "link_open" and child.markup == "autolink":
            in_autolink = True
        elif kind == "link_close" and child.markup == "autolink":
            in_autolink = False
        elif kind == "html_inline":
            tag = child.content.lower()
            in_sup = tag.startswith("<sup") or (in_sup and not tag.startswith("</sup"))
            pieces.append((cursor.over(child.content), " "))
        elif kind == "myst_role":
            pieces.append((cursor.over_role(child.meta.get("name", "")), _role_text(child)))
        elif kind == "code_inline":
            pieces.append((cursor.over(child.markup, child.markup), " "))
        elif kind in ("math_inline", "math_inline_double"):
            pieces.append((cursor.over(child.markup + child.content, child.markup), " "))
        elif kind in HIDDEN:
            pieces.append((cursor.line(), " "))
    return pieces


def _walk(tokens: list[Token], offset: int, within: tuple[str, ...]) -> list[Line]:
    lines: list[Line] = []
    for i, token in enumerate(tokens):
        if token.type == "inline" and token.map is not None:
            heading = i > 0 and tokens[i - 1].type == "heading_open"
            texts: dict[int, list[str]] = {}
            for line, text in _inline(token, offset + token.map[0] + 1):
                texts.setdefault(line, []).append(text)
            lines += [Line(number, "".join(parts), heading, within) for number, parts in texts.items()]
        elif token.type == "html_block" and token.map is not None:
            for number, text in enumerate(_html_text(token.content).split("\n"), offset + token.map[0] + 1):
                if text.strip():
                    lines.append(Line(number, text, False, within))
        elif token.type in ("fence", "colon_fence") and token.map is not None:
            directive = DIRECTIVE.match(token.info.strip())
            if not directive or directive.group(1) in CODE_DIRECTIVES:
                continue  # code, or a directive whose body is code or data
            name, argument = directive.groups()
            opening = offset + token.map[0] + 1  # the line of the opening fence; the body starts below it
            if name in TITLED and argument:
                lines += _title(argument, opening, within + (name,))
            lines += _walk(parser().parse(_without_options(token.content)), opening, within + (name,))
    return lines


def _html_text(html: str) -> str:
    """The text an HTML block shows (line count kept): no tags, comments, scripts, styles or ``<sup>`` marks."""
    def blank(match: re.Match) -> str:
        return "\n" * match.group(0).count("\n") or " "

    html = HTML_HIDDEN.sub(blank, html)
    return unescape(TAG.sub(blank, html))


def _title(text: str, line: int, within: tuple[str, ...]) -> list[Line]:
    """A directive's title: one line of MyST inline markup, on the directive's first line."""
    return _walk(parser().parse(text), line - 1, within)


def prose_lines(markdown: str) -> list[Line]:
    """The prose of a MyST page (or of plain text), line by line, in reading order."""
    return _walk(parser().parse(markdown), 0, ())


def strip_markup(markdown: str) -> str:
    """The prose of a MyST page (or of plain text): what a reader reads, without machine parts."""
    return "\n".join(line.text for line in prose_lines(markdown))
