"""The typed model (IR) of a workflow document.

Immutable dataclasses, built once by the parser and read by everything downstream (graph,
checks, render, simulate). Every element carries a `Span` into the original file. The model
holds meaning only: presentation belongs to the view-models of `render`.

Plain standard-library dataclasses, not pydantic models: the parser builds the model from
values it made itself, so nothing here needs validating, and a `drillbook lint` then
imports no pydantic at all (a third of its cold start, issue 10). Where the model is written
out as JSON, or its JSON Schema, `compiler.ir` reads these same classes through pydantic's
`TypeAdapter`; the two pydantic hooks below (`_Node.__pydantic_config__`, `_Tagged`) are
only read there. tests/test_trusted_construction.py checks that every node the parser builds
is what validating its IR JSON back makes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Annotated, Any, ClassVar, Literal, TypeVar, cast, dataclass_transform


class _Node:
    """What every model class shares: nothing per instance (the dataclasses are slotted), and
    the methods a dataclass would otherwise generate for each class (`__eq__`, `__hash__`,
    `__repr__`), written once here. Python 3.11 generates each such method as source text it
    compiles at import: for the model's classes, ~10 ms of every `drillbook lint` (issue 10).
    They behave as the generated ones do: all fields, in order."""

    __slots__ = ()
    # pydantic's configuration for standard dataclasses, read only by compiler.ir: the IR's
    # JSON Schema says each object has no other keys, and loading IR JSON refuses them.
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}
    #: the class's fields, in order, and a C-level getter of their values as a tuple (@node)
    _field_names: ClassVar[tuple[str, ...]] = ()
    _values: ClassVar[Callable[[Any], tuple[Any, ...]]]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        values = type(self)._values
        return bool(values(self) == values(other))

    def __hash__(self) -> int:
        return hash(type(self)._values(self))

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._field_names)
        return f"{type(self).__qualname__}({values})"


_T = TypeVar("_T", bound=type[_Node])


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
def node(cls: _T) -> _T:
    """`@dataclass(frozen=True, slots=True, kw_only=True)`, taking equality, hashing and repr
    from `_Node` instead of generating them."""
    made: Any = dataclass(frozen=True, slots=True, kw_only=True, repr=False, eq=False)(cls)
    made._field_names = names = tuple(item.name for item in fields(made))
    getter = attrgetter(*names)
    made._values = staticmethod(getter if len(names) > 1 else lambda value: (getter(value),))
    return cast(_T, made)


class _Tagged:
    """`pydantic.Field(discriminator=tag)` for a union of model classes, without importing
    pydantic here: pydantic asks an annotation for its schema only when it builds one (in
    compiler.ir), and this one hands back the tagged union `Field` would have made."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field

        return handler.generate_schema(Annotated[source, Field(discriminator=self.tag)])


