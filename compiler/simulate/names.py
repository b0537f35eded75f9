"""How a scenario name that resolves to nothing is reported: with the nearest known name, or
the known names when none is near."""

from __future__ import annotations

import difflib


def unknown_name(kind: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"unknown {kind} {name!r}; did you mean {close[0]!r}?"
    if not known:
        return f"unknown {kind} {name!r} (the workflow has none)"
    shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    return f"unknown {kind} {name!r} (known: {shown})"
