"""The canonical example through the language server, as an author would meet it: its
`[monitoring analysis]` race in Phase 3 Branch C (line 83) and its Phase 2 decision."""

from __future__ import annotations

import pytest

pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed (pip install '.[test]')")

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.conftest import SEED, needs_seed
from tests.lsp_session import (
    SERVER,
    apply_edits,
    doc,
    hover_markdown,
    open_file,
    position_of,
    replace_all,
    start,
)

pytestmark = [pytest.mark.asyncio, needs_seed]


@pytest_lsp.fixture(config=SERVER)  # type: ignore[untyped-decorator]
async def client(lsp_client: LanguageClient):
    await start(lsp_client)
    yield
    await lsp_client.shutdown_session()


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def race_position(text: str) -> types.Position:
    """Inside `monitoring analysis` of Branch C's prompt (line 83)."""
    return position_of(text, "incident classification, monitoring analysis]", offset=30)


async def test_seed_findings_match_lint(client: LanguageClient) -> None:
    _, diagnostics = await open_file(client, SEED)
    found = sorted((d.range.start.line + 1, str(d.code)) for d in diagnostics)
    assert found == [(49, "WF401"), (83, "WF301"), (106, "WF201"), (111, "WF201")]


async def test_seed_monitoring_analysis_race(client: LanguageClient) -> None:
    text = seed_text()
    uri, _ = await open_file(client, SEED)
    where = race_position(text)
    assert where.line == 82
    hover = hover_markdown(
        await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=where)
        )
    )
    assert "race" in hover and "`phase-3/branch-a`" in hover and "(line 74)" in hover
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=where)
    )
    assert isinstance(definition, list)
    assert [loc.range.start.line + 1 for loc in definition if isinstance(loc, types.Location)] == [
        74
    ]
    readers = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri),
            position=position_of(text, "Monitoring analysis, performance", offset=1),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert readers is not None
    assert {loc.range.start.line + 1 for loc in readers} >= {83, 93}
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=where)
    )
    assert isinstance(completion, types.CompletionList)
    labels = [item.label for item in completion.items]
    # A sibling branch's output is not offered; the previous phases' outputs are.
    assert "Monitoring analysis" not in labels
    assert "Incident classification" in labels


async def test_seed_race_quick_fix_silences_it(client: LanguageClient) -> None:
    text = seed_text()
    uri, diagnostics = await open_file(client, SEED)
    race = next(d for d in diagnostics if d.code == "WF301")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(uri),
            range=race.range,
            context=types.CodeActionContext(diagnostics=[race]),
        )
    )
    disable = [a for a in actions or [] if isinstance(a, types.CodeAction)]
    # The seed's workflow sits in a ```markdown fence of a docs page: the comment goes
    # before the fence, where the published page hides it, not inside it.
    assert [a.title for a in disable] == [
        "Disable WF301 (parallel-read-race) for this fenced playbook "
        "(a comment before the fence, hidden on the published page)"
    ]
    assert disable[0].edit is not None and disable[0].edit.changes is not None
    silenced = apply_edits(text, list(disable[0].edit.changes[uri]))
    added = [line for line in silenced.split("\n") if line not in text.split("\n")]
    assert added == ["<!-- drillbook-disable-next-block WF301 -->"]
    assert "<!-- drillbook-disable-next-block WF301 -->\n```markdown\n" in silenced
    after = await replace_all(client, uri, silenced, 2)
    assert "WF301" not in {str(d.code) for d in after}


async def test_seed_phase_2_decision(client: LanguageClient) -> None:
    text = seed_text()
    uri, diagnostics = await open_file(client, SEED)
    heading = position_of(text, "Decision Point: Investigation")
    hover = hover_markdown(
        await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=heading)
        )
    )
    for path in ("phase-2/path-a", "phase-2/path-b", "phase-2/path-c"):
        assert f"`{path}`" in hover
    assert "No default path" in hover
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(uri))
    )
    assert symbols is not None
    phase_2 = next(
        s for s in symbols if isinstance(s, types.DocumentSymbol) and "Phase 2" in s.name
    )
    (decision,) = phase_2.children or []
    assert [p.name for p in decision.children or []] == [
        "Path A: Database Performance Issue",
        "Path B: Application/Code Issue",
        "Path C: Infrastructure Issue",
    ]
    missing_default = next(d for d in diagnostics if d.code == "WF401")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(uri),
            range=missing_default.range,
            context=types.CodeActionContext(diagnostics=[missing_default]),
        )
    )
    add = [
        a
        for a in actions or []
        if isinstance(a, types.CodeAction) and a.title == "Add a default path to this decision"
    ]
    assert len(add) == 1 and add[0].edit is not None and add[0].edit.changes is not None
    fixed = apply_edits(text, list(add[0].edit.changes[uri]))
    after = await replace_all(client, uri, fixed, 2)
    assert "WF401" not in {str(d.code) for d in after}
    assert len(after) == len(diagnostics) - 1