@node
class Span(_Node):
    """A region of the original file: 1-based lines and columns, `end_column` exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


# A span's four slots, set through their descriptors: the parser makes one for nearly every
# value it reads (~90,000 over the corpora), and a frozen dataclass's `__init__` sets each
# field with `object.__setattr__` by name, at twice the cost.
_new_span = Span.__new__
_set_line, _set_column, _set_end_line, _set_end_column = (
    Span.__dict__[name].__set__ for name in ("line", "column", "end_line", "end_column")
)


def make_span(line: int, column: int, end_line: int, end_column: int) -> Span:
    """`Span(line=…, column=…, end_line=…, end_column=…)`, the same span, built faster."""
    span = _new_span(Span)
    _set_line(span, line)
    _set_column(span, column)
    _set_end_line(span, end_line)
    _set_end_column(span, end_column)
    return span


#: How an element was recognised (DESIGN §2): `explicit` when the document states it in a form
#: made for it (a `## Phase N:` heading, a `Prompt:` field, a `Task(...)` call, `### Branch A:`),
#: `inferred` when drillbook read it out of prose (an `### If …` heading, "in parallel", a bold
#: lead-in, "use the x agent"). Rules about an element's shape speak only of explicit elements.
Provenance = Literal["explicit", "inferred"]


@node
class Ref(_Node):
    """A value as written in the document, with the span it was read from."""

    text: str
    span: Span


RefKind = Literal["bracket", "input", "context", "dependency", "file", "variable", "template"]


@node
class Reference(_Node):
    """Something a step consumes: a bracketed prompt reference, an Input/Context item, a file
    read, a variable. `kind` says how it was written, which matters for how it resolves."""

    text: str
    kind: RefKind
    span: Span
    provenance: Provenance = "explicit"


ItemKind = Literal["output", "context", "final", "file", "variable"]


@node
class Item(_Node):
    """Something a step produces: an Output / Context-for-next item, a file it saves."""

    name: str
    kind: ItemKind
    span: Span


@node
class Field_(_Node):
    """A `- Key: value` bullet (or `key:` line of a Task block) as written under a step."""

    key: str
    value: str
    known: bool
    span: Span
    key_span: Span
    #: written in the run of `Key: value` bullets that goes with the agent invocation (not
    #: in a prose list further down the step): only there is a key meant as a field
    attached: bool = True


@node
class Note(_Node):
    """Prose the parser kept but could not type (never dropped)."""

    text: str
    span: Span


@node
class Step(_Node):
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


@node
class Branch(_Node):
    id: str
    label: str
    title: str
    blocks: tuple[Block, ...] = ()
    notes: tuple[Note, ...] = ()
    span: Span
    provenance: Provenance = "explicit"


@node
class ParallelBlock(_Node):
    """Branches that run at the same time. A `fan_out` block has one branch standing for
    many copies of it ("spawn one reviewer per file in parallel")."""

    kind: Literal["parallel"] = "parallel"
    id: str
    title: str | None = None
    branches: tuple[Branch, ...]
    span: Span
    provenance: Provenance = "explicit"
    fan_out: bool = False


@node
class DecisionPath(_Node):
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
    blocks: tuple[Block, ...] = ()
    notes: tuple[Note, ...] = ()
    span: Span
    provenance: Provenance = "explicit"


@node
class DecisionBlock(_Node):
    kind: Literal["decision"] = "decision"
    id: str
    question: str | None = None
    paths: tuple[DecisionPath, ...]
    span: Span
    provenance: Provenance = "explicit"


@node
class Checkpoint(_Node):
    """An approval gate: the run waits for a person (or stops when they reject)."""

    kind: Literal["checkpoint"] = "checkpoint"
    id: str
    title: str
    gate: Literal["approval", "question", "wait"] = "approval"
    span: Span
    provenance: Provenance = "explicit"


@node
class LoopBlock(_Node):
    """A body run again while `repeat_when` holds (or until `until` holds), at most
    `max_iterations` runs in all when the document states a limit."""

    kind: Literal["loop"] = "loop"
    id: str
    until: str | None = None
    repeat_when: str | None = None
    max_iterations: int | None = None
    body: tuple[Block, ...]
    text: str
    span: Span
    provenance: Provenance = "inferred"


Block = Annotated[Step | ParallelBlock | DecisionBlock | Checkpoint | LoopBlock, _Tagged("kind")]


@node
class Phase(_Node):
    id: str
    number: int | None = None
    label: str | None = None
    title: str
    implicit: bool = False
    blocks: tuple[Block, ...] = ()
    notes: tuple[Note, ...] = ()
    span: Span
    provenance: Provenance = "explicit"


@node
class Workflow(_Node):
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


@node
class Requirement(_Node):
    """A typed requirement from the host page: `**RTO …**: 30 minutes` → duration 1800 s."""

    name: str
    text: str
    kind: Literal["duration", "cadence", "text"]
    seconds: int | None = None
    span: Span


@node
class RecordedAgent(_Node):
    name: str
    model: str | None = None
    branch: str | None = None


@node
class RecordedPhase(_Node):
    number: int | None = None
    title: str
    duration_s: int | None = None
    duration_text: str | None = None
    decision: str | None = None
    decision_text: str | None = None
    agents: tuple[RecordedAgent, ...] = ()
    findings: tuple[str, ...] = ()
    span: Span


@node
class RecordedRun(_Node):
    phases: tuple[RecordedPhase, ...]
    span: Span
    #: figures the run reports achieving ("Total Resolution Time: 25 minutes"), typed like
    #: requirements; they are results, never objectives
    metrics: tuple[Requirement, ...] = ()


@node
class ParseDiagnostic(_Node):
    """A problem the parser itself noticed (the checks turn these into lint diagnostics)."""

    code: str
    message: str
    span: Span
    #: the text that fixes it, replacing `span` (a misspelt keyword spelt right)
    replacement: str | None = None
    #: set where the problem is less than its rule's default (front matter that the loaders
    #: it is written for repair and read as meant is an info)
    severity: Literal["error", "warning", "info"] | None = None
    # (neither is written in the IR, which records what the document says: compiler.ir)


@node
class Document(_Node):
    path: str
    title: str | None = None
    front_matter: dict[str, Any] = field(default_factory=dict)
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
