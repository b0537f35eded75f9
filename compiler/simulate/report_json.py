"""The JSON report of a simulated run (`drillbook simulate --format json`).

Times are seconds from the start of the run, written as integers when whole and rounded to the
millisecond otherwise, so the same run always prints the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from compiler import __version__
from compiler.diagnostics import sorted_diagnostics
from compiler.simulate.result import Activity, RunResult


def number(value: float | None) -> int | float | None:
    """A time or ratio as JSON: whole numbers as integers, the rest to three decimals."""
    if value is None:
        return None
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def run_data(result: RunResult, *, trace: bool = True) -> dict[str, Any]:
    plan = result.plan
    critical = set(result.critical)
    data: dict[str, Any] = {
        "drillbook": __version__,
        "document": plan.document_path,
        "workflow": plan.workflow.title,
        "scenario": plan.scenario_file,
        "name": plan.name,
        "seed": result.seed,
        "status": result.status,
        "reason": result.reason,
        "passed": result.passed,
        "total_s": number(result.total_s),
        "path": list(result.path),
        "critical_path": list(result.critical),
        "steps": [_activity(a, a.key in critical) for a in result.activities if a.kind == "step"],
        "checkpoints": [
            _activity(a, a.key in critical) for a in result.activities if a.kind == "checkpoint"
        ],
        "slos": [
            {
                "name": verdict.name,
                "kind": verdict.kind,
                "status": verdict.status,
                "limit_s": number(verdict.limit_s),
                "actual_s": number(verdict.actual_s),
                "margin_s": number(verdict.margin_s),
                "until": verdict.until,
                "source": verdict.source,
                "detail": verdict.detail,
                "note": verdict.note,
            }
            for verdict in result.slos
        ],
        "expectations": [
            {
                "name": check.name,
                "held": check.held,
                "expected": check.expected,
                "actual": check.actual,
            }
            for check in result.expectations
        ],
        "notes": list(plan.notes),
        "diagnostics": [d.as_json() for d in sorted_diagnostics(result.diagnostics)],
    }
    if trace:
        data["trace"] = [
            {
                "time_s": number(event.time_s),
                "event": event.kind,
                "id": event.id,
                "message": event.message,
                **({"data": {k: v for k, v in event.data}} if event.data else {}),
            }
            for event in result.trace
        ]
    return data


def _activity(activity: Activity, critical: bool) -> dict[str, Any]:
    return {
        "id": activity.id,
        "title": activity.title,
        "agent": activity.agent,
        "phase": activity.phase,
        "iteration": activity.iteration,
        "ready_s": number(activity.ready_s),
        "start_s": number(activity.start_s),
        "finish_s": number(activity.finish_s),
        "attempts": activity.attempts,
        "status": activity.status,
        "critical": critical,
    }


def dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_json(result: RunResult) -> str:
    return dump(run_data(result))
