"""The reviewfigs command line: check and export, on the real data and on broken copies."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from reviewfigs.cli import app
from support.repo import data_rows

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_check_passes_on_real_data(repo):
    result = run("check", "--root", str(repo))
    assert result.exit_code == 0, result.output
    studies = len(data_rows("studies"))
    references = len(re.findall(r"^@", (repo / "references.bib").read_text(encoding="utf-8"), flags=re.MULTILINE))
    assert f"{studies} studies" in result.output and f" {references} references" in result.output


def test_check_fails_and_names_the_place(book_copy):
    path = book_copy / "data" / "measurements.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("m006,GSCP,GSCP,host,half", "m006,GSCP,GSCP,host,halfcell"), encoding="utf-8")
    result = run("check", "--root", str(book_copy))
    assert result.exit_code == 1
    assert "data/measurements.csv:7: field 'cell_type'" in result.output
    assert "'symmetric', 'half', 'full', 'none' or 'unspecified'" in result.output


def test_export_csv_to_stdout_is_tidy(repo, real_review):
    result = run("export", "--format", "csv", "--root", str(repo))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(real_review.measurements)
    for column in ("study", "bibkey", "quantity", "value", "unit", "conditions", "source", "section", "gradient"):
        assert column in rows[0]
    gscp = [r for r in rows if r["id"] == "m006"][0]
    assert (gscp["study"], gscp["value"], gscp["unit"], gscp["section"], gscp["gradient"]) == ("GSCP", "99.0", "%", "2.1", "lithiophilicity")
    assert gscp["bibkey"] == real_review.bib.key_for(97)
    assert "1 mA/cm2" in gscp["conditions"]


def test_export_json_file_is_written_atomically(repo, tmp_path):
    out = tmp_path / "out" / "measurements.json"
    result = run("export", "--format", "json", "--output", str(out), "--root", str(repo))
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {r["study"] for r in records} >= {"GZCNT", "G-HGA"}
    assert [p.name for p in out.parent.iterdir()] == ["measurements.json"]


def test_export_writes_nothing_when_data_are_bad(book_copy, tmp_path):
    path = book_copy / "data" / "measurements.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("m006,GSCP,GSCP,host,half,unspecified,average_ce,99.0", "m006,GSCP,GSCP,host,half,unspecified,average_ce,199.0"), encoding="utf-8")
    out = tmp_path / "export.csv"
    result = run("export", "--format", "csv", "--output", str(out), "--root", str(book_copy))
    assert result.exit_code == 1
    assert "field 'value': 199 is out of range for average_ce" in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book"]


def test_export_keeps_existing_file_when_data_are_bad(book_copy, tmp_path):
    (book_copy / "references.bib").write_text("@article{broken\n", encoding="utf-8")
    out = tmp_path / "export.csv"
    out.write_text("previous export\n", encoding="utf-8")
    result = run("export", "--output", str(out), "--root", str(book_copy))
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book", "export.csv"]


def test_installed_console_script_runs(repo):
    exe = Path(sys.executable).with_name("reviewfigs")
    done = subprocess.run([str(exe), "check", "--root", str(repo)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
