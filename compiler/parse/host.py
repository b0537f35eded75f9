"""The host page around a workflow: front matter, title, requirements and a recorded run."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from compiler.durations import find_cadence, find_duration
from compiler.model import (
    ParseDiagnostic,
    RecordedAgent,
    RecordedPhase,
    RecordedRun,
    Requirement,
    Span,
)
from compiler.parse import patterns as p
from compiler.parse.elements import Element, TextLine, lines_span
from compiler.parse.front_matter import simple_mapping
from compiler.regex import LazyPattern


@dataclass
class HostPage:
    """What the page around the workflow says: front matter, title, requirements, a run."""

    front_matter: dict[str, Any] = field(default_factory=dict)
    title: str | None = None
    requirements: list[Requirement] = field(default_factory=list)
    recorded_run: RecordedRun | None = None
    diagnostics: list[ParseDiagnostic] = field(default_factory=list)


def read_host(elements: list[Element]) -> HostPage:
    page = HostPage()
    section_role: str | None = None
    section_level = 0
    results: list[Element] = []
    results_span: Span | None = None
    achieved: list[Requirement] = []
    for element in elements:
        if element.kind == "front_matter":
            page.front_matter = _front_matter(element, page)
            continue
        if element.kind == "heading":
            text = p.strip_markup(element.text)
            if page.title is None and element.level == 1:
                page.title = text
            if section_role is not None and element.level <= section_level:
                section_role = None
            classified = p.classify_heading(text)
            if section_role is None and classified and classified[0] in ("requirements", "results"):
                section_role, section_level = classified[0], element.level
                if section_role == "results" and results_span is None:
                    results_span = element.span
                continue
            if section_role is None and _ACHIEVED.match(text):
                section_role, section_level = "achieved", element.level
                continue
        if section_role == "requirements" and element.kind in ("item", "paragraph"):
            page.requirements.extend(_requirements(element))
        elif section_role is None and element.kind in ("item", "paragraph"):
            # `**RTO**: 20 minutes` outside a Requirements section still states an objective.
            objectives = _requirements(element, named=_may_be_objective)
            page.requirements.extend(r for r in objectives if _objective(r))
        elif section_role == "results":
            results.append(element)
        elif section_role == "achieved" and element.kind in ("item", "paragraph"):
            # "Communication Frequency: Every 10 minutes (exceeded 15-minute requirement)"
            # is what the run achieved, not what the page requires.
            achieved.extend(r for r in _requirements(element) if r.kind != "text")
    if results and results_span is not None:
        page.recorded_run = _recorded_run(results, results_span)
        if page.recorded_run is not None:
            page.recorded_run = replace(page.recorded_run, metrics=tuple(achieved))
    return page


#: Sections that report what a run achieved ("Key Metrics Achieved", "Outcomes", "Lessons
#: Learned"): figures in them are results, never requirements.
_ACHIEVED = LazyPattern(
    r"^(?:key\s+)?(?:metrics|results|outcomes?|kpis?)(?:\s+achieved)?\b|^achieved\b"
    r"|^lessons\s+learned\b|^post[- ]?(?:incident|mortem)\b|^retrospective\b|^actual\b",
    re.IGNORECASE,
)


def _front_matter(element: Element, page: HostPage) -> dict[str, Any]:
    text = element.text
    simple = simple_mapping(text)
    if simple is not None:
        return dict(simple)  # what YAML makes of it, without importing PyYAML
    import yaml  # here, not at the top: most documents need none (see front_matter.py)

    try:
        # Front matter is a small mapping; the safe loader builds no Python objects.
        data = _safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        if _template_fills(text):
            return {}  # `name: {{ name }}`: a template's, valid once its blanks are filled
        mark = getattr(exc, "problem_mark", None)
        line, column = element.lines[0].line, 1
        message = f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}"
        span = Span(line=line, column=column, end_line=line, end_column=2)
        if mark is not None and 0 <= mark.line < len(element.lines):
            # where the parser gave up: `argument-hint: [a] [b]` fails at the second `[`
            written = element.lines[mark.line]
            line, column = written.line, written.column + mark.column
            span = Span(line=line, column=column, end_line=line, end_column=column + 1)
        from compiler.parse.loader_repair import repairs, what_yaml_reads

        repair = repairs(text)
        if repair is None:
            page.diagnostics.append(ParseDiagnostic(code="WF100", message=message, span=span))
            return {}
        # Claude Code quotes such values and tries again, Codex reads its prompts' front
        # matter line by line: the loaders the file is written for read it as meant, only
        # strict YAML readers reject it. An info for each line to quote, with its fix, and
        # the block is read as those loaders read it.
        data, needed = repair
        loaders = " (Claude Code and Codex read it as meant, strict YAML readers reject it)"
        if not needed:
            page.diagnostics.append(
                ParseDiagnostic(code="WF100", message=message + loaders, span=span, severity="info")
            )
        for quoting, problem in needed:
            written = element.lines[quoting.index]
            start = written.column + written.text.index(quoting.value, len(quoting.key) + 1)
            page.diagnostics.append(
                ParseDiagnostic(
                    code="WF100",
                    message=f"front matter is not valid YAML: {problem}; quote the value of"
                    f" `{quoting.key}`: {what_yaml_reads(quoting.value)}{loaders}",
                    span=Span(
                        line=written.line,
                        column=start,
                        end_line=written.line,
                        end_column=start + len(quoting.value),
                    ),
                    replacement=quoting.quoted,
                    severity="info",
                )
            )
    if not isinstance(data, dict):
        return {}
    return _json_safe(data)  # type: ignore[no-any-return]


def _safe_load(text: str) -> Any:
    """`yaml.safe_load(text)`, scanned by libyaml where PyYAML was built with it (~9× quicker
    over the corpora's front matter). Text it rejects is read again by the Python loader,
    which raises the error the diagnostics quote (libyaml words some of them otherwise)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)  # (a safe loader: builds no Python objects)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


