"""What the site knows about each document once it has been read, linted and rendered: the
records the index, the agents page and the search index are made from. Plain pydantic models,
so that the cache can store them as JSON and a worker process can send them back."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["errors", "warnings", "clean", "no-workflow", "unreadable"]

#: The order the index sorts statuses in (worst first).
STATUS_ORDER: dict[str, int] = {
    "unreadable": 0,
    "errors": 1,
    "warnings": 2,
    "clean": 3,
    "no-workflow": 4,
}
STATUS_TEXT: dict[str, str] = {
    "unreadable": "unreadable",
    "errors": "errors",
    "warnings": "warnings",
    "clean": "clean",
    "no-workflow": "no workflow",
}


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StepEntry(Frozen):
    id: str
    title: str
    anchor: str
    agent: str
    prompt: str  # cut to a length the search index can carry
    #: the agent is named by an explicit invocation (a Task call, `subagent_type`), not
    #: read out of prose
    agent_called: bool = False


class SimulationEntry(Frozen):
    name: str  # the scenario file name
    href: str  # relative to the site root
    passed: bool
    total: str  # simulated total time, formatted
    verdicts: tuple[str, ...]  # one line per objective ("RTO within 30m: met at 24m")
    error: str = ""  # the scenario could not be run (why)
    path: tuple[str, ...] = ()  # the decision paths this run took
    montecarlo_href: str = ""  # the Monte Carlo page (percentiles over many runs)


class DocumentEntry(Frozen):
    key: str  # the path shown to readers: input folder name + path inside it
    slug: str
    href: str  # the document page, relative to the site root ("" when there is none)
    title: str
    dialect: str
    phases: int
    steps: int
    agents: tuple[str, ...]
    errors: int
    warnings: int
    infos: int
    status: Status
    problem: str = ""  # why an unreadable file could not be read
    step_entries: tuple[StepEntry, ...] = ()
    simulations: tuple[SimulationEntry, ...] = ()
    #: decision paths in the workflow, and how many of them the scenarios take
    decision_paths: int = 0
    paths_taken: int = 0

    @property
    def folder(self) -> str:
        return self.key.rpartition("/")[0]
