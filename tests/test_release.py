"""Release files: a valid CITATION.cff (checked against the official CFF 1.2.0 schema), one version everywhere."""

from __future__ import annotations

import json
import re

import jsonschema
import yaml

import reviewfigs


def test_citation_cff_is_valid(repo):
    schema = json.loads((repo / "tests" / "schemas" / "citation-cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(citation, schema, format_checker=jsonschema.FormatChecker())


def test_invalid_citation_cff_is_caught(repo):
    schema = json.loads((repo / "tests" / "schemas" / "citation-cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    del citation["authors"]
    try:
        jsonschema.validate(citation, schema)
    except jsonschema.ValidationError as exc:
        assert "authors" in exc.message
    else:
        raise AssertionError("a CITATION.cff without authors must not validate")


def test_one_version_everywhere(repo):
    pyproject = re.search(r'^version = "([^"]+)"', (repo / "pyproject.toml").read_text(encoding="utf-8"), re.M).group(1)
    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))["version"]
    changelog = re.search(r"^## (\S+)", (repo / "CHANGELOG.md").read_text(encoding="utf-8"), re.M).group(1)
    assert pyproject == str(citation) == changelog == reviewfigs.__version__


def test_readme_links_contributing(repo):
    assert "CONTRIBUTING.md" in (repo / "README.md").read_text(encoding="utf-8")
