"""Sphinx glue for the teaching material: gallery downloads, styles, and launch buttons that never crash.

* After an HTML build that includes the gallery page, every registered figure is written as SVG and
  PNG into ``_build/html/gallery/`` (the gallery links to them), copied from ``_build/figure-cache/``
  when neither the data nor the code changed since it was drawn.
* Every executed page offers its ``.ipynb`` for download, launch buttons or not.
* Launch buttons (Binder, Colab, JupyterHub) need the repository's address. It is read from
  ``repository.url`` in ``_config.yml`` or, when that is empty, from the environment variable
  ``REVIEWFIGS_REPOSITORY_URL`` at build time. Without an address the buttons are switched off
  (sphinx-book-theme fails on an empty URL), so the build works either way.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import __version__

ENV_URL = "REVIEWFIGS_REPOSITORY_URL"
#: folder, beside the HTML output, of the figure cache (keyed by the review's content and the code version)
FIGURE_CACHE = "figure-cache"
ENV_HUB = "REVIEWFIGS_JUPYTERHUB_URL"


def configure_launch_buttons(options: dict, environ=os.environ) -> dict:
    """Theme options with launch buttons on when a repository URL is known, off (and valid) when not."""
    options = dict(options or {})
    url = (options.get("repository_url") or "").strip() or environ.get(ENV_URL, "").strip()
    launch = {k: v for k, v in dict(options.get("launch_buttons") or {}).items() if v not in ("", None)}
    if environ.get(ENV_HUB, "").strip():
        launch["jupyterhub_url"] = environ[ENV_HUB].strip()
    if url:
        options["repository_url"] = url
        options.setdefault("path_to_docs", "")
        options.setdefault("repository_branch", "main")
        launch.setdefault("binderhub_url", "https://mybinder.org")
        launch.setdefault("colab_url", "https://colab.research.google.com")
        launch.setdefault("notebook_interface", "jupyterlab")
        options["launch_buttons"] = launch
        options["use_repository_button"] = True
    else:
        options.pop("repository_url", None)
        options["launch_buttons"] = {}
        for key in ("use_repository_button", "use_issues_button", "use_edit_page_button"):
            options[key] = False
    return options


def _launch_buttons(app, config) -> None:
    config.html_theme_options = configure_launch_buttons(config.html_theme_options)


def stable_notebook(raw: bytes) -> bytes:
    """The notebook with cell ids numbered in order: MyST-NB draws them at random on each conversion,
    and the site must be the same bytes for the same sources (a download that changes on every build
    would also defeat incremental publishing)."""
    import json

    notebook = json.loads(raw)
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if "id" in cell:
            cell["id"] = f"cell-{number}"
    return (json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _offer_notebook(app, pagename, templatename, context, doctree) -> None:
    """Every executed page offers its notebook (.ipynb, with outputs) in the download menu.

    sphinx-book-theme copies the executed notebook into ``_sources`` only when launch buttons are on;
    students without a launch service still need the notebook, so it is copied here for every page that
    MyST-NB executed (``jupyter_execute/<page>.ipynb``), and the theme's download menu lists it.
    """
    if app.builder.format != "html" or not str(context.get("sourcename", "")).endswith((".md", ".md.txt")):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    from ..files import write_atomic

    write_atomic(Path(app.outdir) / "_sources" / f"{pagename}.ipynb", stable_notebook(executed.read_bytes()))
    context["ipynb_source"] = f"{pagename}.ipynb"


def _write_gallery(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or "chapters/gallery" not in app.env.found_docs:
        return
    from ..data.load import review
    from ..teaching import write_gallery

    # the cache sits beside the HTML (not in it, so it is not published): a rebuild that changed no input or
    # code draws no figure
    write_gallery(review(app.srcdir), Path(app.outdir), cache=Path(app.outdir).parent / FIGURE_CACHE)


def setup(app):
    app.add_css_file("teaching.css")
    app.connect("config-inited", _launch_buttons, priority=900)
    app.connect("build-finished", _write_gallery)
    app.connect("html-page-context", _offer_notebook, priority=500)  # before the theme's header buttons (501)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
