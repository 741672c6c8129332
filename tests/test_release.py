"""Release files: a valid CITATION.cff (checked against the official CFF 1.2.0 schema), one version everywhere."""

from __future__ import annotations

import json
import re
import tomllib

import jsonschema
import yaml

import reviewfigs


def test_citation_cff_is_valid(repo):
    schema = json.loads((repo / "tests" / "schemas" / "citation-cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(citation, schema, format_checker=jsonschema.FormatChecker())


def test_invalid_citation_cff_is_caught(repo):
    """The schema is the real CFF 1.2.0 one: removing any field it requires from our file is refused."""
    schema = json.loads((repo / "tests" / "schemas" / "citation-cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["cff-version"]) == "1.2.0"
    required = schema.get("required", [])
    assert {"authors", "cff-version", "message", "title"} <= set(required)
    for field in required:
        broken = {k: v for k, v in citation.items() if k != field}
        errors = list(jsonschema.Draft7Validator(schema).iter_errors(broken))
        assert any(e.validator == "required" and repr(field) in e.message for e in errors), field


def test_one_version_everywhere(repo):
    pyproject = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))["version"]
    changelog = re.search(r"^## (\S+)", (repo / "CHANGELOG.md").read_text(encoding="utf-8"), re.M).group(1)
    assert pyproject == str(citation) == changelog == reviewfigs.__version__


def test_relative_links_in_the_docs_lead_to_files(repo):
    docs = ("README.md", "CONTRIBUTING.md", "data/README.md")
    links = 0
    for doc in docs:
        text = (repo / doc).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            links += 1
            assert ((repo / doc).parent / target).exists(), f"{doc} links to missing {target}"
    assert "](CONTRIBUTING.md)" in (repo / "README.md").read_text(encoding="utf-8")
    assert links


def test_both_sphinx_extensions_report_the_package_version():
    """Sphinx records an extension's version in the environment; it must be the package's, not a typed one."""
    from unittest.mock import MagicMock

    import reviewfigs
    from reviewfigs import sphinxext
    from reviewfigs.sphinxext import teaching

    for module in (sphinxext, teaching):
        assert module.setup(MagicMock())["version"] == reviewfigs.__version__, module.__name__


def test_one_title_everywhere(repo):
    """The book's title is vocab.BOOK_TITLE (figure credits, the handout, the PDF's metadata); the two files
    that cannot import it, the book's config and the citation file, must say the same."""
    from reviewfigs.vocab import BOOK_TITLE

    config = yaml.safe_load((repo / "_config.yml").read_text(encoding="utf-8"))["title"]
    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))["title"]
    assert config == citation == BOOK_TITLE
