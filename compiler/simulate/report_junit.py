"""`drillbook test --format junit`: the JUnit XML that CI systems display as test reports
(Jenkins, GitLab, GitHub test reporters, Azure DevOps).

One `<testsuite>` per document, one `<testcase>` per scenario. A scenario that ran and did
not pass is a `<failure>` whose message names what failed (the SLO or expectation, with its
figures); every case's `<system-out>` says how the run went and each objective's measured
time, milestone and margin (the XSD CI systems follow has no properties on a case); a
scenario that could not be read or run is an `<error>`; a document that could
not be read is a suite with one errored case. Decision-path coverage is a suite property.
Times are simulated, not measured, so `time` is left out: the report is byte-identical for
the same input, like every other drillbook output.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath

from compiler.durations import format_duration
from compiler.simulate.report_text import failure_summary
from compiler.simulate.slo_figures import slo_figures
from compiler.simulate.testing import DocumentReport, ScenarioOutcome, Suite

#: Characters XML 1.0 cannot hold at all, even escaped (a hostile title could carry them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def format_junit(suite: Suite, shown: list[DocumentReport]) -> str:
    root = ET.Element("testsuites", name="drillbook test")
    counts = {"tests": 0, "failures": 0, "errors": 0}
    for report in shown:
        element = _suite(report)
        root.append(element)
        for key in counts:
            counts[key] += int(element.get(key, "0"))
    for error in suite.errors:  # scenario files with no document to run them on
        orphan = ET.SubElement(root, "testsuite", name="scenarios", tests="1")
        orphan.set("failures", "0")
        orphan.set("errors", "1")
        case = ET.SubElement(orphan, "testcase", name=_clean(error), classname="scenarios")
        ET.SubElement(case, "error", type="unreadable", message=_clean(error))
        counts["tests"] += 1
        counts["errors"] += 1
    for key, value in counts.items():
        root.set(key, str(value))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(report: DocumentReport) -> ET.Element:
    element = ET.Element("testsuite", name=_clean(report.path))
    classname = _classname(report.path)
    cases = [_case(outcome, classname) for outcome in report.outcomes]
    if report.problem is not None:
        case = ET.Element("testcase", name=_clean(report.path), classname=classname)
        ET.SubElement(case, "error", type="unreadable", message=_clean(report.problem))
        cases.append(case)
    failures = sum(1 for case in cases if case.find("failure") is not None)
    errors = sum(1 for case in cases if case.find("error") is not None)
    element.set("tests", str(len(cases)))
    element.set("failures", str(failures))
    element.set("errors", str(errors))
    element.set("skipped", "0")
    element.set("file", _clean(report.path))
    properties = ET.SubElement(element, "properties")
    covered = f"{report.covered}/{len(report.paths)}" if report.paths else "no decision paths"
    ET.SubElement(properties, "property", name="decision-path coverage", value=covered)
    element.extend(cases)
    return element


def _case(outcome: ScenarioOutcome, classname: str) -> ET.Element:
    case = ET.Element("testcase", name=_clean(outcome.name), classname=classname)
    if outcome.error is not None:
        ET.SubElement(case, "error", type="scenario", message=_clean(outcome.error))
        return case
    result = outcome.result
    assert result is not None
    route = f", path {' → '.join(result.path)}" if result.path else ""
    ran = f"{outcome.file}: {result.status} at {format_duration(result.total_s)}{route}"
    if not outcome.passed:
        failure = ET.SubElement(
            case, "failure", type=_failure_type(outcome), message=_clean(failure_summary(result))
        )
        failure.text = _clean(f"{failure_summary(result)}\n{ran}")
    figures = slo_figures(result)
    out = ET.SubElement(case, "system-out")
    out.text = _clean(f"{ran}\nSLOs: {figures}" if figures else ran)
    return case


def _failure_type(outcome: ScenarioOutcome) -> str:
    assert outcome.result is not None
    failed = [c.name for c in outcome.result.expectations if not c.held]
    return "slo" if failed and all(name.startswith("slo ") for name in failed) else "expectation"


def _classname(path: str) -> str:
    """`specs/payments-outage.md` → `specs.payments-outage`: CI systems group cases by it."""
    parts = PurePath(path).with_suffix("").parts
    return _clean(".".join(part for part in parts if part not in ("", ".", "..", "/")))


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
