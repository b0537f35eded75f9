"""SARIF 2.1.0 output, for code-scanning dashboards (GitHub code scanning, Azure DevOps).

One run; the driver lists every rule with its documentation (so a dashboard can show why
a finding matters and how to fix it); each result points at its region and its related
locations. Columns are Unicode code points, as drillbook counts them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from compiler.diagnostics import Diagnostic
from compiler.rules import RuleInfo

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


#: Paths inside the repository are given relative to its root (what code scanning expects,
#: wherever drillbook ran from), under this base id.
SOURCE_ROOT = "%SRCROOT%"


def format_sarif(
    diagnostics: Sequence[Diagnostic],
    rules: Sequence[RuleInfo],
    version: str,
    root: Path | None = None,
) -> str:
    """The SARIF log; with `root` (the repository's top folder), file paths inside it are
    made relative to it, so `./docs/x.md`, `docs/../docs/x.md` and an absolute path all
    become `docs/x.md`. When the files lie outside `root` (drillbook ran from elsewhere:
    `cd /tmp && drillbook lint /srv/repo/docs`), the root is the git checkout that holds
    them all."""
    root = source_root(diagnostics, root)
    index = {info.code: position for position, info in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "drillbook",
                "version": version,
                "semanticVersion": version,
                "rules": [_rule(info) for info in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index, root) for d in diagnostics],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(info: RuleInfo) -> dict[str, Any]:
    what = _plain(info.section("What it does")) or info.summary
    why = _plain(info.section("Why it matters"))
    example = info.section("Example")
    markdown = f"**What it does**\n\n{info.section('What it does')}\n\n"
    markdown += f"**Why it matters**\n\n{info.section('Why it matters')}\n\n"
    markdown += f"**Example**\n\n{example}\n"
    return {
        "id": info.code,
        "name": _pascal(info.slug),
        "shortDescription": {"text": _sentence(info.summary)},
        "fullDescription": {"text": _sentence(what)},
        "help": {"text": _sentence(f"{what} {why}".strip()), "markdown": markdown},
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {"category": info.category, "slug": info.slug, "tags": [info.category]},
    }


def _result(diagnostic: Diagnostic, index: dict[str, int], root: Path | None) -> dict[str, Any]:
    region: dict[str, int] = {
        "startLine": diagnostic.line,
        "startColumn": diagnostic.column,
        "endLine": max(diagnostic.end_line, diagnostic.line),
    }
    if diagnostic.end_line > diagnostic.line or diagnostic.end_column > diagnostic.column:
        region["endColumn"] = diagnostic.end_column
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "level": _LEVEL[diagnostic.severity],
        "message": {"text": _sentence(diagnostic.message)},
        "locations": [_location(diagnostic.file, region, root)],
    }
    if diagnostic.code in index:
        result["ruleIndex"] = index[diagnostic.code]
    if diagnostic.reference is not None:
        result["properties"] = {"reference": diagnostic.reference, "rule": diagnostic.rule}
    else:
        result["properties"] = {"rule": diagnostic.rule}
    if diagnostic.related:
        result["relatedLocations"] = [
            {
                "id": number,
                **_location(related.file, {"startLine": related.line}, root),
                "message": {"text": _sentence(related.message)},
            }
            for number, related in enumerate(diagnostic.related, start=1)
        ]
    return result


def source_root(diagnostics: Sequence[Diagnostic], root: Path | None) -> Path | None:
    """`root` when it holds every file the findings name, else the top folder of the git
    checkout holding them all (None when they are in none, or in different ones)."""
    files = sorted(
        {d.file for d in diagnostics if not d.file.startswith("<")}
        | {r.file for d in diagnostics for r in d.related if not r.file.startswith("<")}
    )
    if not files or all(_inside(file, root) is not None for file in files):
        return root
    tops = {checkout_top(Path(file).parent) for file in files}
    found = tops.pop() if len(tops) == 1 else None
    return found if found is not None else root


def checkout_top(start: Path) -> Path | None:
    """The nearest folder at or above `start` with a `.git` entry (a folder, or a file in a
    worktree or submodule)."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _location(file: str, region: dict[str, int], root: Path | None) -> dict[str, Any]:
    inside = _inside(file, root)
    artifact: dict[str, str] = (
        {"uri": artifact_uri(inside), "uriBaseId": SOURCE_ROOT}
        if inside is not None
        else {"uri": artifact_uri(file)}
    )
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _inside(file: str, root: Path | None) -> str | None:
    """`file` relative to `root`, normalised, or None when it lies outside (or is stdin)."""
    if root is None or file.startswith("<"):
        return None
    relative = os.path.relpath(os.path.abspath(file), root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return PurePosixPath(*Path(relative).parts).as_posix()


def artifact_uri(file: str) -> str:
    """A URI reference for a path as the user gave it: relative paths stay relative (so
    dashboards resolve them against the checkout), absolute ones become file:// URIs."""
    if PureWindowsPath(file).drive:
        return PureWindowsPath(file).as_uri()
    path = PurePosixPath(file.replace("\\", "/"))
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")


def _pascal(slug: str) -> str:
    return "".join(part.capitalize() for part in slug.split("-"))


def _plain(text: str) -> str:
    return " ".join(text.split())


def _sentence(text: str) -> str:
    """SARIF viewers expect messages to be sentences."""
    text = " ".join(text.split())
    return text if re.search(r"[.!?]$", text) else text + "."
