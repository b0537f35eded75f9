"""The JSON Schema of the lint configuration (`drillbook schema config`): the `drillbook.toml`
file, or the `[tool.drillbook]` table of pyproject.toml. Editors with a TOML language server
(Taplo, Even Better TOML) use it for completion and checking; `load_config` stays the one
reader, and a test keeps the two in step."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_Codes = list[str] | str
_Level = Literal["error", "warning", "info"]


class ConfigFile(BaseModel):
    """drillbook's lint configuration: which rules run, how severe they are, which files
    are skipped, where the agent catalog is."""

    model_config = ConfigDict(extra="forbid", title="drillbook configuration")

    select: _Codes | None = Field(
        None,
        description="Only these rules: codes (WF301), slugs (parallel-read-race), prefixes "
        "(WF2) or ALL. Default: every rule except the opt-in ones (WF205).",
        examples=[["WF2", "WF301"]],
    )
    ignore: _Codes | None = Field(
        None, description="Rules to skip: codes, slugs or prefixes.", examples=[["WF205"]]
    )
    severity: dict[str, _Level] | None = Field(
        None,
        description="A rule's severity instead of its default: rule = error|warning|info.",
        examples=[{"maybe-unavailable-reference": "error"}],
    )
    per_file_ignores: dict[str, _Codes] | None = Field(
        None,
        alias="per-file-ignores",
        description="Rules to skip in the files a glob matches (relative to this file).",
        examples=[{"drafts/*.md": ["WF201"]}],
    )
    agents: str | None = Field(
        None,
        description="Folder of agent definition files (relative to this file): turns on "
        "WF108 unknown-agent.",
        examples=[".claude/agents"],
    )
    exclude: list[str] | None = Field(
        None,
        description="Glob patterns of files a folder lint skips (besides hidden and vendored "
        "folders and what git ignores).",
        examples=[["vendor/*", "drafts/**/*.md"]],
    )
    unsafe_fixes: bool | None = Field(
        None,
        alias="unsafe-fixes",
        description="Let `drillbook lint --fix` also apply fixes that pick something for the "
        "author: a reference's did-you-mean. Safe fixes (misspelt field names and keywords) "
        "are always applied.",
    )
    milestones: dict[str, str] | None = Field(
        None,
        description="Simulation: where a document's objective is measured to when the "
        "document does not say: objective name = step or phase (an id, `Phase 4`, or a title).",
        examples=[{"RTO": "phase-4"}],
    )
    per_file_milestones: dict[str, dict[str, str]] | None = Field(
        None,
        alias="per-file-milestones",
        description="`milestones` for the documents a glob matches (relative to this file).",
        examples=[{"incidents/payments.md": {"RTO": "Recovery Confirmation"}}],
    )


def config_schema() -> dict[str, Any]:
    schema = ConfigFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
