"""The pygls language server: document sync with debounced re-lint, and one handler per
feature. Handlers never raise: a failure is logged (stderr and the client's log) and the
request answers "nothing here", so a malformed document never takes the server down."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from compiler import __version__
from compiler.lsp.analysis import Analysis, analyse
from compiler.lsp.completion import complete
from compiler.lsp.convert import Coordinates, span_of, to_diagnostic, to_edits, to_symbol
from compiler.lsp.describe import hover_text
from compiler.lsp.fixes import default_path_fix, suggested_fix, suppression_fix
from compiler.lsp.navigation import outline, producer_spans, references_at
from compiler.lsp.settings import ConfigCache, catalog_stamp
from compiler.model import DecisionBlock, iter_blocks

logger = logging.getLogger("drillbook.lsp")

#: Seconds of quiet after a keystroke before the document is linted again.
DEBOUNCE_SECONDS = 0.3

#: Diagnostics about the run itself: reported, never silenced from inside the file.
UNSUPPRESSIBLE = frozenset({"WF901", "WF902"})


class DrillbookServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "drillbook", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.debounce = DEBOUNCE_SECONDS
        self.rule_docs: str | None = None
        self.configs = ConfigCache(self.warn)
        self._analyses: dict[str, tuple[str, object, Analysis]] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        #: what each document last published: its own findings, and those it made about
        #: other files (uri → findings), which are shown on those files
        self._own: dict[str, list[types.Diagnostic]] = {}
        self._foreign: dict[str, dict[str, list[types.Diagnostic]]] = {}

    def warn(self, message: str) -> None:
        logger.warning(message)
        self.window_log_message(
            types.LogMessageParams(type=types.MessageType.Warning, message=message)
        )

    # --- analysis ------------------------------------------------------------------------

    def analysis(self, uri: str) -> Analysis:
        """The analysis of the document's current text (recomputed when it changed)."""
        document = self.workspace.get_text_document(uri)
        path = to_fs_path(uri)
        config = self.configs.config_for(path)  # re-read when its file changed
        catalog = catalog_stamp(config.agents)  # the definitions may change too
        cached = self._analyses.get(uri)
        if (
            cached is not None
            and cached[0] == document.source
            and cached[1] == catalog
            and cached[2].config == config
        ):
            return cached[2]
        result = analyse(document.source, path or uri, config)
        self._analyses[uri] = (document.source, catalog, result)
        return result

    def coordinates(self, uri: str, analysis: Analysis) -> Coordinates:
        document = self.workspace.get_text_document(uri)
        return Coordinates(analysis.lines, document.position_codec)

    def publish(self, uri: str) -> None:
        self._timers.pop(uri, None)
        try:
            analysis = self.analysis(uri)
            where = self.coordinates(uri, analysis)
            found = [
                to_diagnostic(d, where, uri, analysis.path, self.rule_docs)
                for d in analysis.diagnostics
            ]
            foreign = self._foreign_diagnostics(uri, analysis)
        except Exception:
            logger.exception("drillbook: could not lint %s", uri)
            self._log_failure(f"could not lint {uri}")
            return
        self._own[uri] = found
        self._send(uri)
        before = self._foreign.pop(uri, {})
        if foreign:
            self._foreign[uri] = foreign
        for target in sorted(set(before) | set(foreign)):
            if target != uri:
                self._send(target)

    def _foreign_diagnostics(
        self, uri: str, analysis: Analysis
    ) -> dict[str, list[types.Diagnostic]]:
        """The findings a document's lint made about other files (an agent catalog
        entry's front matter), placed in those files' own text: an editor shows a
        problem where it can be fixed, and a playbook's line 4 is not the catalog's."""
        codec = self.workspace.get_text_document(uri).position_codec
        by_uri: dict[str, list[types.Diagnostic]] = {}
        for diagnostic in analysis.elsewhere:
            target = from_fs_path(diagnostic.file) or diagnostic.file
            where = Coordinates(self._lines_of(target, diagnostic.file), codec)
            by_uri.setdefault(target, []).append(
                to_diagnostic(diagnostic, where, target, diagnostic.file, self.rule_docs)
            )
        return by_uri

    def _lines_of(self, uri: str, path: str) -> list[str]:
        """The text of another file: the editor's buffer when it is open, else the disk."""
        if uri in self.workspace.text_documents:
            return self.workspace.get_text_document(uri).source.split("\n")
        try:
            return Path(path).read_text(encoding="utf-8", errors="replace").split("\n")
        except OSError:
            return []

    def _send(self, uri: str) -> None:
        """Publish `uri`'s findings: its own lint's, and those other documents' lints made
        about it (each once: two playbooks reading one catalog find the same problem)."""
        shown: list[types.Diagnostic] = list(self._own.get(uri, []))
        seen = {_identity(d) for d in shown}
        for owner in sorted(self._foreign):
            for diagnostic in self._foreign[owner].get(uri, []):
                if _identity(diagnostic) not in seen:
                    seen.add(_identity(diagnostic))
                    shown.append(diagnostic)
        document = self.workspace.text_documents.get(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri,
                diagnostics=shown,
                version=document.version if document is not None else None,
            )
        )

    def schedule(self, uri: str) -> None:
        """Lint `uri` once typing pauses for `debounce` seconds."""
        pending = self._timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self._timers[uri] = loop.call_later(self.debounce, self.publish, uri)

    def forget(self, uri: str) -> None:
        pending = self._timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self._analyses.pop(uri, None)
        self._own.pop(uri, None)
        self._send(uri)  # what other open documents say about it stays
        for target in sorted(self._foreign.pop(uri, {})):
            if target != uri:
                self._send(target)

    def _log_failure(self, message: str) -> None:
        try:
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error, message=f"drillbook: {message}"
                )
            )
        except Exception:
            logger.exception("drillbook: could not log to the client")


