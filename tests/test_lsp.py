"""`drillbook lsp` end to end: a real LSP client (pytest-lsp) drives the server over stdio
on a spec of this repository — open, change, hover, definition, references, symbols,
code actions, completion, configuration, and malformed documents."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed (pip install '.[test]')")

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.conftest import SPECS
from tests.lsp_session import (
    SERVER,
    apply_edits,
    doc,
    hover_markdown,
    open_file,
    open_text,
    position_of,
    replace_all,
    start,
)

SPEC = SPECS / "payments-outage.md"
TEXT = SPEC.read_text(encoding="utf-8")

pytestmark = pytest.mark.asyncio


@pytest_lsp.fixture(config=SERVER)  # type: ignore[untyped-decorator]
async def client(lsp_client: LanguageClient):
    await start(lsp_client)
    yield
    await lsp_client.shutdown_session()


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


async def test_open_clean_spec_publishes_no_findings(client: LanguageClient) -> None:
    _, diagnostics = await open_file(client, SPEC)
    assert diagnostics == []


async def test_change_relints_with_lint_codes_severity_and_related(client: LanguageClient) -> None:
    uri, _ = await open_file(client, SPEC)
    # The close-out review now reads the sibling branch's notice: a parallel race.
    raced = TEXT.replace(
        "[incident timeline, all investigation results,",
        "[all-clear notice, incident timeline, all investigation results,",
    )
    diagnostics = await replace_all(client, uri, raced, 2)
    assert codes(diagnostics) == ["WF301"]
    race = diagnostics[0]
    assert race.source == "drillbook"
    assert race.severity == types.DiagnosticSeverity.Error
    start_pos = position_of(raced, "all-clear notice, incident")
    assert race.range.start == start_pos
    assert race.range.end.character == start_pos.character + len("all-clear notice")
    assert race.related_information is not None
    produced = position_of(raced, "All-clear notice\n")
    assert [r.location.range.start.line for r in race.related_information] == [produced.line]
    assert "phase-5/branch-a" in race.related_information[0].message
    # Typing it back removes the finding.
    assert await replace_all(client, uri, TEXT, 3) == []


async def test_hover_on_reference_shows_producer_and_verdict(client: LanguageClient) -> None:
    uri, _ = await open_file(client, SPEC)
    where = position_of(TEXT, "mitigation applied, authorisation", offset=3)
    text = hover_markdown(
        await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=where)
        )
    )
    assert "resolved" in text
    assert "`phase-3/branch-a`" in text
    output_line = position_of(TEXT, "Mitigation applied, authorisation").line + 1
    assert f"(line {output_line})" in text


async def test_hover_on_maybe_reference_names_the_witness_path(client: LanguageClient) -> None:
    uri, _ = await open_file(client, SPEC)
    # Phase 4 reading Path A's output: missing when another path is taken.
    edited = TEXT.replace("[mitigation applied,", "[gateway diagnosis, mitigation applied,")
    diagnostics = await replace_all(client, uri, edited, 2)
    assert codes(diagnostics) == ["WF203"]
    where = position_of(edited, "gateway diagnosis, mitigation", offset=2)
    text = hover_markdown(
        await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=where)
        )
    )
    assert "maybe unavailable" in text
    assert "`phase-2/path-b`" in text
    assert "WF203" in text


async def test_definition_goes_to_the_output_item(client: LanguageClient) -> None:
    uri, _ = await open_file(client, SPEC)
    where = position_of(TEXT, "mitigation applied, authorisation", offset=1)
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=where)
    )
    assert isinstance(found, list)
    produced = position_of(TEXT, "Mitigation applied, authorisation")
    assert [(loc.uri, loc.range.start) for loc in found if isinstance(loc, types.Location)] == [
        (uri, produced)
    ]


async def test_references_from_output_list_every_reader(client: LanguageClient) -> None:
    uri, _ = await open_file(client, SPEC)
    where = position_of(TEXT, "Incident brief, severity rating", offset=2)
    found = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri),
            position=where,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert found is not None
    lines = sorted({loc.range.start.line for loc in found})
    readers = sorted({position_of(TEXT, "[incident brief", occurrence=n).line for n in range(5)})
    assert set(readers) <= set(lines)
    assert position_of(TEXT, "Incident brief, severity rating").line not in lines


async def test_document_symbols_outline_phases_paths_and_branches(client: LanguageClient) -> None:
    uri, _ = await open_file(client, SPEC)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(uri))
    )
    assert symbols is not None
    phases = [s for s in symbols if isinstance(s, types.DocumentSymbol)]
    assert [s.name for s in phases] == [
        "Phase 1: Triage & Command",
        "Phase 2: Focused Investigation",
        "Phase 3: Parallel Containment",
        "Phase 4: Recovery Confirmation",
        "Phase 5: Parallel Close-out",
    ]
    decision = phases[1].children or []
    assert [d.kind for d in decision] == [types.SymbolKind.Enum]
    assert [p.name for p in decision[0].children or []] == [
        "Path A: Gateway Fault",
        "Path B: Acquirer Outage",
        "Else: Fraud Rules Misfire",
    ]
    branches = phases[2].children or []
    assert [b.name for b in branches] == [
        "Branch A: Apply Mitigation",
        "Branch B: Merchant Communication",
        "Branch C: Finance Impact",
    ]
    for phase in phases:
        assert phase.range.start.line <= phase.selection_range.start.line
        for child in phase.children or []:
            assert phase.range.start.line <= child.range.start.line
            assert child.range.end.line <= phase.range.end.line


async def _actions(
    client: LanguageClient, uri: str, diagnostic: types.Diagnostic
) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


def _edits(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return list(action.edit.changes[uri])


async def test_code_action_applies_the_did_you_mean(client: LanguageClient) -> None:
    uri, _ = await open_file(client, SPEC)
    typo = TEXT.replace("[mitigation applied,", "[mitigation aplied,").replace(
        "- Output: Recovery confirmation", "- Ouput: Recovery confirmation"
    )
    diagnostics = await replace_all(client, uri, typo, 2)
    assert "WF201" in codes(diagnostics) and "WF107" in codes(diagnostics)
    fixed = typo
    for code, safe in (("WF201", False), ("WF107", True)):
        diagnostic = next(d for d in diagnostics if d.code == code)
        actions = await _actions(client, uri, diagnostic)
        write = [a for a in actions if a.title.startswith("Write")]
        assert len(write) == 1
        # A safe fix (a key spelt right) is preferred; a guessed reference is offered only.
        assert bool(write[0].is_preferred) is safe
        fixed = apply_edits(fixed, _edits(write[0], uri))
    assert fixed.lower() == TEXT.lower()
    assert await replace_all(client, uri, fixed, 3) == []


async def test_code_action_adds_a_default_path(client: LanguageClient) -> None:
    uri, _ = await open_file(client, SPEC)
    no_default = TEXT.replace(
        "#### Else: Fraud Rules Misfire",
        "#### Path C: Fraud Rules Misfire (Condition: chargeback spike)",
    )
    diagnostics = await replace_all(client, uri, no_default, 2)
    assert codes(diagnostics) == ["WF401"]
    actions = await _actions(client, uri, diagnostics[0])
    titles = [a.title for a in actions]
    assert "Add a default path to this decision" in titles
    action = actions[titles.index("Add a default path to this decision")]
    fixed = apply_edits(no_default, _edits(action, uri))
    assert "#### Path D: No condition holds (Default)" in fixed
    assert await replace_all(client, uri, fixed, 3) == []


async def test_code_action_disables_any_finding_for_its_line(client: LanguageClient) -> None:
    uri, _ = await open_file(client, SPEC)
    raced = TEXT.replace("[incident timeline,", "[all-clear notice, incident timeline,")
    diagnostics = await replace_all(client, uri, raced, 2)
    assert codes(diagnostics) == ["WF301"]
    actions = await _actions(client, uri, diagnostics[0])
    disable = [a for a in actions if a.title.startswith("Disable WF301")]
    assert len(disable) == 1
    silenced = apply_edits(raced, _edits(disable[0], uri))
    # the spec's workflow is fenced in a docs page: the comment goes before the fence
    assert "<!-- drillbook-disable-next-block WF301 -->\n```markdown\n" in silenced
    assert await replace_all(client, uri, silenced, 3) == []


async def test_completion_in_brackets_offers_upstream_items_every_path_first(
    client: LanguageClient,
) -> None:
    uri, _ = await open_file(client, SPEC)
    where = position_of(TEXT, "[mitigation applied,", offset=1)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=where)
    )
    assert isinstance(result, types.CompletionList)
    ordered = sorted(result.items, key=lambda item: item.sort_text or "")
    labels = [item.label for item in ordered]
    assert "Mitigation applied" in labels
    assert "Gateway diagnosis" in labels
    # Produced on every path before phase 4, then only on some decision paths.
    assert labels.index("Mitigation applied") < labels.index("Gateway diagnosis")
    gateway = ordered[labels.index("Gateway diagnosis")]
    assert "missing when" in (gateway.detail or "")
    # Its own outputs and later ones are not offered.
    assert "Recovery confirmation" not in labels
    assert "All-clear notice" not in labels
    edit = ordered[labels.index("Mitigation applied")].text_edit
    assert isinstance(edit, types.TextEdit)
    assert edit.new_text == "mitigation applied"


async def test_completion_in_input_field_and_after_subagent_type(client: LanguageClient) -> None:
    uri, _ = await open_file(client, SPEC)
    typed = TEXT.replace(
        "- Output: Recovery confirmation, mitigated timestamp",
        "- Input: merchant notice, sev\n- Output: Recovery confirmation, mitigated timestamp",
    )
    await replace_all(client, uri, typed, 2)
    where = position_of(typed, "merchant notice, sev", offset=len("merchant notice, sev"))
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=where)
    )
    assert isinstance(result, types.CompletionList)
    severity = next(i for i in result.items if i.label == "severity rating")
    assert isinstance(severity.text_edit, types.TextEdit)
    assert severity.text_edit.range.start.character == where.character - len("sev")
    agent_at = position_of(typed, 'subagent_type="site-', offset=len('subagent_type="'))
    agents = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=agent_at)
    )
    assert isinstance(agents, types.CompletionList)
    assert "payments-gateway-engineer" in [i.label for i in agents.items]


async def test_document_without_workflow_stays_silent(client: LanguageClient) -> None:
    notes = "# Meeting notes\n\nWe talked about [the roadmap] and lunch.\n"
    assert await open_text(client, "untitled:notes.md", notes) == []


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02garbage\ufffd\x7f" * 50,
        "## Phase 1: Triage\n```markdown\n### Step 1: never closed\n- Prompt: [x",
        '## Phase 1: Triage\nTask(subagent_type="incident-commander", prompt="Triage [',
        "",
    ],
    ids=["binary", "unclosed-fence", "half-typed-task", "empty"],
)
async def test_malformed_document_never_kills_the_server(client: LanguageClient, text: str) -> None:
    uri = "untitled:broken.md"
    await open_text(client, uri, text)
    end = types.Position(line=text.count("\n"), character=len(text.split("\n")[-1]))
    for position in (types.Position(line=0, character=0), end):
        await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=position)
        )
        await client.text_document_completion_async(
            types.CompletionParams(text_document=doc(uri), position=position)
        )
        await client.text_document_definition_async(
            types.DefinitionParams(text_document=doc(uri), position=position)
        )
    await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(uri))
    )
    # A half-typed edit of a good document, then the server still answers on it.
    spec_uri, _ = await open_file(client, SPEC)
    broken = TEXT.replace("[mitigation applied, authorisation rate trend]", "[mitig")
    # (NUL bytes would make the whole buffer unreadable, WF901, with nothing to outline)
    await replace_all(client, spec_uri, broken + text.replace("\x00", ""), 2)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(spec_uri))
    )
    assert symbols


async def test_binary_text_is_reported_like_lint_does(client: LanguageClient) -> None:
    diagnostics = await open_text(client, "untitled:binary.md", "\x00\x01garbage")
    assert codes(diagnostics) == ["WF901"]


async def test_configuration_and_suppression_comments_are_honoured(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "drillbook.toml").write_text('ignore = ["WF201"]\n', encoding="utf-8")
    playbook = tmp_path / "playbook.md"
    typo = TEXT.replace("[mitigation applied,", "[mitigation aplied,").replace(
        "[incident timeline,", "[all-clear notice, incident timeline,"
    )
    playbook.write_text(typo, encoding="utf-8")
    uri, diagnostics = await open_file(client, playbook)
    assert codes(diagnostics) == ["WF301"]  # WF201 ignored by the configuration
    silenced = typo.replace(
        '- Prompt: "Write the review',
        '<!-- drillbook-disable-next-line parallel-read-race -->\n- Prompt: "Write the review',
    )
    assert await replace_all(client, uri, silenced, 2) == []


async def test_agent_hover_and_completion_read_the_catalog(
    client: LanguageClient, tmp_path: Path
) -> None:
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "incident-commander.md").write_text(
        "---\nname: incident-commander\ndescription: Runs the incident call.\n"
        "model: opus\ntools: Read, Grep\n---\nYou command incidents.\n",
        encoding="utf-8",
    )
    (agents / "scribe.md").write_text("---\nname: scribe\n---\n", encoding="utf-8")
    (tmp_path / "drillbook.toml").write_text('agents = "agents"\n', encoding="utf-8")
    playbook = tmp_path / "playbook.md"
    playbook.write_text(TEXT, encoding="utf-8")
    uri, diagnostics = await open_file(client, playbook)
    assert "WF108" in codes(diagnostics)  # the spec's other agents are not in this catalog
    where = position_of(TEXT, 'subagent_type="incident-commander"', offset=20)
    text = hover_markdown(
        await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=where)
        )
    )
    assert "Runs the incident call." in text and "opus" in text and "Read, Grep" in text
    agent_at = position_of(TEXT, 'subagent_type="incident-commander"', offset=15)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=agent_at)
    )
    assert isinstance(result, types.CompletionList)
    assert [i.label for i in result.items] == ["incident-commander", "scribe"]


@pytest_lsp.fixture(config=SERVER)  # type: ignore[untyped-decorator]
async def typing_client(lsp_client: LanguageClient):
    await start(lsp_client, options={})  # the default debounce
    yield
    await lsp_client.shutdown_session()


async def test_typing_is_debounced_into_one_lint_of_the_latest_text(
    typing_client: LanguageClient,
) -> None:
    """Two edits in a row: one lint, of the second text. Were every keystroke linted, the
    first notification would carry the race of version 2."""
    uri, _ = await open_file(typing_client, SPEC)
    raced = TEXT.replace("[incident timeline,", "[all-clear notice, incident timeline,")
    waiting = typing_client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    for version, text in ((2, raced), (3, TEXT)):
        typing_client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
    published = await waiting
    assert published.version == 3
    assert list(published.diagnostics) == []


async def test_saving_after_the_configuration_changed_relints_with_it(
    client: LanguageClient, tmp_path: Path
) -> None:
    config = tmp_path / "drillbook.toml"
    config.write_text("ignore = []\n", encoding="utf-8")
    playbook = tmp_path / "playbook.md"
    playbook.write_text(TEXT.replace("[mitigation applied,", "[mitigation aplied,"), "utf-8")
    uri, diagnostics = await open_file(client, playbook)
    assert codes(diagnostics) == ["WF201"]
    config.write_text('ignore = ["unresolved-reference"]\n', encoding="utf-8")
    os.utime(config, (1, 1))  # a new modification time whatever the clock's resolution
    waiting = client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc(uri)))
    await waiting
    assert list(client.diagnostics[uri]) == []


async def test_a_broken_catalog_entry_is_reported_on_the_catalog_file(
    client: LanguageClient, tmp_path: Path
) -> None:
    """WF100 about an agent definition's front matter lands on that definition's own line
    and URI, not on the playbook whose lint found it (where line 4 means something else)."""
    agents = tmp_path / "agents"
    agents.mkdir()
    broken = agents / "incident-commander.md"
    broken.write_text(
        "---\nname: incident-commander\ndescription: x\ntools: [Read\n---\nbody\n", "utf-8"
    )
    (tmp_path / "drillbook.toml").write_text('agents = "agents"\n', encoding="utf-8")
    playbook = tmp_path / "playbook.md"
    playbook.write_text(TEXT, encoding="utf-8")
    catalog_uri = broken.resolve().as_uri()
    uri, diagnostics = await open_file(client, playbook)
    await _published(client, catalog_uri, lambda found: bool(found))
    assert "WF100" not in codes(diagnostics)
    on_catalog = list(client.diagnostics[catalog_uri])
    assert codes(on_catalog) == ["WF100"]
    assert on_catalog[0].range.start.line == 3  # "tools: [Read", 0-based
    # fixed on disk and the playbook saved: the catalog's finding goes away
    broken.write_text("---\nname: incident-commander\ndescription: x\n---\nbody\n", "utf-8")
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc(uri)))
    await _published(client, catalog_uri, lambda found: not found)
    assert list(client.diagnostics[catalog_uri]) == []


async def _published(
    client: LanguageClient, uri: str, done: Callable[[list[types.Diagnostic]], bool]
) -> None:
    """Wait (up to 10 s) until what the client holds for `uri` satisfies `done`: the
    server publishes another file's findings right after the document's own."""
    for _ in range(200):
        if uri in client.diagnostics and done(list(client.diagnostics[uri])):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing suitable was published for {uri}")
