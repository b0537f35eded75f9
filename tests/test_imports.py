"""What `drillbook lint` imports: only what checking a document needs (issue 10, cold start).

The command runs in a fresh interpreter, as a user or pre-commit runs it, and lists the
modules loaded by the time it exits. Rendering (Jinja2, networkx), simulation (numpy, YAML
scenarios) and worker pools must stay out of a lint of a plain document.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.checks.config import LintConfig
from compiler.cli.lint_run import lint_paths
from tests.conftest import FIXTURES, ROOT, SEED, SPECS

#: Lint of a document never needs these (yaml only reads front matter beyond plain `key:
#: value` lines and agent catalogs, tomllib a configuration file, subprocess and shutil ask
#: git what a folder's .gitignore excludes, tempfile writes `-o` files and the site;
#: pydantic only writes and reads the IR, scenarios, the site's cache and the config schema).
NOT_FOR_LINT = (
    "pydantic",
    "pydantic_core",
    "networkx",
    "jinja2",
    "numpy",
    "yaml",
    "markupsafe",
    "multiprocessing",
    "tomllib",
    "subprocess",
    "shutil",
    "tempfile",
)

_LIST_MODULES = """
import json, sys
from compiler.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def modules_of(tmp_path: Path, *args: str) -> set[str]:
    """Top-level packages loaded by `drillbook ARGS` in a fresh interpreter."""
    return {name.split(".")[0] for name in all_modules_of(tmp_path, *args)}


def all_modules_of(tmp_path: Path, *args: str) -> set[str]:
    """Every module loaded by `drillbook ARGS` in a fresh interpreter."""
    listing = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", _LIST_MODULES, str(listing), *args],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return set(json.loads(listing.read_text()))


def test_lint_of_a_plain_document_imports_no_renderer_simulator_or_pool(tmp_path):
    document = SPECS / "release-train.md"
    assert not document.read_text().startswith("---")  # no front matter: no YAML to read
    loaded = modules_of(tmp_path, "lint", str(document))
    assert "markdown_it" in loaded  # it did lint
    assert sorted(set(NOT_FOR_LINT) & loaded) == []


def test_only_fix_and_diff_load_the_fixer(tmp_path):
    document = str(SPECS / "release-train.md")
    assert "compiler.cli.lint_fix" not in all_modules_of(tmp_path, "lint", document)
    assert "compiler.cli.lint_fix" in all_modules_of(tmp_path, "lint", "--diff", document)


#: pydantic and what it brings: a third of a cold lint when the model was made of its models.
PYDANTIC = {"pydantic", "pydantic_core", "annotated_types", "typing_inspection"}


@pytest.mark.parametrize("output", ["text", "json", "sarif", "github"])
def test_lint_imports_no_pydantic_in_any_format(tmp_path, output):
    # The model and the findings are plain dataclasses (compiler.model, compiler.diagnostics)
    if output == "text" and SEED.exists():
        assert not PYDANTIC & modules_of(tmp_path, "lint", str(SEED))
    loaded = modules_of(tmp_path, "lint", str(FIXTURES), "--format", output)  # every rule
    assert "compiler" in loaded
    assert sorted(PYDANTIC & loaded) == []


def test_lint_of_a_folder_imports_no_renderer_or_simulator(tmp_path):
    loaded = modules_of(tmp_path, "lint", str(SPECS), "--format", "json")
    assert "compiler" in loaded
    assert sorted({"networkx", "jinja2", "numpy", "markupsafe"} & loaded) == []


def test_front_matter_beyond_key_value_lines_is_what_brings_yaml_in(tmp_path):
    document = SPECS / "payments-outage.md"
    assert "tags: [incident, payments]" in document.read_text()  # a flow list: YAML reads it
    assert "yaml" in modules_of(tmp_path, "lint", str(document))


def test_plain_key_value_front_matter_is_read_without_yaml(tmp_path):
    # a docs site's front matter, as in the seed (compiler/parse/front_matter.py)
    document = tmp_path / "playbook.md"
    body = (SPECS / "release-train.md").read_text()
    document.write_text("---\nsidebar_position: 3\ntitle: Release Train\n---\n\n" + body)
    loaded = modules_of(tmp_path, "lint", str(document))
    assert "compiler" in loaded
    assert "yaml" not in loaded


def test_a_configuration_file_is_what_brings_tomllib_in(tmp_path):
    document = tmp_path / "playbook.md"
    document.write_text((SPECS / "release-train.md").read_text())
    assert "tomllib" not in modules_of(tmp_path, "lint", str(document))
    (tmp_path / "drillbook.toml").write_text('ignore = ["WF108"]\n')
    assert "tomllib" in modules_of(tmp_path, "lint", str(document))


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_back_in_file_order_whatever_finishes_first(jobs):
    # the largest document first: with workers, the small ones finish before it
    files = sorted(map(str, SPECS.glob("*.md")), key=lambda p: -Path(p).stat().st_size)
    files += list(reversed(files))
    results = lint_paths(files, LintConfig(), jobs)
    assert [r.path for r in results] == files
    assert [r.diagnostics for r in results] == [
        r.diagnostics for r in lint_paths(files, LintConfig(), 1)
    ]
