"""The simulator on every real document of ../shared/corpus: no crash, and the scenario
skeleton `drillbook scenario init` writes for a document always runs it to completion."""

from __future__ import annotations

from collections import Counter

from compiler.parse import parse_document
from compiler.simulate import parse_scenario, plan_for, run
from compiler.simulate.index import main_workflow
from compiler.simulate.report_json import render_json
from compiler.simulate.skeleton import matrix, skeleton
from compiler.source import UnreadableFile, read_source
from tests.conftest import corpus_files, needs_corpus


@needs_corpus
def test_every_corpus_document_simulates_and_its_skeleton_completes():
    outcomes: Counter[str] = Counter()
    incomplete: list[str] = []
    for path in corpus_files():
        try:
            document = parse_document(read_source(path, str(path)))
        except UnreadableFile:
            continue
        workflow = main_workflow(document.workflows)
        if workflow is None:
            outcomes["no workflow"] += 1
            continue
        bare = run(plan_for(document, None))
        render_json(bare)
        outcomes[bare.status] += 1
        # A failure without a scenario can only be a decision nobody chose (WF504).
        if bare.status != "completed":
            assert {d.code for d in bare.diagnostics} >= {"WF504"}, path
        guided = run(plan_for(document, parse_scenario(skeleton(document, workflow), "s.yaml")))
        if guided.status != "completed":
            incomplete.append(f"{path}: {guided.reason}")
        scenarios = matrix(document, workflow)
        assert scenarios, path
    assert incomplete == []
    assert outcomes["completed"] > 100
