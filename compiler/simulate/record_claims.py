"""Does the workflow do what its recorded run claims? A record's achieved cadence
("Communication Frequency: Every 10 minutes (exceeded 15-minute requirement)") is checked
against the replay of the record: when the replay misses the objective the record says it
kept, the workflow does not show the work the record reports (WF503)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from compiler.diagnostics import Diagnostic
from compiler.durations import format_duration
from compiler.model import Document, Requirement, Workflow
from compiler.simulate.bind import bind
from compiler.simulate.result import SloVerdict
from compiler.simulate.rules import results_mismatch
from compiler.simulate.runner import run_plan
from compiler.simulate.scenario import parse_scenario
from compiler.simulate.verdicts import judge_run


def cadence_claims(
    document: Document, workflow: Workflow, replay_text: str, pins: Mapping[str, str]
) -> list[Diagnostic]:
    """WF503 for each recorded cadence the replay of the record does not keep."""
    record = document.recorded_run
    claims = [m for m in record.metrics if m.kind == "cadence"] if record else []
    if not claims:
        return []
    loaded = parse_scenario(replay_text, "<replay>")
    result = judge_run(run_plan(bind(document, workflow, loaded, milestones=pins)))
    found = []
    for verdict in result.slos:
        claim = _claim_for(verdict, claims)
        if claim is None or claim.seconds is None or verdict.status == "met":
            continue
        if claim.seconds > verdict.limit_s:
            continue  # the record does not claim to keep the objective either
        plan = next(slo for slo in result.plan.slos if slo.name == verdict.name)
        senders = ", ".join(sorted(plan.steps)) or "no step"
        found.append(
            results_mismatch(
                document.path,
                claim.span,
                f"the record's {claim.name!r} is every {format_duration(claim.seconds)}, but "
                f"the workflow sends updates only from {senders}: replaying the record, its "
                f"{verdict.name!r} objective (every {format_duration(verdict.limit_s)}) is "
                f"missed ({verdict.detail})",
                claim.name,
            )
        )
    return found


def _claim_for(verdict: SloVerdict, claims: list[Requirement]) -> Requirement | None:
    """The recorded cadence about `verdict`'s objective: one naming it, else the only one."""
    if verdict.kind != "cadence":
        return None
    words = set(re.findall(r"\w+", verdict.name.lower()))
    named = [c for c in claims if words & set(re.findall(r"\w+", c.name.lower()))]
    if len(named) == 1:
        return named[0]
    return claims[0] if len(claims) == 1 else None
