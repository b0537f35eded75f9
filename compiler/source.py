"""Reading workflow documents from disk: decoding, size limits, line-ending normalisation.

Everything downstream works on `Source.text`, whose lines correspond one to one with the
lines of the original file (CRLF and lone CR are folded to LF; a UTF-8 byte-order mark is
dropped), so a line and column computed on it is a line and column in the file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

#: Files larger than this are reported (WF901) rather than parsed: workflow documents are
#: hand-written prose, a multi-megabyte "document" is almost certainly something else.
MAX_BYTES = 2 * 1024 * 1024

#: How far into a file we look for NUL bytes to call it binary.
_BINARY_PROBE = 8192


class UnreadableFile(Exception):
    """A file exists but cannot be treated as a workflow document (WF901)."""

    def __init__(self, path: str, reason: str, line: int = 1, column: int = 1) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Source:
    """The decoded text of one document, with its display path."""

    path: str
    text: str
    lines: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.text.split("\n")))

    def line(self, number: int) -> str:
        """The text of 1-based line `number`, or "" past the end."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""


def normalise_text(text: str) -> str:
    """Fold CRLF / CR line endings to LF and drop a leading byte-order mark."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def decode_bytes(data: bytes, path: str) -> Source:
    """Decode raw bytes as a workflow document, raising UnreadableFile when that is not possible."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            path, f"file is {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit for a document"
        )
    if b"\x00" in data[:_BINARY_PROBE]:
        return _raise_binary(path, data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UnreadableFile(
            path,
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column} "
            "(re-save the file as UTF-8)",
            line,
            column,
        ) from None
    return Source(path, normalise_text(text))


def _raise_binary(path: str, data: bytes) -> Source:
    offset = data.index(b"\x00")
    line = data.count(b"\n", 0, offset) + 1
    raise UnreadableFile(path, "binary file (contains NUL bytes), not a Markdown document", line)


def read_source(path: Path, display: str | None = None) -> Source:
    """Read and decode `path`. FileNotFoundError / IsADirectoryError / PermissionError propagate
    (they are usage errors, exit 2); content problems raise UnreadableFile (WF901)."""
    shown = display if display is not None else str(path)
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            size = path.stat().st_size
            raise UnreadableFile(
                shown, f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit for a document"
            )
    return decode_bytes(data, shown)


def read_stdin(display: str = "<stdin>") -> Source:
    """Read a document from standard input."""
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    return decode_bytes(data, display)
