"""Helpers for the language-server tests: a real client over stdio (pytest-lsp) talking to
`python -m compiler lsp`, and small steps an editor takes (open, change, wait for lint)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.conftest import ROOT

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "compiler", "lsp"])


async def start(client: LanguageClient, options: dict[str, Any] | None = None) -> None:
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=ROOT.as_uri(),
        initialization_options=options or {"debounce": 0.05},
    )
    await client.initialize_session(params)


async def open_text(client: LanguageClient, uri: str, text: str) -> list[types.Diagnostic]:
    """Open a document and wait for its first diagnostics."""
    waiting = client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=text
            )
        )
    )
    await waiting
    return list(client.diagnostics[uri])


async def open_file(client: LanguageClient, path: Path) -> tuple[str, list[types.Diagnostic]]:
    uri = path.resolve().as_uri()
    return uri, await open_text(client, uri, path.read_text(encoding="utf-8"))


async def replace_all(
    client: LanguageClient, uri: str, text: str, version: int
) -> list[types.Diagnostic]:
    """Send the whole new text (as an editor does on paste) and wait for the re-lint."""
    waiting = client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await waiting
    return list(client.diagnostics[uri])


def position_of(text: str, needle: str, offset: int = 0, occurrence: int = 0) -> types.Position:
    """The LSP position of `needle` (plus `offset` characters) in `text` (ASCII lines)."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    return types.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (ASCII text: UTF-16 units are characters)."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def hover_markdown(hover: types.Hover | None) -> str:
    assert hover is not None
    contents = hover.contents
    assert isinstance(contents, types.MarkupContent)
    return contents.value


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)
