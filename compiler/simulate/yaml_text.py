"""Writing scenario files as YAML a person can edit: one entry per line, a comment beside it
saying what the id is. Values are quoted by PyYAML's own emitter, so what is written reads
back as the same value."""

from __future__ import annotations

from typing import Any

import yaml


def flow(value: Any) -> str:
    """`value` as one line of YAML (flow style), quoted where YAML needs it."""
    text = yaml.safe_dump(
        value, default_flow_style=True, width=1_000_000, allow_unicode=True, sort_keys=False
    )
    return text.removesuffix("...\n").strip()


def _comment(text: str) -> str:
    return " ".join(text.split())


class YamlText:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def comment(self, text: str, indent: int = 0) -> None:
        self.lines.append(f"{'  ' * indent}# {_comment(text)}".rstrip())

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def entry(self, key: str, value: Any, indent: int = 0, note: str | None = None) -> None:
        line = f"{'  ' * indent}{flow(key)}: {flow(value)}"
        self.lines.append(f"{line}  # {_comment(note)}" if note else line)

    def section(self, key: str, indent: int = 0, note: str | None = None) -> None:
        line = f"{'  ' * indent}{flow(key)}:"
        self.lines.append(f"{line}  # {_comment(note)}" if note else line)

    def item(self, value: Any, indent: int = 1, note: str | None = None) -> None:
        line = f"{'  ' * indent}- {flow(value)}"
        self.lines.append(f"{line}  # {_comment(note)}" if note else line)

    def text(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"