#: A template's blank: `{{ name }}`, `{{REPO}}`, `{% if x %}` (Jinja, Mustache, Handlebars).
_TEMPLATE_BLANK = LazyPattern(r"\{\{.*?\}\}|\{%.*?%\}")


def _template_fills(text: str) -> bool:
    """Does front matter that YAML rejects parse once each template blank holds a word? A
    package's template (`name: {{REPO}}-plan`) is rendered before anyone reads it as YAML."""
    if "{{" not in text and "{%" not in text:
        return False
    import yaml

    try:
        yaml.safe_load(_TEMPLATE_BLANK.sub("blank", text))
    except yaml.YAMLError:
        return False
    return True


def _json_safe(value: Any) -> Any:
    """YAML dates and other scalars become strings so the IR stays plain JSON."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _requirements(
    element: Element, named: Callable[[str], bool] | None = None
) -> list[Requirement]:
    """The requirement lines of `element` (`**RTO**: 20 minutes`); with `named`, only
    those whose name it accepts (the rest are not built only to be thrown away)."""
    found: list[Requirement] = []
    for line in element.lines:
        match = p.REQUIREMENT_LINE.match(line.text.strip())
        if not match:
            continue
        name = match["name"].strip().rstrip(":")
        if named is not None and not named(name):
            continue
        value = match["value"].strip().lstrip(":").strip()
        cadence = find_cadence(value)
        duration = find_duration(value)
        span = line.span(0, len(line.text.rstrip()))
        if cadence is not None:
            found.append(
                Requirement(name=name, text=value, kind="cadence", seconds=cadence, span=span)
            )
        elif duration is not None:
            found.append(
                Requirement(name=name, text=value, kind="duration", seconds=duration, span=span)
            )
        else:
            found.append(Requirement(name=name, text=value, kind="text", span=span))
    return found


_OBJECTIVE_NAME = LazyPattern(
    r"\b(?:RTO|RPO|SLO|SLA)\b|recovery\s+(?:time|point)|time\s+to\s+(?:recover|resolve)",
    re.IGNORECASE,
)
_CADENCE_NAME = LazyPattern(r"update|communicat|cadence|status", re.IGNORECASE)


def _may_be_objective(name: str) -> bool:
    """Could a requirement of this name pass `_objective`, whatever its kind?"""
    return bool(_OBJECTIVE_NAME.search(name) or _CADENCE_NAME.search(name))


def _objective(requirement: Requirement) -> bool:
    """A requirement line found outside a Requirements section counts only when it is
    clearly an objective: an RTO/RPO/SLO with a duration, or an update cadence."""
    if requirement.kind == "duration":
        return bool(_OBJECTIVE_NAME.search(requirement.name))
    if requirement.kind == "cadence":
        return bool(_CADENCE_NAME.search(requirement.name))
    return False


@dataclass
class _PhaseNotes:
    """One phase of a recorded run, as its results section reports it."""

    number: int | None
    title: str
    span: Span
    duration_s: int | None = None
    duration_text: str | None = None
    decision: str | None = None
    decision_text: str | None = None
    agents: list[RecordedAgent] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    last: TextLine | None = None


def _recorded_run(elements: list[Element], span: Span) -> RecordedRun | None:
    phases: list[_PhaseNotes] = []
    current: _PhaseNotes | None = None
    for element in elements:
        if element.kind == "heading":
            text = p.strip_markup(element.text)
            classified = p.classify_heading(text)
            if classified and classified[0] == "phase":
                groups = classified[1]
                number = re.match(r"\d+", groups.get("num", ""))
                current = _PhaseNotes(
                    number=int(number.group(0)) if number else None,
                    title=groups.get("title", text).strip(),
                    span=element.span,
                )
                phases.append(current)
                continue
            if current is None:
                continue
            branch = p.BRANCH_RESULT.match(text)
            if branch and branch["agent"]:
                current.agents.append(
                    RecordedAgent(
                        name=branch["agent"], model=branch["model"], branch=branch["label"].upper()
                    )
                )
            continue
        if current is None:
            continue
        current.last = element.lines[-1]
        for line in element.lines:
            _result_line(current, line.text.strip(), element)
    return _finish(phases, span)


def _finish(phases: list[_PhaseNotes], span: Span) -> RecordedRun | None:
    if not phases:
        return None
    frozen = tuple(
        RecordedPhase(
            number=phase.number,
            title=phase.title,
            duration_s=phase.duration_s,
            duration_text=phase.duration_text,
            decision=phase.decision,
            decision_text=phase.decision_text,
            agents=tuple(phase.agents),
            findings=tuple(phase.findings),
            span=_phase_span(phase),
        )
        for phase in phases
    )
    end = frozen[-1].span
    return RecordedRun(
        phases=frozen,
        span=Span(
            line=span.line, column=span.column, end_line=end.end_line, end_column=end.end_column
        ),
    )


def _phase_span(phase: _PhaseNotes) -> Span:
    if phase.last is None:
        return phase.span
    return lines_span([TextLine("", phase.span.line, phase.span.column), phase.last])


def _result_line(current: _PhaseNotes, text: str, element: Element) -> None:
    match = p.RESULT_FIELD.match(text)
    if match:
        key = match["key"].strip().rstrip(":").lower()
        value = match["value"].strip().lstrip(":").strip()
        if key == "duration":
            current.duration_text = value
            current.duration_s = find_duration(value)
        elif key == "decision":
            current.decision_text = value
            label = re.match(
                r"^((?:path|option|branch)\s+[A-Z0-9]{1,2}\b|if|else|elif(?:\s+\d+)?)",
                value,
                re.IGNORECASE,
            )
            current.decision = label.group(1) if label else value
        elif key in ("agent used", "agent", "agents", "agents used") and value:
            agent = p.AGENT_WITH_MODEL.match(value)
            if agent and re.search(r"[-_:]", agent["agent"]):
                current.agents.append(RecordedAgent(name=agent["agent"], model=agent["model"]))
        return
    if element.kind == "item" and text:
        current.findings.append(text)
