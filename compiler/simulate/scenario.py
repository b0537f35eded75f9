"""The scenario file (DESIGN §6): what the scripted agents do in one rehearsal.

The format is defined once, by the pydantic models below: they validate files (strictly:
unknown keys are errors), and `scenario_schema()` prints their JSON Schema for editors and for
`drillbook schema scenario`. Checking a scenario against a document (do its step ids and
agents exist?) happens in `compiler.simulate.bind`.
"""

from __future__ import annotations

import difflib
import types
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from compiler.simulate.distributions import Duration, read_duration
from compiler.simulate.loader import LocatedData, Path, ScenarioError, load_located

_DURATION_TEXT: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "examples": ["90s", "5m", "1h30m"]},
        {"type": "number", "minimum": 0, "description": "seconds"},
    ]
}
DURATION_SCHEMA: dict[str, Any] = {
    "description": "A duration (`90s`, `5m`, `1h30m`, a number of seconds) or a distribution "
    "for Monte Carlo runs: triangular `{min, mode, max}` or `{p50, p90}` (log-normal).",
    "anyOf": [
        *_DURATION_TEXT["anyOf"],
        {
            "type": "object",
            "properties": {"min": _DURATION_TEXT, "mode": _DURATION_TEXT, "max": _DURATION_TEXT},
            "required": ["min", "mode", "max"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"p50": _DURATION_TEXT, "p90": _DURATION_TEXT},
            "required": ["p50", "p90"],
            "additionalProperties": False,
        },
    ],
}


def _text(value: Any) -> Any:
    """Inputs are text; a number written in YAML is taken as the text it was written as."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


DurationField = Annotated[Duration, BeforeValidator(read_duration), WithJsonSchema(DURATION_SCHEMA)]
Text = Annotated[str, BeforeValidator(_text)]
Scalar = str | int | float | bool
NonNegative = Annotated[int, Field(ge=0)]
Probability = Annotated[float, Field(ge=0, le=1)]
OnFailure = Literal["stop", "continue"]


class _Strict(BaseModel):
    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, arbitrary_types_allowed=True
    )


class AgentScript(_Strict):
    """How an agent behaves (for every step it runs), unless the step says otherwise."""

    duration: DurationField | None = None
    fail: NonNegative | None = Field(
        None, description="How many attempts fail before one succeeds."
    )
    retries: NonNegative | None = Field(None, description="Retries allowed after a failure.")
    failure_rate: Probability | None = Field(
        None, description="Chance that any attempt fails (after the scripted `fail` attempts)."
    )
    on_failure: OnFailure | None = Field(
        None, description="`stop` fails the phase and the run; `continue` goes on without it."
    )


class StepScript(AgentScript):
    """What one step does: overrides its agent's script and the defaults."""

    outputs: dict[str, Scalar] = Field(
        default_factory=dict, description="Values the step writes into the run's context."
    )
    skip: bool = Field(False, description="Skip this (optional or conditional) step.")
    # Ids are positions: these record which step the script was written for, so that a step
    # moved or replaced under this id is reported instead of silently given this script.
    title: str | None = Field(
        None,
        description="The step's title when this scenario was written (checked, not applied): "
        "a different step at this id is reported, and `drillbook scenario update` moves the key.",
    )
    agent: str | None = Field(
        None, description="The step's agent when this scenario was written (checked, not applied)."
    )


class Defaults(_Strict):
    duration: DurationField = Field(Duration.fixed(300), description="Default step duration.")
    retries: NonNegative = 0
    failure_rate: Probability = 0.0
    on_failure: OnFailure = "stop"
    approve_after: DurationField = Field(
        Duration.fixed(0), description="How long a checkpoint waits for its approval."
    )


class CheckpointScript(_Strict):
    approve_after: DurationField | None = None
    reject_after: DurationField | None = Field(
        None, description="The reviewer rejects after this long: the run stops."
    )

    @model_validator(mode="after")
    def _one_outcome(self) -> CheckpointScript:
        if self.approve_after is not None and self.reject_after is not None:
            raise ValueError("give approve_after or reject_after, not both")
        return self


class Resources(_Strict):
    max_parallel_agents: Annotated[int, Field(ge=1)] | None = Field(
        None, description="Agents that may run at once; parallel branches queue for a slot."
    )


