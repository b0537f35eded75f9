"""The typed model (IR) of a workflow document.

Immutable pydantic models, built once by the parser and read by everything downstream
(graph, checks, render, simulate). Every element carries a `Span` into the original file.
The model holds meaning only: presentation belongs to the view-models of `render`.

The parser builds the model from values it made itself, so it builds it with
`model_construct`, without validation: mypy checks each call's field types (the pydantic
plugin types `model_construct`), and tests/test_trusted_construction.py checks that every
node equals what validation would make. With `defer_build`, a model's validator is built
only when something validates one (loading, `drillbook schema`): a `drillbook lint` then
builds none, which was ~6% of its cold start (issue 10). Serialising builds the serialiser.
"""

# No `from __future__ import annotations` here (nor in compiler.diagnostics): pydantic reads
# every field's annotation when the class is created, and each string annotation it has to
# compile and evaluate (~2 ms over the classes a cold `drillbook lint` creates, issue 10).
# Only the union `Block`, used before it is defined, is quoted.
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field
from pydantic.fields import FieldInfo

# The four attributes every pydantic instance holds (BaseModel's slots), set through their
# descriptors, looked up once here: `object.__setattr__(instance, "__dict__", …)` looks each
# one up by name on every call, and the parser sets them on ~140,000 instances over the
# corpora (a span at 0.8 µs rather than 1.1 µs).
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


class Frozen(BaseModel):
    # defer_build: see the module docstring
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    # (the pydantic mypy plugin declares a typed `model_construct` on every model: mypy
    # checks the calls against those, and takes this definition for a second one)
    @classmethod  # type: ignore[no-redef]
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:  # type: ignore[override]
        """pydantic's `model_construct` (the same instance, field for field), for models
        without aliases, extras or a post-init hook, with each field's default worked out
        once per class: the parser builds some 100,000 spans over the corpora, and pydantic's
        general version (aliases asked about, each default copied, per field and per call)
        cost 6% of a lint (issue 10)."""
        try:
            names, defaults = _PLANS[cls]
        except KeyError:
            names, defaults = _PLANS[cls] = _plan(cls)
        if len(values) == len(names) and tuple(values) == names:
            fields, given = values, set(names)  # every field, in order (a span): used as is
        else:
            fields, given = {}, set()
            for name, default in zip(names, defaults, strict=True):
                if name in values:
                    fields[name] = values[name]
                    given.add(name)
                elif default is _REQUIRED:
                    continue
                elif isinstance(default, FieldInfo):
                    fields[name] = default.get_default(call_default_factory=True)
                else:
                    fields[name] = default
        instance = cls.__new__(cls)
        _set_dict(instance, fields)
        _set_fields_set(instance, given if _fields_set is None else _fields_set)
        _set_extra(instance, None)
        _set_private(instance, None)
        return instance


_REQUIRED = object()
#: Per model class: its field names in order and each one's default: `_REQUIRED`, the value
#: itself where pydantic hands it out uncopied (None, a number, a string, an empty tuple),
#: else the field, whose `get_default` copies the value or calls the factory as pydantic does.
_PLANS: dict[type, tuple[tuple[str, ...], tuple[Any, ...]]] = {}
_SHARED_DEFAULTS = (type(None), bool, int, float, str)


