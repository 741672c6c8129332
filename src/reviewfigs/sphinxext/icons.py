"""The theme's icons without the 1.5 MB Font Awesome script: only the icons the built pages use.

pydata-sphinx-theme loads ``_static/scripts/fontawesome.js`` on every page (1.49 MB, every icon of Font
Awesome Free). The pages use about fifteen. After an HTML build, :func:`write_subset` reads the icon
definitions out of the theme's own script, keeps those whose class names occur in the built pages or in
the theme's scripts, and writes, over the same path, a small script that swaps each
``<i class="fa-solid fa-bars">`` for the matching inline SVG (as Font Awesome's script does). The
template's ``<script>`` tag is unchanged, and a page that gains an icon gets it at the next build.
Icons: Font Awesome Free, CC BY 4.0 (the licence header is kept).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..files import write_atomic

SCRIPT = Path("_static") / "scripts" / "fontawesome.js"
#: the order in which fontawesome.js defines its three free sets, and the class names that select each
STYLES = ("brands", "regular", "solid")
PREFIXES = {"fab": "brands", "fa-brands": "brands", "far": "regular", "fa-regular": "regular",
            "fas": "solid", "fa-solid": "solid"}
_ICON = re.compile(r'(?:"([a-z0-9-]+)"|\b([a-z][a-z0-9]*)):\[(\d+),(\d+),\[[^\]]*\],"[^"]*","([^"]+)"\]')
_CLASS_TOKEN = re.compile(r"\bfa-([a-z0-9-]+)")

RUNTIME = """\
/* Font Awesome Free icons used by this site (subset written by reviewfigs.sphinxext.icons).
 * Font Awesome Free by @fontawesome - https://fontawesome.com - License https://fontawesome.com/license/free
 * (Icons: CC BY 4.0, Code: MIT License). Copyright Fonticons, Inc. */
(() => {
  const ICONS = %s;
  const PREFIX = %s;
  const NS = "http://www.w3.org/2000/svg";
  function swap(el) {
    const classes = [...el.classList];
    const style = classes.map(c => PREFIX[c]).find(Boolean) || "solid";
    const name = classes.filter(c => c.startsWith("fa-") && !PREFIX[c]).map(c => c.slice(3)).find(n => ICONS[style][n]);
    if (!name) return;
    const [w, h, d] = ICONS[style][name];
    const svg = document.createElementNS(NS, "svg");
    for (const a of el.attributes) if (a.name !== "class") svg.setAttribute(a.name, a.value);
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", ["svg-inline--fa", ...classes].join(" "));
    const path = document.createElementNS(NS, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", d);
    svg.appendChild(path);
    el.replaceWith(svg);
  }
  const run = root => root.querySelectorAll("i[class*='fa-'], span[class*='fa-']").forEach(swap);
  const start = () => {
    run(document);
    new MutationObserver(records => records.forEach(r => r.addedNodes.forEach(n => {
      if (n.nodeType !== 1) return;
      if (n.matches("i[class*='fa-'], span[class*='fa-']")) swap(n); else run(n);
    }))).observe(document.body, {childList: true, subtree: true});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
"""


class IconsNotFound(RuntimeError):
    """The theme's fontawesome.js no longer has the layout this module reads."""


def icon_sets(script: str) -> dict[str, dict[str, tuple[int, int, str]]]:
    """{style: {name: (width, height, path)}} read from Font Awesome's bundled script."""
    parts = script.split("var p={")[1:]
    if len(parts) != len(STYLES):
        raise IconsNotFound(f"expected {len(STYLES)} icon sets in fontawesome.js, found {len(parts)}: "
                            "the theme's Font Awesome bundle changed; update reviewfigs.sphinxext.icons")
    sets = {}
    for style, part in zip(STYLES, parts):
        sets[style] = {(m.group(1) or m.group(2)): (int(m.group(3)), int(m.group(4)), m.group(5))
                       for m in _ICON.finditer(part)}
    return sets


def used_names(outdir: Path) -> set[str]:
    """Every ``fa-NAME`` token in the built pages and in the site's own scripts (which create icons too)."""
    names: set[str] = set()
    scripts = [*(outdir / "_static").glob("*.js"), *(outdir / "_static" / "scripts").glob("*.js")]
    files = [*outdir.rglob("*.html"), *(p for p in scripts if p.name != SCRIPT.name)]
    for path in files:
        names.update(_CLASS_TOKEN.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def subset_script(full_script: str, names: set[str]) -> str:
    """The small replacement script holding only the icons named (in any of the three styles)."""
    sets = icon_sets(full_script)
    keep = {style: {n: list(icons[n]) for n in sorted(names) if n in icons} for style, icons in sets.items()}
    return RUNTIME % (json.dumps(keep, separators=(",", ":"), sort_keys=True),
                      json.dumps(PREFIXES, separators=(",", ":"), sort_keys=True))


def write_subset(outdir: Path, theme_script: Path) -> Path:
    """Overwrite the built site's fontawesome.js with the subset its pages use; return its path."""
    target = Path(outdir) / SCRIPT
    write_atomic(target, subset_script(theme_script.read_text(encoding="utf-8"), used_names(Path(outdir))))
    for extra in (target.with_name(target.name + ".map"),):
        extra.unlink(missing_ok=True)  # the source map describes the full bundle, not this file
    return target