class Slo(_Strict):
    """A time objective: `within` (a deadline for the `until` milestone, by default the end of
    the workflow) or `every` (a recurring duty done by the `steps` matching a glob)."""

    name: Annotated[str, Field(min_length=1)]
    within: DurationField | None = None
    every: DurationField | None = None
    until: str | None = Field(None, description="Id of a step, phase, branch, path, …")
    steps: str | list[str] | None = Field(
        None, description="Glob (or list of globs) over step ids and agent names."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Slo:
        if (self.within is None) == (self.every is None):
            raise ValueError("an SLO has either `within` (a deadline) or `every` (a cadence)")
        if self.steps is not None and self.every is None:
            raise ValueError("`steps` belongs to an `every` SLO")
        if self.within is not None and self.within.is_random:
            raise ValueError("`within` is a fixed duration")
        if self.every is not None and self.every.is_random:
            raise ValueError("`every` is a fixed duration")
        return self


RunStatus = Literal["completed", "failed", "rejected"]
StepStatus = Literal["completed", "failed", "skipped", "cancelled"]


class Expect(_Strict):
    path: list[str] | None = Field(None, description="Decision paths taken, in order.")
    finishes_within: DurationField | None = None
    status: RunStatus | None = Field(
        None, description="How the run ends (default: completed, and every SLO met)."
    )
    slos: dict[str, Literal["met", "missed"]] = Field(default_factory=dict)
    steps: dict[str, StepStatus] = Field(default_factory=dict)


class Scenario(_Strict):
    model_config = ConfigDict(title="drillbook scenario")

    name: str | None = None
    description: str | None = None
    workflow: str | None = Field(None, description="The document, relative to this file.")
    seed: int = 0
    inputs: dict[str, Text] = Field(default_factory=dict)
    facts: dict[str, Scalar] = Field(
        default_factory=dict, description="Facts that `Fact = value` conditions test."
    )
    defaults: Defaults = Field(default_factory=Defaults)
    agents: dict[str, AgentScript] = Field(default_factory=dict)
    steps: dict[str, StepScript] = Field(default_factory=dict)
    decisions: dict[str, str] = Field(
        default_factory=dict, description="Decision (or its phase) → path id, label or title."
    )
    checkpoints: dict[str, CheckpointScript] = Field(default_factory=dict)
    loops: dict[str, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict, description="How many times each loop body runs (default 1)."
    )
    resources: Resources = Field(default_factory=Resources)
    slo: list[Slo] | None = Field(
        None, description="Objectives; when absent, the document's RTO and update cadence."
    )
    expect: Expect = Field(default_factory=Expect)


class LoadedScenario(BaseModel):
    """A validated scenario and where its keys were written (for later error messages)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    scenario: Scenario
    source: LocatedData

    @property
    def file(self) -> str:
        return self.source.file

    def error(self, path: Path, message: str) -> ScenarioError:
        return self.source.error(path, message)


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files (`drillbook schema scenario`)."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema.setdefault(
        "description",
        "A rehearsal of one workflow document: how its agents and steps behave (durations, "
        "failures, retries), which decision paths are taken, the objectives it is judged "
        "against and what the run is expected to show.",
    )
    return schema


def read_scenario(path: FilePath, display: str | None = None) -> LoadedScenario:
    """Load and validate a scenario file; ScenarioError names file, line and key."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(name, "no such scenario file") from None
    except IsADirectoryError:
        raise ScenarioError(name, "is a directory, not a scenario file") from None
    except OSError as exc:
        raise ScenarioError(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(name, f"not UTF-8 text (byte {exc.start})") from None
    return parse_scenario(text, name)


def parse_scenario(text: str, file: str) -> LoadedScenario:
    source = load_located(text, file)
    if not isinstance(source.value, dict):
        raise ScenarioError(file, "a scenario is a mapping of keys (seed, steps, slo, …)", 1, 1)
    try:
        scenario = Scenario.model_validate(source.value)
    except ValidationError as exc:
        raise _every_error(exc, source) from None
    return LoadedScenario(scenario=scenario, source=source)


def _every_error(exc: ValidationError, source: LocatedData) -> ScenarioError:
    """Every validation error, in file order, as `file:line:col: key: message` lines."""
    found: dict[Path, ScenarioError] = {}
    for error in exc.errors(include_url=False):
        path = _data_path(source.value, error["loc"])
        # a value that fits no member of a union fails once per member: the first says it
        if path not in found:
            found[path] = source.error(path, _message(error, path))
    return ScenarioError.together(list(found.values()))


def _data_path(value: Any, loc: tuple[int | str, ...]) -> Path:
    """The part of a pydantic location that names keys actually present in the data (pydantic
    adds union member names such as `str` or `function-after[…]`)."""
    path: list[str | int] = []
    current = value
    for part in loc:
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and part not in current:
            path.append(part)  # a missing or unknown key: point at its parent
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _message(error: Any, path: Path) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        allowed = _allowed_keys(path[:-1])
        hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        return f"unknown key{suggestion} (allowed here: {', '.join(allowed)})"
    if kind == "missing":
        return "required key is missing"
    message = str(error["msg"])
    loc = error["loc"]
    if loc and loc[-1] in _SCALAR_MEMBERS and kind.endswith("_type"):
        message = "Input should be text, a number or true/false"
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    got = error.get("input")
    if isinstance(got, dict | list):
        return f"{message} (got a {'mapping' if isinstance(got, dict) else 'list'})"
    return f"{message} (got {got!r})"


_SCALAR_MEMBERS = ("str", "int", "float", "bool")


def _allowed_keys(path: Path) -> list[str]:
    """The keys the model accepts at `path` (for did-you-mean hints)."""
    current: Any = Scenario
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        elif get_origin(current) in (dict, list):
            current = get_args(current)[-1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """`X | None` → X, `Annotated[X, …]` → X."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation
