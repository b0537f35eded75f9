"""What a simulated run produced: activities (step runs and checkpoint waits), the trace, the
path taken, SLO verdicts, expectation results and diagnostics. Plain records; the reports
(text, JSON, Gantt) are views of these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from compiler.diagnostics import Diagnostic
from compiler.simulate.bind import Plan

ActivityStatus = Literal["running", "completed", "failed", "skipped", "cancelled", "rejected"]
RunStatus = Literal["completed", "failed", "rejected"]


@dataclass(slots=True, eq=False)
class Activity:
    """One run of a step (all its attempts) or one checkpoint wait."""

    id: str
    kind: Literal["step", "checkpoint"]
    title: str
    agent: str | None
    phase: str
    iteration: int
    order: int
    ready_s: float
    start_s: float
    finish_s: float | None = None
    attempts: int = 0
    status: ActivityStatus = "running"
    failed_attempts: list[tuple[float, float]] = field(default_factory=list)
    after: Activity | None = None  # what this one waited for (the critical-path link)

    @property
    def key(self) -> str:
        return self.id if self.iteration == 1 else f"{self.id}#{self.iteration}"


def waited_on(last: Activity | None) -> list[Activity]:
    """`last` and the activities it waited on through `after` links, first to last."""
    chain: list[Activity] = []
    seen: set[int] = set()
    while last is not None and id(last) not in seen:
        seen.add(id(last))
        chain.append(last)
        last = last.after
    return chain[::-1]


@dataclass(frozen=True, slots=True)
class TraceEvent:
    time_s: float
    kind: str  # phase start finish retry fail skip wait decision checkpoint write read stop end
    id: str
    message: str
    data: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class SloVerdict:
    name: str
    kind: Literal["deadline", "cadence"]
    status: Literal["met", "missed"]
    limit_s: float
    actual_s: float | None  # milestone time, or the longest gap of a cadence
    until: str | None
    source: Literal["scenario", "document"]
    detail: str  # measured time, milestone and margin, in words
    note: str | None = None
    #: how far inside the limit (positive) or over it (negative); None when never reached
    margin_s: float | None = None


@dataclass(frozen=True)
class ExpectationResult:
    name: str
    held: bool
    expected: str
    actual: str


@dataclass
class RunResult:
    plan: Plan
    seed: int
    status: RunStatus
    reason: str | None
    total_s: float
    activities: list[Activity]
    trace: list[TraceEvent]
    path: list[str]
    finished: dict[str, float]
    step_finishes: dict[str, list[float]]
    critical: list[str] = field(default_factory=list)
    slos: list[SloVerdict] = field(default_factory=list)
    expectations: list[ExpectationResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Everything held: the expected outcome, every expectation, every SLO not expected to
        be missed."""
        return all(result.held for result in self.expectations)
