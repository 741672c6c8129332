"""Where a study is on the site: its slug and the anchors that figures, tables and tooltips link to.

A leaf (imports nothing from the package), so a table page can name an anchor without loading the
plotting layer.
"""

from __future__ import annotations

import re


def slug(study: str) -> str:
    """'MOF-C(t)/X' -> 'mof-c-t-x': lower case, runs of other characters as one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", str(study).lower()).strip("-")


def study_anchor(study: str) -> str:
    """The label of a study's section in its chapter, e.g. ``study-gscp`` (``(study-gscp)=`` in the chapter)."""
    return "study-" + slug(study)


def added_anchor(study: str) -> str:
    """The anchor of an added study's row on the What's new page, e.g. ``new-agnw-cc``."""
    return "new-" + slug(study)
