"""DataTables for the pages that hold an interactive table, as files (no CDN, no inline script).

itables ships DataTables (with its extensions) as one ES module, ``dt_bundle.js``. A module script
does not load from ``file://``, and the book must open from a local copy, so after an HTML build the
bundle is written to ``_static/datatables/datatables.js`` as a classic script: the same code in a
function scope, its exports put on ``window.reviewfigsDataTables``. Only the pages whose body holds a
table of class :data:`reviewfigs.text.interactive.INTERACTIVE_CLASS` load it (about 0.7 MB), with
``table1.js``, which turns the static table into a DataTables table.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..files import write_atomic

FOLDER = Path("_static") / "datatables"
GLOBAL = "reviewfigsDataTables"
_EXPORT = re.compile(r"export\s*\{([^}]*)\}\s*;?")


class BundleChanged(RuntimeError):
    """itables' dt_bundle.js no longer has the one export statement this module rewrites."""


def classic_script(module_source: str) -> str:
    """The ES module as a classic script: wrapped in a strict function, exports on ``window``."""
    exports = _EXPORT.findall(module_source)
    if len(exports) != 1 or "import " in module_source[:200]:
        raise BundleChanged(f"itables' dt_bundle.js has {len(exports)} export statements (expected 1): "
                            "update reviewfigs.sphinxext.datatables for the new itables version")
    pairs = []
    for item in exports[0].split(","):
        local, _, exported = item.strip().partition(" as ")
        pairs.append(f"{(exported or local).strip()}:{local.strip()}")
    body = _EXPORT.sub("", module_source, count=1)
    return f'(function(){{"use strict";\n{body}\nwindow.{GLOBAL}={{{",".join(pairs)}}};\n}})();\n'


def _bundle_dir() -> Path:
    import itables

    return Path(itables.__file__).parent / "html"


def write_assets(outdir: Path) -> list[Path]:
    """DataTables' script (as a classic script) and stylesheet into the built site."""
    source = _bundle_dir()
    folder = Path(outdir) / FOLDER
    script, style = folder / "datatables.js", folder / "datatables.css"
    write_atomic(script, classic_script((source / "dt_bundle.js").read_text(encoding="utf-8")))
    write_atomic(style, (source / "dt_bundle.css").read_text(encoding="utf-8"))
    return [script, style]


def _add_to_pages_with_a_table(app, pagename, templatename, context, doctree) -> None:
    from ..text.interactive import INTERACTIVE_CLASS

    if f'class="{INTERACTIVE_CLASS}' not in context.get("body", ""):
        return
    app.add_css_file("datatables/datatables.css")
    app.add_js_file("datatables/datatables.js", defer="defer")
    app.add_js_file("table1.js", defer="defer")


def _write(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        write_assets(Path(app.outdir))


def setup(app) -> None:
    app.connect("html-page-context", _add_to_pages_with_a_table)
    app.connect("build-finished", _write)
