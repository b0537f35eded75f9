"""A site is byte-identical for the same input (whatever PYTHONHASHSEED, argument order or
--jobs), and its cache rebuilds exactly what changed: content, configuration, version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import compiler.site.cache as site_cache
from compiler.site.build import build_site
from tests.conftest import FIXTURES, SPECS
from tests.site_support import build_in_process_env, tree
from tests.test_site import playbook


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    one = tmp_path / "one"
    (one / "sub").mkdir(parents=True)
    for name in ("alpha", "beta", "gamma"):
        (one / f"{name}.md").write_text(playbook(name.title(), agent=name), encoding="utf-8")
    (one / "sub" / "Ünï côde.md").write_text(playbook("Delta"), encoding="utf-8")
    two = tmp_path / "two"
    shutil.copytree(SPECS, two)
    shutil.copy(FIXTURES / "render" / "hostile.md", two / "hostile.md")
    return one, two


def test_byte_identical_across_hash_seeds_argument_order_and_jobs(inputs, tmp_path):
    assert all(p.is_dir() for p in inputs)
    runs = [
        (["one", "two"], "0", "1"),
        (["two", "one"], "12345", "3"),
        (["two", "./one"], "random", "2"),
    ]
    trees = []
    for number, (args, seed, jobs) in enumerate(runs):
        site = f"site{number}"
        done = build_in_process_env(
            [*args, "-o", site, "--jobs", jobs], {"PYTHONHASHSEED": seed}, tmp_path
        )
        assert done.returncode == 0, done.stderr
        trees.append(tree(tmp_path / site, cache=True))
    assert trees[0] == trees[1] == trees[2]
    assert len(trees[0]) > 10


def test_a_no_change_rebuild_builds_nothing(inputs, tmp_path):
    site = tmp_path / "site"
    first = build_site([str(p) for p in inputs], site)
    before = tree(site, cache=True)
    again = build_site([str(p) for p in inputs], site)
    assert first.rebuilt == first.documents and again.rebuilt == 0
    assert tree(site, cache=True) == before


def test_one_changed_file_rebuilds_only_that_file(inputs, tmp_path):
    one, two = inputs
    site = tmp_path / "site"
    build_site([str(one), str(two)], site)
    before = tree(site)
    (one / "beta.md").write_text(playbook("Beta Prime", agent="beta"), encoding="utf-8")
    report = build_site([str(one), str(two)], site)
    assert report.rebuilt == 1
    after = tree(site)
    changed = {name for name in after if after[name] != before.get(name)}
    # The page itself, its neighbours' previous/next titles, and the pages listing titles.
    assert "docs/one-beta.html" in changed
    assert changed <= {
        "docs/one-beta.html",
        "md/one-beta.md",
        "docs/one-alpha.html",
        "docs/one-gamma.html",
        "index.html",
        "agents.html",
        "assets/search-index.js",
    }


def test_a_changed_scenario_rebuilds_its_document(inputs, tmp_path):
    _one, two = inputs
    site = tmp_path / "site"
    build_site([str(two)], site)
    scenario = next(two.glob("*.scenario.yaml"))
    scenario.write_text(scenario.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert build_site([str(two)], site).rebuilt == 1


def test_configuration_change_rebuilds_what_it_covers(inputs, tmp_path):
    one, two = inputs
    site = tmp_path / "site"
    build_site([str(one), str(two)], site)
    (one / "drillbook.toml").write_text('ignore = ["WF205"]\n', encoding="utf-8")
    report = build_site([str(one), str(two)], site)
    assert report.rebuilt == 4  # every document of `one`, none of `two`


def test_version_change_rebuilds_everything(inputs, tmp_path, monkeypatch):
    site = tmp_path / "site"
    first = build_site([str(p) for p in inputs], site)
    monkeypatch.setattr(site_cache, "__version__", "999.0")
    assert build_site([str(p) for p in inputs], site).rebuilt == first.documents


def test_a_damaged_cache_entry_is_rebuilt(inputs, tmp_path):
    site = tmp_path / "site"
    build_site([str(p) for p in inputs], site)
    entry = next((site / ".drillbook" / "cache").glob("*.json"))
    entry.write_text("{not json", encoding="utf-8")
    assert build_site([str(p) for p in inputs], site).rebuilt == 1
