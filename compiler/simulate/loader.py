"""Reading scenario files (YAML or JSON) safely, keeping the position of every key and value.

`yaml.safe_load` forgets where things were written, and expands aliases without limit (a
"billion laughs" file of a few hundred bytes can exhaust memory). So the file is *composed*
into PyYAML's node graph (which shares aliased nodes instead of copying them), then converted
to plain values here under a budget of constructed values, refusing recursive aliases,
duplicate keys and custom tags, and recording the line and column of every key path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

#: Scenario files are small; anything bigger is a mistake (or an attack).
MAX_BYTES = 1_000_000
#: Values built from one file, aliases counted each time they are expanded.
MAX_VALUES = 20_000

Path = tuple[str | int, ...]

_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)


class ScenarioError(Exception):
    """A scenario that cannot be used: always names the file, and the line and key when known.

    One error may carry others found in the same pass (`together`), so that a person fixing a
    scenario sees every problem at once, in file order, instead of one per attempt."""

    def __init__(
        self,
        file: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
        *,
        others: tuple[ScenarioError, ...] = (),
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.others = others
        super().__init__(self.describe())

    @classmethod
    def together(cls, errors: list[ScenarioError]) -> ScenarioError:
        """One error standing for `errors` (at least one), ordered by where they were written."""
        ordered = sorted(
            (one for error in errors for one in error.all()),
            key=lambda e: (e.line is None, e.line or 0, e.column or 0),
        )
        first, *rest = ordered
        return cls(first.file, first.message, first.line, first.column, others=tuple(rest))

    def all(self) -> list[ScenarioError]:
        """This error and the ones found with it, in file order."""
        if not self.others:
            return [self]
        return [ScenarioError(self.file, self.message, self.line, self.column), *self.others]

    def lines(self) -> list[str]:
        """One line per problem: `file:line:col: key: message`."""
        return [error.where() + f": {error.message}" for error in self.all()]

    def where(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def describe(self) -> str:
        return "\n".join(self.lines())


@dataclass(frozen=True)
class Position:
    """Where a key (or a value without a key) was written: 1-based, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class LocatedData:
    """Plain data (dicts, lists, scalars) plus where each key path was written."""

    file: str
    value: Any
    positions: dict[Path, Position] = field(default_factory=dict)
    #: where each value itself was written (for rewriting it in place, `scenario update`)
    values: dict[Path, Position] = field(default_factory=dict)

    def position(self, path: Path) -> Position | None:
        """Where `path` (or its nearest written ancestor) is in the file."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return None

    def error(self, path: Path, message: str) -> ScenarioError:
        """A ScenarioError at `path`, its message prefixed with the dotted key."""
        where = self.position(path)
        key = dotted(path)
        text = f"{key}: {message}" if key else message
        if where is None:
            return ScenarioError(self.file, text)
        return ScenarioError(self.file, text, where.line, where.column)


def dotted(path: Path) -> str:
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts)


def load_located(text: str, file: str) -> LocatedData:
    """Parse scenario text (YAML; JSON is YAML too) into located plain data."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise ScenarioError(file, f"the file is larger than {MAX_BYTES // 1000} kB")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        if mark is None:
            raise ScenarioError(file, f"malformed YAML: {problem}") from None
        raise ScenarioError(
            file, f"malformed YAML: {problem}", mark.line + 1, mark.column + 1
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(file, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
    if node is None:
        raise ScenarioError(file, "the file is empty (a scenario is a mapping of keys)", 1, 1)
    converter = _Converter(file)
    value = converter.convert(node, ())
    return LocatedData(file, value, converter.positions, converter.values)


class _Converter:
    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[Path, Position] = {}
        self.values: dict[Path, Position] = {}
        self.count = 0
        self.active: set[int] = set()
        self.scalars = yaml.SafeLoader("")

    def fail(self, node: Node, message: str) -> ScenarioError:
        mark = node.start_mark
        return ScenarioError(self.file, message, mark.line + 1, mark.column + 1)

    def convert(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(
                node,
                f"the file expands to more than {MAX_VALUES} values (aliases that repeat "
                "aliases?); write the scenario out plainly",
            )
        if id(node) in self.active:
            raise self.fail(node, "an alias refers to the value that contains it")
        self.positions.setdefault(path, _position(node))
        self.values.setdefault(path, _position(node))
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                self._plain_tag(node, "tag:yaml.org,2002:seq")
                return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            self._plain_tag(node, "tag:yaml.org,2002:map")
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _plain_tag(self, node: Node, expected: str) -> None:
        if node.tag != expected:
            raise self.fail(node, f"unsupported YAML tag {node.tag!r}")

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _TIMESTAMP_TAG:
            return str(node.value)  # a date is never a scenario value; keep what was written
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, f"unsupported YAML tag {node.tag!r}")
        try:
            return self.scalars.construct_object(node, deep=True)
        except yaml.YAMLError:
            raise self.fail(node, f"cannot read value {node.value!r}") from None

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.update(self._merge(value_node, path))
                continue
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "a key must be a plain value, not a list or mapping")
            # The key as written: `yes:` or `1:` stay strings instead of becoming True / 1.
            key = str(key_node.value)
            if key in result:
                raise self.fail(key_node, f"duplicate key {key!r}")
            self.positions[(*path, key)] = _position(key_node)
            result[key] = self.convert(value_node, (*path, key))
        return {**{k: v for k, v in merged.items() if k not in result}, **result}

    def _merge(self, node: Node, path: Path) -> dict[str, Any]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in sources:
            if not isinstance(source, MappingNode):
                raise self.fail(source, "`<<` merges mappings only")
            value = self.convert(source, path)
            assert isinstance(value, dict)
            for key, item in value.items():
                merged.setdefault(key, item)
        return merged


def _position(node: Node) -> Position:
    start, end = node.start_mark, node.end_mark
    return Position(start.line + 1, start.column + 1, end.line + 1, end.column + 1)
