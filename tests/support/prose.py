"""The prose of the chapters as a reader reads it: what the own-words and typed-number checks scan.

:func:`strip_markup` removes YAML front matter, code cells, fenced code, directive options, labels,
URLs and the machine parts of MyST roles; a {term}, {ref}, {numref}, {doc} or {download} role keeps its
visible text.
"""

from __future__ import annotations

import re

from support.repo import REPO

CHAPTERS = REPO / "chapters"

# Directives whose body is code or data, not prose.
CODE_DIRECTIVES = {"code-cell", "code-block", "code", "sourcecode", "literalinclude", "math", "raw", "eval-rst",
                   "bibliography", "tableofcontents", "toctree"}
# Directives whose argument is a title a reader reads (for the others it is a label or a path).
TITLED = {"exercise", "exercise-start", "admonition", "note", "tip", "hint", "warning", "important", "seealso",
          "topic", "dropdown", "list-table", "table", "sidebar"}
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(.*)$")
OPTION = re.compile(r"^\s*:[\w-]+:(\s|$)")
LABEL = re.compile(r"^\s*\([\w.:-]+\)=\s*$")
ROLE_WITH_TEXT = re.compile(r"\{(term|ref|numref|doc|download)\}`([^`]*)`")
ANY_ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
INLINE_CODE = re.compile(r"`[^`]*`")
MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
URL = re.compile(r"(https?://|www\.)\S+")
SUP = re.compile(r"<sup>.*?</sup>", re.S)
TAG = re.compile(r"<[^>]+>")
COMMENT = re.compile(r"<!--.*?-->", re.S)
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)


def _visible(match: re.Match) -> str:
    """`{term}`text <Target>`` -> 'text'; `{term}`Target`` -> 'Target'; numbered refs show no words."""
    role, body = match.group(1), match.group(2)
    explicit = re.match(r"^(.*?)\s*<[^>]*>$", body, re.S)
    if explicit:
        return explicit.group(1)
    return body if role == "term" else ""


def strip_markup(markdown: str) -> str:
    """The prose of a MyST page (or of plain text): what a reader reads, without machine parts."""
    text = markdown
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            text = text[end + 4:]
    kept: list[str] = []
    stack: list[tuple[str, int, bool]] = []  # (fence char, fence length, body is prose)
    for line in text.splitlines():
        fence = FENCE.match(line)
        if fence:
            marks, info = fence.group(2), fence.group(3).strip()
            if stack and marks[0] == stack[-1][0] and len(marks) >= stack[-1][1] and not info:
                stack.pop()
                continue
            if not info or not stack or stack[-1][2]:
                directive = re.match(r"^\{([\w:-]+)\}\s*(.*)$", info)
                prose = bool(directive) and directive.group(1) not in CODE_DIRECTIVES
                if stack and not stack[-1][2]:
                    prose = False
                stack.append((marks[0], len(marks), prose))
                if prose and directive.group(1) in TITLED and directive.group(2):
                    kept.append(directive.group(2))  # a directive's title is prose
                continue
        if stack and not stack[-1][2]:
            continue
        if stack and OPTION.match(line):
            continue
        if LABEL.match(line) or line.lstrip().startswith("%"):
            continue
        kept.append(line)
    text = "\n".join(kept)
    text = COMMENT.sub(" ", text)
    text = SUP.sub(" ", text)
    text = ROLE_WITH_TEXT.sub(_visible, text)
    text = ANY_ROLE.sub(" ", text)
    text = INLINE_CODE.sub(" ", text)
    text = MD_LINK.sub(r"\1", text)
    text = URL.sub(" ", text)
    text = MATH.sub(" ", text)
    text = TAG.sub(" ", text)
    return text