Handler = TypeVar("Handler", bound=Callable[..., Any])


def _identity(diagnostic: types.Diagnostic) -> tuple[object, ...]:
    start, end = diagnostic.range.start, diagnostic.range.end
    return (
        start.line,
        start.character,
        end.line,
        end.character,
        diagnostic.code,
        diagnostic.message,
    )


def guarded(default: object) -> Callable[[Handler], Handler]:
    """Run a handler; on any exception log it and answer `default` instead."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(ls: DrillbookServer, params: object) -> object:
            try:
                return handler(ls, params)
            except Exception:
                logger.exception("drillbook: %s failed", handler.__name__)
                ls._log_failure(f"{handler.__name__} failed (details on the server's stderr)")
                return default

        return cast(Handler, run)

    return wrap


server = DrillbookServer()


@server.feature(types.INITIALIZE)
@guarded(None)
def initialize(ls: DrillbookServer, params: types.InitializeParams) -> None:
    """`initializationOptions`: `{"debounce": 0.3, "ruleDocs": "https://…/{code}"}`."""
    options: Any = params.initialization_options
    if isinstance(options, dict):
        if isinstance(options.get("debounce"), int | float):
            ls.debounce = max(0.0, float(options["debounce"]))
        if isinstance(options.get("ruleDocs"), str):
            ls.rule_docs = options["ruleDocs"]


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded(None)
def did_open(ls: DrillbookServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded(None)
def did_change(ls: DrillbookServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@guarded(None)
def did_save(ls: DrillbookServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded(None)
def did_close(ls: DrillbookServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded(None)
def hover(ls: DrillbookServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    analysis = ls.analysis(uri)
    point = ls.coordinates(uri, analysis).point(params.position)
    text = hover_text(analysis, point)
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@guarded([])
def definition(ls: DrillbookServer, params: types.DefinitionParams) -> list[types.Location]:
    uri = params.text_document.uri
    analysis = ls.analysis(uri)
    where = ls.coordinates(uri, analysis)
    hit = analysis.reference_at(where.point(params.position))
    if hit is None:
        return []
    return [types.Location(uri=uri, range=where.range(span)) for span in producer_spans(*hit)]


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@guarded([])
def references(ls: DrillbookServer, params: types.ReferenceParams) -> list[types.Location]:
    uri = params.text_document.uri
    analysis = ls.analysis(uri)
    where = ls.coordinates(uri, analysis)
    point = where.point(params.position)
    spans = references_at(analysis, point, params.context.include_declaration)
    return [types.Location(uri=uri, range=where.range(span)) for span in spans]


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@guarded([])
def document_symbol(
    ls: DrillbookServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol]:
    uri = params.text_document.uri
    analysis = ls.analysis(uri)
    where = ls.coordinates(uri, analysis)
    return [to_symbol(symbol, where) for symbol in outline(analysis)]


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
@guarded([])
def code_action(ls: DrillbookServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    analysis = ls.analysis(uri)
    where = ls.coordinates(uri, analysis)
    first = where.point(params.range.start).line
    last = where.point(params.range.end).line
    actions: list[types.CodeAction] = []
    for diagnostic in analysis.diagnostics:
        if diagnostic.line > last or max(diagnostic.line, diagnostic.end_line) < first:
            continue
        fixes = [suggested_fix(diagnostic, analysis.lines)]
        if diagnostic.code == "WF401":
            decision = _decision_on(analysis, diagnostic.line)
            if decision is not None:
                fixes.append(default_path_fix(decision, diagnostic, analysis.lines))
        if diagnostic.code not in UNSUPPRESSIBLE:
            fixes.append(suppression_fix(diagnostic, analysis.lines))
        lsp_diagnostic = to_diagnostic(diagnostic, where, uri, analysis.path, ls.rule_docs)
        for fix in fixes:
            if fix is None:
                continue
            actions.append(
                types.CodeAction(
                    title=fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp_diagnostic],
                    edit=types.WorkspaceEdit(changes={uri: to_edits(fix, where)}),
                    is_preferred=fix.preferred or None,
                )
            )
    return actions


def _decision_on(analysis: Analysis, line: int) -> DecisionBlock | None:
    for wf in analysis.workflows:
        for phase in wf.workflow.phases:
            for block in iter_blocks(phase.blocks):
                if isinstance(block, DecisionBlock) and block.span.line == line:
                    return block
    return None


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=["[", ",", "=", '"', ":"]),
)
@guarded(None)
def completion(ls: DrillbookServer, params: types.CompletionParams) -> types.CompletionList | None:
    uri = params.text_document.uri
    analysis = ls.analysis(uri)
    where = ls.coordinates(uri, analysis)
    point = where.point(params.position)
    items: list[types.CompletionItem] = []
    for suggestion in complete(analysis, point):
        start = where.position(point.line, suggestion.start)
        replaced = types.Range(start=start, end=params.position)
        kind = (
            types.CompletionItemKind.Reference
            if suggestion.kind == "item"
            else types.CompletionItemKind.Class
        )
        documentation = (
            types.MarkupContent(kind=types.MarkupKind.Markdown, value=suggestion.documentation)
            if suggestion.documentation
            else None
        )
        items.append(
            types.CompletionItem(
                label=suggestion.label,
                kind=kind,
                detail=suggestion.detail,
                documentation=documentation,
                sort_text=suggestion.sort,
                filter_text=suggestion.insert,
                text_edit=types.TextEdit(range=replaced, new_text=suggestion.insert),
            )
        )
    return types.CompletionList(is_incomplete=False, items=items)


def serve() -> None:
    """Serve over stdio until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(levelname)s: %(message)s")
    server.start_io()


__all__ = ["DrillbookServer", "serve", "server", "span_of"]