def _plan(cls: type[BaseModel]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    assert not cls.__pydantic_post_init__, f"{cls.__name__}: model_construct skips its hook"
    defaults: list[Any] = []
    for name, info in cls.__pydantic_fields__.items():
        assert info.alias is None and info.validation_alias is None, f"{cls.__name__}.{name}"
        if info.is_required():
            defaults.append(_REQUIRED)
        elif info.default_factory is None and (
            type(info.default) in _SHARED_DEFAULTS
            or (type(info.default) is tuple and not info.default)
        ):
            defaults.append(info.default)
        else:
            defaults.append(info)
    return tuple(cls.__pydantic_fields__), tuple(defaults)


class Span(Frozen):
    """A region of the original file: 1-based lines and columns, `end_column` exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


_SPAN_FIELDS = ("line", "column", "end_line", "end_column")


def make_span(line: int, column: int, end_line: int, end_column: int) -> Span:
    """`Span.model_construct(line=…, column=…, end_line=…, end_column=…)`, the same span,
    at half the cost: the parser makes one for nearly every value it reads (~90,000 over
    the corpora), and a span has neither defaults nor anything else to work out."""
    span = Span.__new__(Span)
    fields = {"line": line, "column": column, "end_line": end_line, "end_column": end_column}
    _set_dict(span, fields)
    _set_fields_set(span, set(_SPAN_FIELDS))
    _set_extra(span, None)
    _set_private(span, None)
    return span


#: How an element was recognised (DESIGN §2): `explicit` when the document states it in a form
#: made for it (a `## Phase N:` heading, a `Prompt:` field, a `Task(...)` call, `### Branch A:`),
#: `inferred` when drillbook read it out of prose (an `### If …` heading, "in parallel", a bold
#: lead-in, "use the x agent"). Rules about an element's shape speak only of explicit elements.
Provenance = Literal["explicit", "inferred"]


class Ref(Frozen):
    """A value as written in the document, with the span it was read from."""

    text: str
    span: Span


RefKind = Literal["bracket", "input", "context", "dependency", "file", "variable", "template"]


class Reference(Frozen):
    """Something a step consumes: a bracketed prompt reference, an Input/Context item, a file
    read, a variable. `kind` says how it was written, which matters for how it resolves."""

    text: str
    kind: RefKind
    span: Span
    provenance: Provenance = "explicit"


ItemKind = Literal["output", "context", "final", "file", "variable"]


class Item(Frozen):
    """Something a step produces: an Output / Context-for-next item, a file it saves."""

    name: str
    kind: ItemKind
    span: Span


class Field_(Frozen):
    """A `- Key: value` bullet (or `key:` line of a Task block) as written under a step."""

    key: str
    value: str
    known: bool
    span: Span
    key_span: Span
    #: written in the run of `Key: value` bullets that goes with the agent invocation (not
    #: in a prose list further down the step): only there is a key meant as a field
    attached: bool = True


class Note(Frozen):
    """Prose the parser kept but could not type (never dropped)."""

    text: str
    span: Span


class Step(Frozen):
    kind: Literal["step"] = "step"
    id: str
    label: str | None = None
    #: a label from a heading (`### Step 3:`, `### 3.`) is explicit; one from a bold lead-in
    #: (`**Step 3: …**`) or a numbered list item is inferred
    label_provenance: Provenance = "explicit"
    title: str
    agent: str | None = None
    agent_span: Span | None = None
    model: str | None = None
    description: str | None = None
    prompt: str | None = None
    prompt_span: Span | None = None
    optional: bool = False
    condition: str | None = None
    applicability: str | None = None
    background: bool = False
    produces: tuple[Item, ...] = ()
    consumes: tuple[Reference, ...] = ()
    fields: tuple[Field_, ...] = ()
    notes: tuple[Note, ...] = ()
    span: Span
    provenance: Provenance = "explicit"


class Branch(Frozen):
    id: str
    label: str
    title: str
    blocks: "tuple[Block, ...]" = ()
    notes: tuple[Note, ...] = ()
    span: Span
    provenance: Provenance = "explicit"


class ParallelBlock(Frozen):
    """Branches that run at the same time. A `fan_out` block has one branch standing for
    many copies of it ("spawn one reviewer per file in parallel")."""

    kind: Literal["parallel"] = "parallel"
    id: str
    title: str | None = None
    branches: tuple[Branch, ...]
    span: Span
    provenance: Provenance = "explicit"
    fan_out: bool = False


class DecisionPath(Frozen):
    """One way out of a decision. `role` is how it was written (a `Path A:`/`Option B:` path,
    `If`, `Elif` or `Else`); `is_default` marks the path taken when no condition holds (the
    Else, or a path titled "… (Default)")."""

    id: str
    role: Literal["path", "if", "elif", "else"] = "path"
    label: str
    title: str
    condition: str | None = None
    condition_span: Span | None = None
    is_default: bool = False
    blocks: "tuple[Block, ...]" = ()
    notes: tuple[Note, ...] = ()
    span: Span
    provenance: Provenance = "explicit"


class DecisionBlock(Frozen):
    kind: Literal["decision"] = "decision"
    id: str
    question: str | None = None
    paths: tuple[DecisionPath, ...]
    span: Span
    provenance: Provenance = "explicit"


class Checkpoint(Frozen):
    """An approval gate: the run waits for a person (or stops when they reject)."""

    kind: Literal["checkpoint"] = "checkpoint"
    id: str
    title: str
    gate: Literal["approval", "question", "wait"] = "approval"
    span: Span
    provenance: Provenance = "explicit"


class LoopBlock(Frozen):
    """A body run again while `repeat_when` holds (or until `until` holds), at most
    `max_iterations` runs in all when the document states a limit."""

    kind: Literal["loop"] = "loop"
    id: str
    until: str | None = None
    repeat_when: str | None = None
    max_iterations: int | None = None
    body: "tuple[Block, ...]"
    text: str
    span: Span
    provenance: Provenance = "inferred"


Block = Annotated[
    Step | ParallelBlock | DecisionBlock | Checkpoint | LoopBlock, Field(discriminator="kind")
]


class Phase(Frozen):
    id: str
    number: int | None = None
    label: str | None = None
    title: str
    implicit: bool = False
    blocks: tuple[Block, ...] = ()
    notes: tuple[Note, ...] = ()
    span: Span
    provenance: Provenance = "explicit"


class Workflow(Frozen):
    title: str | None = None
    intent: str | None = None
    dialect: str
    inputs: tuple[Ref, ...] = ()
    phases: tuple[Phase, ...] = ()
    notes: tuple[Note, ...] = ()
    final_context: tuple[Item, ...] = ()
    #: files the document says are written anywhere, by a step or by the coordinator
    #: itself ("Save a summary to `.dir/03-backend.md`", "**Output file:** `…`")
    written_files: tuple[Ref, ...] = ()
    #: files the coordinator loads before its first step ("**Load project context:**"
    #: then `@.planning/PROJECT.md`, "Read `.planning/STATE.md`"): they exist before the run
    loaded_files: tuple[Ref, ...] = ()
    span: Span


class Requirement(Frozen):
    """A typed requirement from the host page: `**RTO …**: 30 minutes` → duration 1800 s."""

    name: str
    text: str
    kind: Literal["duration", "cadence", "text"]
    seconds: int | None = None
    span: Span


class RecordedAgent(Frozen):
    name: str
    model: str | None = None
    branch: str | None = None


class RecordedPhase(Frozen):
    number: int | None = None
    title: str
    duration_s: int | None = None
    duration_text: str | None = None
    decision: str | None = None
    decision_text: str | None = None
    agents: tuple[RecordedAgent, ...] = ()
    findings: tuple[str, ...] = ()
    span: Span


class RecordedRun(Frozen):
    phases: tuple[RecordedPhase, ...]
    span: Span
    #: figures the run reports achieving ("Total Resolution Time: 25 minutes"), typed like
    #: requirements; they are results, never objectives
    metrics: tuple[Requirement, ...] = ()


class ParseDiagnostic(Frozen):
    """A problem the parser itself noticed (the checks turn these into lint diagnostics)."""

    code: str
    message: str
    span: Span
    #: the text that fixes it, replacing `span` (a misspelt keyword spelt right); kept out
    #: of the IR, which records what the document says
    replacement: str | None = Field(default=None, exclude=True)
    #: set where the problem is less than its rule's default (front matter that the loaders
    #: it is written for repair and read as meant is an info)
    severity: Literal["error", "warning", "info"] | None = Field(default=None, exclude=True)


class Document(Frozen):
    path: str
    title: str | None = None
    front_matter: dict[str, Any] = Field(default_factory=dict)
    requirements: tuple[Requirement, ...] = ()
    recorded_run: RecordedRun | None = None
    workflows: tuple[Workflow, ...] = ()
    parse_diagnostics: tuple[ParseDiagnostic, ...] = ()


# --- walking the tree -------------------------------------------------------------------


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block in document order, depth first (a container before its contents)."""
    for block in blocks:
        yield block
        if isinstance(block, ParallelBlock):
            for branch in block.branches:
                yield from iter_blocks(branch.blocks)
        elif isinstance(block, DecisionBlock):
            for path in block.paths:
                yield from iter_blocks(path.blocks)
        elif isinstance(block, LoopBlock):
            yield from iter_blocks(block.body)


def iter_steps(document: Document | Workflow | Phase) -> Iterator[Step]:
    """Every step in document order."""
    for phase in _phases(document):
        for block in iter_blocks(phase.blocks):
            if isinstance(block, Step):
                yield block


def _phases(node: Document | Workflow | Phase) -> Iterator[Phase]:
    if isinstance(node, Phase):
        yield node
    elif isinstance(node, Workflow):
        yield from node.phases
    else:
        for workflow in node.workflows:
            yield from workflow.phases


def condition_phrase(condition: str) -> str:
    """How a step's condition reads: "if X", or "unless X" for a step the document says to
    skip when X holds (the condition is kept as written, "unless …")."""
    return condition if condition.startswith("unless ") else f"if {condition}"
