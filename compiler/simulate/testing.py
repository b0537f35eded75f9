"""`drillbook test`: run every scenario of every document, check its expectations, and measure
decision-path coverage (WF406 for each path no scenario takes).

A scenario passes when the run ends as `expect.status` says (default: completed), every other
expectation holds and every SLO is met unless `expect.slos` says it is expected to be missed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from compiler.diagnostics import Diagnostic
from compiler.model import Document
from compiler.simulate.api import plan_for, run
from compiler.simulate.discovery import (
    document_by_convention,
    document_from_workflow,
    is_scenario_file,
    scenarios_beside,
)
from compiler.simulate.index import index_workflow, main_workflow
from compiler.simulate.loader import ScenarioError
from compiler.simulate.result import RunResult
from compiler.simulate.rules import uncovered_path
from compiler.simulate.scenario import LoadedScenario, read_scenario


@dataclass
class ScenarioOutcome:
    file: str
    name: str
    result: RunResult | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.result is not None and self.result.passed


@dataclass
class DocumentReport:
    path: str
    outcomes: list[ScenarioOutcome] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    problem: str | None = None

    @property
    def covered(self) -> int:
        return len([p for p in self.paths if p in self.taken])


@dataclass
class Suite:
    documents: list[DocumentReport]
    errors: list[str] = field(default_factory=list)  # scenarios with no document to run

    @property
    def coverage(self) -> float:
        total = sum(len(d.paths) for d in self.documents)
        if total == 0:
            return 100.0
        return 100.0 * sum(d.covered for d in self.documents) / total

    @property
    def outcomes(self) -> list[ScenarioOutcome]:
        return [o for d in self.documents for o in d.outcomes]


Loader = Callable[[str], Document | None]
#: The objective milestones the configuration pins for a document (by its path).
Pins = Callable[[str], Mapping[str, str]]


def collect(documents: list[str], given: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Group scenario files by the document they belong to (documents given, plus those the
    scenarios name). Returns (document → scenarios, problems)."""
    scenarios = list(given)
    groups: dict[str, list[str]] = {}
    problems: list[str] = []
    for document in documents:
        groups.setdefault(_key(document), [])
        for found in scenarios_beside(Path(document)):
            convention = document_by_convention(found)
            if convention is not None and _key(str(convention)) == _key(document):
                scenarios.append(str(found))
    for scenario in dict.fromkeys(scenarios):
        owner = owner_of(Path(scenario))
        if isinstance(owner, str):
            problems.append(owner)
            continue
        bucket = groups.setdefault(_key(str(owner)), [])
        if scenario not in bucket:
            bucket.append(scenario)
    return {doc: sorted(files) for doc, files in sorted(groups.items())}, problems


def owner_of(scenario: Path) -> Path | str:
    """The document a scenario runs on, or a message saying why it has none."""
    try:
        loaded = read_scenario(scenario, str(scenario))
    except ScenarioError:
        owner = document_by_convention(scenario)  # reported when it runs
        return owner if owner is not None else f"{scenario}: cannot be read and names no document"
    if loaded.scenario.workflow:
        return document_from_workflow(scenario, loaded.scenario.workflow)
    owner = document_by_convention(scenario)
    if owner is None:
        return f"{scenario}: no `workflow:` key and no document named like it beside it"
    return owner


def find_scenarios(folder: Path) -> list[str]:
    """Every scenario file under `folder` (hidden folders skipped), sorted."""
    found = []
    for candidate in sorted(folder.rglob("*")):
        relative = candidate.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts[:-1]):
            continue
        if candidate.is_file() and is_scenario_file(candidate):
            found.append(str(candidate))
    return found


def run_suite(groups: dict[str, list[str]], load: Loader, pins: Pins | None = None) -> Suite:
    suite = Suite([])
    for document_path, scenario_files in groups.items():
        report = DocumentReport(document_path)
        suite.documents.append(report)
        document = load(document_path)
        if document is None:
            report.problem = f"{document_path}: cannot be read"
            continue
        workflow = main_workflow(document.workflows)
        if workflow is None:
            if scenario_files:
                report.problem = f"{document_path}: has no workflow to run its scenarios on"
            continue
        report.paths = index_workflow(workflow).stated_paths
        for file in scenario_files:
            pinned = pins(document_path) if pins is not None else {}
            report.outcomes.append(run_scenario(document, file, pinned))
        for outcome in report.outcomes:
            if outcome.result is not None:
                report.taken.update(outcome.result.path)
                report.diagnostics.extend(outcome.result.plan.warnings)
        index = index_workflow(workflow)
        for path_id in report.paths:
            if path_id not in report.taken:
                decision = index.path_decision[path_id]
                report.diagnostics.append(
                    uncovered_path(
                        document.path,
                        index.paths[path_id].span,
                        path_id,
                        index.short_key(decision, index.decisions),
                        len(scenario_files),
                    )
                )
    return suite


def run_scenario(
    document: Document, file: str, pins: Mapping[str, str] | None = None
) -> ScenarioOutcome:
    try:
        loaded: LoadedScenario = read_scenario(Path(file), file)
        result = run(plan_for(document, loaded, milestones=pins))
    except ScenarioError as exc:
        return ScenarioOutcome(file, Path(file).name, error=exc.describe())
    return ScenarioOutcome(file, loaded.scenario.name or Path(file).name, result=result)


def _key(path: str) -> str:
    return Path(path).as_posix()
