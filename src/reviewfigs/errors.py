"""Validation problems that name the file, the line, the field and what was expected.

Every check in the library reports through :class:`Issue` so that one run can collect
many problems and the command line can print them all before exiting non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in one place of one input file."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"


class DataError(Exception):
    """Raised when inputs fail validation; carries every issue found, not just the first."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(set(issues), key=lambda i: (i.file, i.line or 0, i.field or "", i.message))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(issue) for issue in self.issues]
        lines.append(f"{len(self.issues)} problem(s) found.")
        return "\n".join(lines)
