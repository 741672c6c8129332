# A tiny Sphinx project for the unit tests of reviewfigs.sphinxext: MyST pages, no kernels.
# The tests copy it into a temporary folder together with the real data/ and references.bib.
project = "sphinxext unit tests"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "reviewfigs.sphinxext"]
exclude_patterns = ["_build", "data"]
nitpicky = True
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "review"
bibtex_reference_style = "label"
bibtex_cite_id = "cite-{key}"
bibtex_bibliography_id = "bibliography-{bibliography_count}"
