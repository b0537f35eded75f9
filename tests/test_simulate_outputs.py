"""Reports of every spec scenario: trace snapshots (text and JSON), the Gantt page, Mermaid,
and byte-identical output whatever PYTHONHASHSEED is."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from compiler.parse import parse_document
from compiler.simulate import plan_for, read_scenario, run
from compiler.simulate.gantt import render_svg
from compiler.simulate.gantt_page import render_html
from compiler.simulate.report_json import render_json
from compiler.simulate.report_text import render_text
from compiler.source import read_source
from tests.conftest import ROOT, SPECS

SCENARIOS = sorted(SPECS.glob("*.scenario.yaml")) + sorted(SPECS.glob("*.scenarios/*.yaml"))


def owner(scenario: Path) -> Path:
    if scenario.parent.name.endswith(".scenarios"):
        return SPECS / f"{scenario.parent.name.removesuffix('.scenarios')}.md"
    return SPECS / f"{scenario.name.split('.')[0]}.md"


def result_of(scenario: Path):
    relative_doc = owner(scenario).relative_to(ROOT).as_posix()
    relative_scenario = scenario.relative_to(ROOT).as_posix()
    document = parse_document(read_source(owner(scenario), relative_doc))
    return run(plan_for(document, read_scenario(scenario, relative_scenario)))


def scenario_id(path: Path) -> str:
    return path.relative_to(SPECS).as_posix().replace("/", "__")


def test_every_spec_has_a_scenario():
    documents = {path.stem for path in SPECS.glob("*.md")}
    covered = {owner(s).stem for s in SCENARIOS}
    assert documents == covered


@pytest.mark.parametrize("scenario", SCENARIOS, ids=scenario_id)
def test_trace_snapshot_text(scenario, snapshot_text):
    assert render_text(result_of(scenario), verbose=True) == snapshot_text


@pytest.mark.parametrize("scenario", SCENARIOS, ids=scenario_id)
def test_trace_snapshot_json(scenario, snapshot_json):
    text = render_json(result_of(scenario))
    data = json.loads(text)
    assert data["passed"] is True
    assert text == snapshot_json


@pytest.mark.parametrize("scenario", SCENARIOS, ids=scenario_id)
def test_the_gantt_page_is_self_contained_and_marks_critical_path_and_deadlines(scenario):
    result = result_of(scenario)
    page = render_html(result)
    assert page.startswith("<!DOCTYPE html>")
    # Nothing is fetched from anywhere: no external scripts, styles, fonts or images.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script" not in page and "@import" not in page and "url(http" not in page
    # Two drawings of the same timeline: labels beside the bars, and above them for phones.
    charts = re.findall(r'<svg [^>]*class="db-gantt (wide|stacked)".*?</svg>', page, re.S)
    assert charts == ["wide", "stacked"]
    deadlines = [v for v in result.slos if v.kind == "deadline"]
    for chart in re.findall(r'<svg [^>]*class="db-gantt .*?</svg>', page, re.S):
        critical_rows = re.findall(r'<g class="row [^"]* critical">', chart)
        assert len(critical_rows) == len(result.critical) > 0
        assert chart.count('<g class="deadline ') == len(deadlines)
    for verdict in deadlines:
        assert f"{verdict.name}" in page


def test_hostile_text_in_a_document_is_escaped_in_the_gantt_page():
    from tests.simulation_builders import document, phase, simulate, step

    hostile = '<script>alert("x")</script>'
    doc = document(phase("phase-1", replace(step("s1"), title=hostile)))
    page = render_html(simulate(doc))
    assert hostile not in page
    assert "&lt;script&gt;" in page
    svg = render_svg(simulate(doc))
    assert hostile not in svg


def test_a_failed_attempt_and_a_slot_wait_are_drawn():
    from tests.simulation_builders import document, parallel, phase, simulate, step

    doc = document(phase("phase-1", parallel("p", ("p/a", [step("a")]), ("p/b", [step("b")]))))
    result = simulate(
        doc, {"resources": {"max_parallel_agents": 1}, "steps": {"a": {"fail": 1, "retries": 1}}}
    )
    svg = render_svg(result)
    assert svg.count('class="attempt-failed"') == 1
    assert svg.count('class="queue"') == 1


def test_the_gantt_page_renders_in_chromium_without_errors(tmp_path):
    from tests.browser import Browser, chromium_binary

    binary = chromium_binary()
    if binary is None:
        pytest.skip("Chromium is not installed")
    page = tmp_path / "gantt.html"
    page.write_text(
        render_html(result_of(SPECS / "payments-outage.scenario.yaml")), encoding="utf-8"
    )
    browser = Browser(binary)
    try:
        opened = browser.open(page.as_uri())
        width = opened.evaluate(
            "document.querySelector('svg.db-gantt').getBoundingClientRect().width"
        )
        bars = opened.evaluate("document.querySelectorAll('svg.db-gantt.wide rect.bar').length")
        problems = opened.result.problems
    finally:
        browser.close()
    assert problems == []
    assert width > 800
    assert bars == 8


HASH_SEEDS = ("0", "1", "4242")


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "json"],
        ["--format", "text", "--verbose"],
        ["--format", "html"],
        ["--format", "mermaid"],
        ["--runs", "50", "--format", "json"],
        ["--runs", "50", "--what-if", "slots+1", "--what-if", "no-failures", "--format", "html"],
    ],
    ids=lambda a: "-".join(a),
)
def test_output_is_byte_identical_across_hash_seeds(args):
    outputs = set()
    for hash_seed in HASH_SEEDS:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        proc = subprocess.run(
            [sys.executable, "-m", "compiler", "simulate", "specs/release-train.md", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        assert proc.returncode in (0, 1), proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1
